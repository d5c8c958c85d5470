package dev.gauntlet.orchestrator;

import dev.gauntlet.verdict.stats.ScorerVersion;
import io.vertx.core.json.JsonObject;

/**
 * How a scorer is named beside every score it gives ({@code scorer_class_identifier}): its type,
 * id and name, and its {@code version}, a stable hash of its type and parameters, so an edited
 * scorer is a new version and the dashboard can tell "the new judge" from "the old one".
 */
public final class ScorerIdentity {

  private ScorerIdentity() {}

  /** A stored scorer configuration's identifier. */
  static JsonObject of(JsonObject config) {
    return Resolver.identifier("gauntlet.scorer", config)
        .put("version", version(config.getString("type"), config.getJsonObject("parameters")));
  }

  /** The scorer's version: {@link ScorerVersion#of}, a hash of its type and parameters as stored. */
  public static String version(String type, JsonObject params) {
    return ScorerVersion.of(type, params);
  }
}
