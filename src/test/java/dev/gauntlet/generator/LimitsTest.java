package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.gauntlet.generator.GeneratorTesting.await;
import static dev.gauntlet.generator.GeneratorTesting.build;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrency cap, request pacing and closing, as a target sees them. */
class LimitsTest extends FakeTargetTest {

  private static List<Future<GeneratorReply>> sendMany(Generator g, int n) {
    List<Future<GeneratorReply>> sends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sends.add(g.send(List.of(ChatMessage.user("prompt " + i))));
    }
    return sends;
  }

  @Test
  void maxConcurrencyTwoKeepsAtMostTwoRequestsInFlight() {
    fake.latency(40);
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m")
        .put("max_concurrency", 2));

    List<Future<GeneratorReply>> sends = sendMany(g, 20);

    for (int i = 0; i < 20; i++) {
      GeneratorReply r = await(sends.get(i));
      assertTrue(r.ok(), r.toString());
      assertEquals("Sure: prompt " + i, r.text());
    }
    assertEquals(20, fake.requests());
    assertTrue(fake.maxInFlight() <= 2, "max in flight " + fake.maxInFlight());
    assertEquals(2, fake.maxInFlight());
    g.close();
  }

  @Test
  void waitingSendsAreServedInOrder() {
    Generator g = build(vertx, "simulated", new JsonObject().put("mode", "echo").put("latency_ms", 10)
        .put("max_concurrency", 1));
    List<String> order = new CopyOnWriteArrayList<>();

    List<Future<GeneratorReply>> sends = sendMany(g, 8);
    sends.forEach(f -> f.onSuccess(r -> order.add(r.text())));
    sends.forEach(GeneratorTesting::await);

    assertEquals(List.of("prompt 0", "prompt 1", "prompt 2", "prompt 3", "prompt 4", "prompt 5", "prompt 6",
        "prompt 7"), order);
  }

  @Test
  void oneHundredTwentyRequestsPerMinuteSpacesFourRequestsOverOneAndAHalfSeconds() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m")
        .put("requests_per_minute", 120));
    long start = System.nanoTime();

    sendMany(g, 4).forEach(f -> assertTrue(await(f).ok()));

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 1400, "4 requests at 120/min took only " + ms + " ms");
    assertTrue(ms < 3000, "4 requests at 120/min took " + ms + " ms");
    g.close();
  }

  @Test
  void closingAnswersQueuedSendsInsteadOfLeavingThemHanging() {
    Generator g = build(vertx, "simulated", new JsonObject().put("latency_ms", 300).put("max_concurrency", 1));

    List<Future<GeneratorReply>> sends = sendMany(g, 3);
    g.close();

    assertTrue(await(sends.get(0)).ok());
    assertEquals(ReplyError.UNKNOWN, await(sends.get(1)).error());
    assertEquals(ReplyError.UNKNOWN, await(sends.get(2)).error());
  }
}
