package dev.gauntlet.generator;

import io.vertx.core.json.JsonObject;

/**
 * A generator configuration ready to build: its id and name as users see them, its catalog type,
 * and its parameters validated against that type with secrets already opened.
 */
public record GeneratorSpec(String id, String name, String type, JsonObject params) {}
