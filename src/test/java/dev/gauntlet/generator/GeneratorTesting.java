package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the generator tests: build a generator as the API would, send, wait. */
final class GeneratorTesting {

  private GeneratorTesting() {}

  static Generator build(Vertx vertx, String type, JsonObject params) {
    return Generators.create(vertx, new GeneratorSpec("g-1", "test " + type, type, params));
  }

  static GeneratorReply send(Generator g, String prompt) {
    return await(g.send(List.of(ChatMessage.user(prompt))));
  }

  /** Waits on the test thread; a generator that hangs fails the test instead of the suite. */
  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result: " + e, e);
    }
  }
}
