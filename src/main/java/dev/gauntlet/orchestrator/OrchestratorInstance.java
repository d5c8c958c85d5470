package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A live orchestrator built from a user's stored configuration. It is only a cache entry:
 * it holds its owner, never a memory path or connection, so evicting or rebuilding it cannot
 * move anyone's memory.
 */
record OrchestratorInstance(MemoryOwner owner, String id, String name, String type, JsonObject parameters,
                            String configUpdatedAt, Instant builtAt) {

  JsonObject toJson() {
    return new JsonObject().put("orchestrator_id", id).put("name", name).put("type", type)
        .put("built_at", builtAt.toString()).put("config_updated_at", configUpdatedAt);
  }
}
