package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

/** The orchestrator instance cache: how many live instances to keep before evicting the oldest. */
public record OrchestratorConfig(int maxInstances) {

  static OrchestratorConfig from(JsonObject json) {
    return new OrchestratorConfig(Math.max(1, json.getInteger("maxInstances", 256)));
  }
}
