package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;

/** Builds a converter from validated parameters. */
@FunctionalInterface
public interface ConverterFactory {

  Converter create(JsonObject params, ConverterContext context);
}
