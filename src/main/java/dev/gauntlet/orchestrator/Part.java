package dev.gauntlet.orchestrator;

import io.vertx.core.json.JsonObject;

/**
 * A resolved converter, scorer or generator with the identifier recorded beside its output,
 * also kept encoded: it is written with every piece or score, thousands of times per execution.
 */
public record Part<T>(T value, JsonObject identifier, String identifierJson) {

  public Part(T value, JsonObject identifier) {
    this(value, identifier, identifier == null ? null : identifier.encode());
  }
}
