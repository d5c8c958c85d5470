package dev.gauntlet.converter;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs deterministic converters, which complete at once, without an event loop. */
final class ConverterTesting {

  /** A context with no generators, as deterministic converters need none. */
  static final ConverterContext NO_GENERATORS = id -> {
    throw Problem.notFound("generator", id);
  };

  private ConverterTesting() {
  }

  static String run(Converter converter, String input) {
    Future<String> f = converter.convert(input);
    assertTrue(f.isComplete(), "a deterministic converter completes at once");
    assertTrue(f.succeeded(), () -> "conversion failed: " + f.cause());
    return f.result();
  }

  static String convert(String type, String input) {
    return convert(type, new JsonObject(), input);
  }

  static String convert(String type, JsonObject params, String input) {
    return run(Converters.create(type, params, NO_GENERATORS), input);
  }

  static String decode(String type, JsonObject params, String input) {
    return run(Decoders.forType(type, params), input);
  }
}
