package dev.gauntlet.orchestrator;

import io.vertx.core.json.JsonObject;

/** A resolved converter, scorer or generator with the identifier recorded beside its output. */
public record Part<T>(T value, JsonObject identifier) {}
