package dev.gauntlet.converter;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  /**
   * A seeded type converts a prompt the same way for the same seed, even after converting other
   * text, and differently for most other seeds (at least 6 outputs from 8 seeds).
   */
  static void assertSeeded(String type, JsonObject params, String input) {
    java.util.Set<String> outputs = new java.util.HashSet<>();
    for (long seed = 0; seed < 8; seed++) {
      JsonObject p = params.copy().put("seed", seed);
      String first = convert(type, p, input);
      convert(type, p, "something else entirely");
      assertEquals(first, convert(type, p, input), type + " seed " + seed);
      outputs.add(first);
    }
    assertTrue(outputs.size() >= 6, type + " gave only " + outputs.size() + " outputs for 8 seeds");
    JsonObject noSeed = params.copy();
    noSeed.remove("seed");
    assertEquals(convert(type, params.copy().put("seed", 0), input), convert(type, noSeed, input), type + " seed defaults to 0");
  }

  /** Creating the type with these parameters is a 400 whose message mentions each given text. */
  static void assertRefused(String type, JsonObject params, String... mentioned) {
    Problem p = org.junit.jupiter.api.Assertions.assertThrows(Problem.class,
        () -> Converters.create(type, params, NO_GENERATORS));
    assertEquals(400, p.status(), p.getMessage());
    for (String m : mentioned) {
      assertTrue(p.getMessage().contains(m), "'" + p.getMessage() + "' should mention " + m);
    }
  }

  static String decode(String type, JsonObject params, String input) {
    return run(Decoders.forType(type, params), input);
  }
}
