package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import dev.gauntlet.dataset.DatasetFormats.FieldMapping;
import dev.gauntlet.dataset.DatasetFormats.Format;
import dev.gauntlet.dataset.DatasetFormats.Parsed;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The datasets that ship with Gauntlet, written for it, as PyRIT-layout YAML under
 * {@code /datasets/} on the classpath and read by the same parser as uploads.
 */
public final class BuiltinDatasets {

  /** The ids, which are the resource files' stems; listed because a jar cannot be listed. */
  static final List<String> IDS = List.of("jailbreak_framings", "prompt_injection", "should_refuse", "benign_controls");

  private static final Map<String, Parsed> LOADED = new ConcurrentHashMap<>();

  private BuiltinDatasets() {
  }

  public record Builtin(String id, String name, String description, int promptCount) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name).put("description", description)
          .put("prompt_count", promptCount);
    }
  }

  public static List<Builtin> all() {
    return IDS.stream().map(id -> {
      Parsed p = parsed(id);
      return new Builtin(id, p.name() != null ? p.name() : id, p.description(), p.prompts().size());
    }).toList();
  }

  /** The prompts of one built-in set; a 404 for an unknown id. */
  public static List<SeedPrompt> load(String id) {
    if (!IDS.contains(id)) {
      throw Problem.notFound("built-in dataset", id);
    }
    return parsed(id).prompts();
  }

  private static Parsed parsed(String id) {
    return LOADED.computeIfAbsent(id, BuiltinDatasets::readResource);
  }

  private static Parsed readResource(String id) {
    String path = "/datasets/" + id + ".yaml";
    try (InputStream in = BuiltinDatasets.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return DatasetFormats.read(in.readAllBytes(), Format.YAML, FieldMapping.AUTO);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
