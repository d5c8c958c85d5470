package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The prompts an execution will send, named at launch and copied into the execution by the
 * shard in the transaction that creates it: a dataset's first {@code limit} prompts (all when
 * {@code limit} is 0), or the given {@code values} (an objective).
 */
public record FrozenPrompts(String datasetId, int limit, List<String> values) {

  public static FrozenPrompts ofDataset(String datasetId, int limit) {
    return new FrozenPrompts(datasetId, Math.max(0, limit), null);
  }

  public static FrozenPrompts of(List<String> values) {
    return new FrozenPrompts(null, 0, List.copyOf(values));
  }

  JsonObject toJson() {
    return new JsonObject().put("dataset_id", datasetId).put("limit", limit)
        .put("values", values == null ? null : new JsonArray(List.copyOf(values)));
  }

  static FrozenPrompts fromJson(JsonObject json) {
    JsonArray values = json.getJsonArray("values");
    return new FrozenPrompts(json.getString("dataset_id"), json.getInteger("limit", 0),
        values == null ? null : values.stream().map(String::valueOf).toList());
  }
}
