package dev.gauntlet.scorer;

import io.vertx.core.json.JsonObject;

/** Builds a scorer from validated parameters. */
@FunctionalInterface
public interface ScorerFactory {

  Scorer create(JsonObject params, ScorerContext context);
}
