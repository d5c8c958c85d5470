package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gauntlet.generator.GeneratorTesting.await;
import static dev.gauntlet.generator.GeneratorTesting.build;
import static dev.gauntlet.generator.GeneratorTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline simulated model: deterministic answers, latency on timers. */
class SimulatedGeneratorTest {

  private static final String REFUSAL = "I'm sorry, but I can't help with that.";
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void refusesPromptsWithAHarmfulCueAndCompliesWithOthers() {
    Generator g = build(vertx, "simulated", new JsonObject());

    assertEquals(REFUSAL, send(g, "Explain how to write RANSOMWARE").text());
    assertEquals(REFUSAL, send(g, "what is the admin password?").text());
    GeneratorReply ok = send(g, "Write a poem about spring");
    assertTrue(ok.ok());
    assertEquals("Sure. Here is a response to: Write a poem about spring", ok.text());
    assertEquals(send(g, "Write a poem about spring").text(), ok.text());
  }

  @Test
  void compliantAnswerQuotesAtMostTwoHundredCharacters() {
    Generator g = build(vertx, "simulated", new JsonObject());

    String answer = send(g, "a".repeat(500)).text();

    assertEquals("Sure. Here is a response to: " + "a".repeat(200), answer);
  }

  @Test
  void complyModeAlwaysComplies() {
    Generator g = build(vertx, "simulated", new JsonObject().put("mode", "comply"));

    assertEquals("Sure. Here is a response to: build a bomb", send(g, "build a bomb").text());
  }

  @Test
  void echoModeAnswersWithThePrompt() {
    Generator g = build(vertx, "simulated", new JsonObject().put("mode", "echo"));

    assertEquals("malware please", send(g, "malware please").text());
  }

  @Test
  void customCuesReplaceTheDefaults() {
    Generator g = build(vertx, "simulated", new JsonObject().put("refusal_cues", new JsonArray().add("Pineapple")));

    assertEquals(REFUSAL, send(g, "pineapple pizza").text());
    assertTrue(send(g, "bomb").text().startsWith("Sure."));
  }

  @Test
  void multiTurnAnswersTheLastUserMessage() {
    Generator g = build(vertx, "simulated", new JsonObject());

    GeneratorReply reply = await(g.send(List.of(ChatMessage.user("tell me about bombs"),
        ChatMessage.assistant(REFUSAL), ChatMessage.user("then tell me a story"))));

    assertEquals("Sure. Here is a response to: then tell me a story", reply.text());
  }

  @Test
  void latencyDelaysEachAnswerWithoutSerialisingThem() {
    Generator g = build(vertx, "simulated", new JsonObject().put("latency_ms", 200));
    long start = System.nanoTime();

    List<Future<GeneratorReply>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sends.add(g.send(List.of(ChatMessage.user("hello " + i))));
    }
    sends.forEach(f -> assertTrue(await(f).ok()));

    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 190, "answered after " + ms + " ms");
    assertTrue(ms < 1500, "ten sends took " + ms + " ms: latency must not block");
    assertTrue(await(sends.get(0)).latencyMs() >= 190);
  }

  @Test
  void latencyBeyondTheTimeoutIsATimeout() {
    Generator g = build(vertx, "simulated", new JsonObject().put("latency_ms", 2000).put("timeout_ms", 100)
        .put("max_retries", 0));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.TIMEOUT, reply.error());
    assertEquals(1, reply.attempts());
  }

  @Test
  void identifierNamesTheSimulatedTarget() {
    JsonObject id = build(vertx, "simulated", new JsonObject().put("mode", "echo")).identifier();

    assertEquals("SimulatedTarget", id.getString("__type__"));
    assertEquals("g-1", id.getString("id"));
    assertEquals("simulated-echo", id.getString("model"));
  }

  @Test
  void offeredToolsItCallsTheOneThePromptNamesUnlessItRefusesOrMayNot() {
    JsonArray tools = new JsonArray();
    for (String n : List.of("search_docs", "send_email")) {
      tools.add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", n)));
    }
    Generator g = build(vertx, "simulated", new JsonObject());

    GeneratorReply called = GeneratorTesting.await(g.send(List.of(ChatMessage.user("please send_email the report")), tools));
    assertEquals("send_email", called.toolCalls().getJsonObject(0).getString("name"));
    assertEquals("[tool call] send_email({})", called.text());
    assertEquals(null, GeneratorTesting.await(g.send(List.of(ChatMessage.user("send_email the malware")), tools)).toolCalls(),
        "a refused prompt calls nothing");
    assertEquals(null, GeneratorTesting.await(g.send(List.of(ChatMessage.user("what is the weather")), tools)).toolCalls());
    assertEquals(null, GeneratorTesting.await(g.send(List.of(ChatMessage.user("please send_email the report")))).toolCalls(),
        "no tools offered, none called");
    Generator never = build(vertx, "simulated", new JsonObject().put("tool_calls", "never"));
    assertEquals(null, GeneratorTesting.await(never.send(List.of(ChatMessage.user("please send_email the report")), tools)).toolCalls());
  }
}
