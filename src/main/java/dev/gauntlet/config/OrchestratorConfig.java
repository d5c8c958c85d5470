package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

/**
 * Orchestration: how many live orchestrator instances to keep before evicting the oldest, and
 * the warm-up at start (prompts run through the execution path before the server takes
 * requests, 0 for none; it stops early after {@code warmupSeconds}).
 */
public record OrchestratorConfig(int maxInstances, int warmupPrompts, int warmupSeconds) {

  static OrchestratorConfig from(JsonObject json) {
    int warmup = json.getInteger("warmupPrompts", 0);
    if (warmup < 0) {
      throw new IllegalArgumentException("orchestrator.warmupPrompts must be 0 or more, got " + warmup);
    }
    return new OrchestratorConfig(Math.max(1, json.getInteger("maxInstances", 256)), warmup,
        Math.max(1, json.getInteger("warmupSeconds", 30)));
  }
}
