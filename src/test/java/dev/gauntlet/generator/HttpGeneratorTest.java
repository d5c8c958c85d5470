package dev.gauntlet.generator;

import dev.gauntlet.Problem;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.generator.GeneratorTesting.await;
import static dev.gauntlet.generator.GeneratorTesting.build;
import static dev.gauntlet.generator.GeneratorTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic http type: templates in, JSONPath or regex out. */
class HttpGeneratorTest extends FakeTargetTest {

  @Test
  void bodyTemplateCarriesEscapedPromptAndJsonPathFindsTheAnswer() {
    Generator g = build(vertx, "http", new JsonObject().put("url", fake.url("/answer"))
        .put("body_template", "{\"prompt\": \"{{prompt}}\", \"tenant\": \"t1\"}").put("response_path", "$.answer")
        .put("headers", new JsonObject().put("Authorization", "Token abc")));
    String tricky = "say \"hi\" \\ then\nstop";

    GeneratorReply reply = send(g, tricky);

    assertTrue(reply.ok(), reply.toString());
    assertEquals("Sure: " + tricky, reply.text());
    FakeOpenAi.Seen seen = fake.lastRequest();
    assertEquals("POST", seen.method());
    assertEquals("t1", seen.json().getString("tenant"));
    assertEquals("Token abc", seen.headers().get("Authorization"));
    assertEquals("application/json", seen.headers().get("Content-Type"));
    g.close();
  }

  @Test
  void regexTakesTheFirstGroup() {
    Generator g = build(vertx, "http", new JsonObject().put("url", fake.url("/text"))
        .put("response_regex", "result=(.*);"));

    assertEquals("Sure: hello", send(g, "hello").text());
    g.close();
  }

  @Test
  void getPutsTheEncodedPromptInTheUrl() {
    Generator g = build(vertx, "http", new JsonObject().put("method", "GET")
        .put("url", fake.url("/answer?q={{prompt}}")).put("response_path", "$.answer"));

    GeneratorReply reply = send(g, "a b&c=d");

    assertEquals("Sure: a b&c=d", reply.text());
    assertEquals("GET", fake.lastRequest().method());
    g.close();
  }

  @Test
  void withoutPathOrRegexTheWholeBodyIsTheAnswer() {
    Generator g = build(vertx, "http", new JsonObject().put("url", fake.url("/text")).put("content_type", "text/plain")
        .put("body_template", "{{prompt}}"));

    assertEquals("result=Sure: raw \"text\";", send(g, "raw \"text\"").text());
    g.close();
  }

  @Test
  void pathThatFindsNothingIsAnInvalidResponseNotRetried() {
    Generator g = build(vertx, "http", new JsonObject().put("url", fake.url("/answer")).put("response_path", "$.nope"));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.INVALID_RESPONSE, reply.error());
    assertEquals(1, reply.attempts());
    assertTrue(reply.detail().contains("$['nope']") || reply.detail().contains("nope"), reply.detail());
    g.close();
  }

  @Test
  void regexThatDoesNotMatchIsAnInvalidResponse() {
    Generator g = build(vertx, "http", new JsonObject().put("url", fake.url("/text")).put("response_regex", "answer=(\\d+)"));

    assertEquals(ReplyError.INVALID_RESPONSE, send(g, "hello").error());
    g.close();
  }

  @Test
  void invalidJsonPathIsRefusedAtConfiguration() {
    Problem p = assertThrows(Problem.class, () -> build(vertx, "http",
        new JsonObject().put("url", fake.url("/answer")).put("response_path", "$.[unclosed")));

    assertEquals(400, p.status());
  }

  @Test
  void identifierSaysHttpTarget() {
    Generator g = build(vertx, "http", new JsonObject().put("url", fake.url("/answer")));

    assertEquals("HTTPTarget", g.identifier().getString("__type__"));
    assertEquals("gauntlet.generator", g.identifier().getString("__module__"));
    g.close();
  }
}
