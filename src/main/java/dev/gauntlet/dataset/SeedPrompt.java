package dev.gauntlet.dataset;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * One prompt of a dataset, as PyRIT keeps it in SeedPromptEntries: the text, the harms it
 * probes and whatever else its source file said about it.
 */
public record SeedPrompt(String value, List<String> harmCategories, JsonObject metadata) {

  public SeedPrompt {
    Objects.requireNonNull(value, "value");
    harmCategories = harmCategories == null ? List.of() : List.copyOf(harmCategories);
    metadata = metadata == null ? new JsonObject() : metadata;
  }

  public static SeedPrompt of(String value, String... harmCategories) {
    return new SeedPrompt(value, List.of(harmCategories), null);
  }

  /** The same prompt with other text, keeping its categories and metadata. */
  public SeedPrompt withValue(String newValue) {
    return new SeedPrompt(newValue, harmCategories, metadata);
  }

  /** The dataset prompt shape that {@code ConfigKind.DATASETS} validates and stores. */
  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("value", value).put("harm_categories", new JsonArray(harmCategories));
    if (!metadata.isEmpty()) {
      out.put("metadata", metadata);
    }
    return out;
  }

  /** Reads {@link #toJson()}'s shape back, e.g. a stored dataset's prompts. */
  public static SeedPrompt fromJson(JsonObject json) {
    JsonArray cats = json.getJsonArray("harm_categories", new JsonArray());
    return new SeedPrompt(json.getString("value"), cats.stream().map(String::valueOf).toList(),
        json.getJsonObject("metadata"));
  }
}
