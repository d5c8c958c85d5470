package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.FrozenPrompts;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Launches an execution in two memory operations: one reads the orchestrator with every
 * configuration it refers to, transitively; everything the run will use is then built from them,
 * which validates it all; the other creates the execution with those configurations as its
 * snapshot (secrets sealed, as stored) and the prompts it will send, frozen by the shard in the
 * same transaction. Nothing is stored when any part is missing or invalid, and the run never
 * reads the live configurations again.
 */
final class Launcher {

  private final MemoryClient memory;
  private final Resolver resolver;

  Launcher(MemoryClient memory, Resolver resolver) {
    this.memory = memory;
    this.resolver = resolver;
  }

  /** The created execution, queued, as its snapshot: its row, the configurations it runs from and its frozen prompts. */
  Future<JsonObject> launch(MemoryOwner owner, String orchestratorId, JsonObject labels) {
    return resolver.withReferences(owner, ConfigKind.ORCHESTRATORS, orchestratorId).compose(stored -> {
      // kept as read: building below must put nothing (an opened secret least of all) into the snapshot
      JsonObject configs = stored.copy();
      JsonObject config = stored.getJsonObject(ConfigKind.ORCHESTRATORS.table() + "/" + orchestratorId);
      var spec = Orchestrators.catalog().get(config.getString("type"));
      JsonObject params = spec.schema().validate(config.getJsonObject("parameters"));
      JsonObject snapshot = new JsonObject().put("id", config.getString("id")).put("name", config.getString("name"))
          .put("type", config.getString("type")).put("parameters", params);
      return resolver.resolve(owner, stored)
          .map(resolved -> spec.factory().create(resolved.kit(null, params, new JsonObject(), new JsonObject())))
          .compose(valid -> memory.executions(owner).create(snapshot, configs, prompts(params), labels));
    });
  }

  /** What an execution of these parameters sends: the dataset's first {@code sample_size} prompts, or its one objective. */
  static FrozenPrompts prompts(JsonObject params) {
    String dataset = params.getString("dataset_id");
    if (dataset != null) {
      return FrozenPrompts.ofDataset(dataset, params.getInteger("sample_size", 0));
    }
    String objective = params.getString("objective");
    return FrozenPrompts.of(objective == null ? List.of() : List.of(objective));
  }
}
