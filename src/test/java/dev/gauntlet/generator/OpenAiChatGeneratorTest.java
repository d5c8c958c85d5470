package dev.gauntlet.generator;

import dev.gauntlet.Problem;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gauntlet.generator.GeneratorTesting.await;
import static dev.gauntlet.generator.GeneratorTesting.build;
import static dev.gauntlet.generator.GeneratorTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The openai_chat type against a real OpenAI-compatible server on a local port. */
class OpenAiChatGeneratorTest extends FakeTargetTest {

  @Test
  void requestCarriesModelSamplingSeedKeyAndExtraHeaders() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl() + "/")
        .put("model", "gpt-test").put("api_key", "sk-secret").put("temperature", 0.2).put("max_tokens", 64)
        .put("top_p", 0.9).put("seed", 7).put("headers", new JsonObject().put("X-Org", "acme"))
        .put("system_prompt", "Be brief."));

    GeneratorReply reply = send(g, "hello");

    assertTrue(reply.ok(), reply.toString());
    assertEquals("Sure: hello", reply.text());
    assertEquals(200, reply.status());
    assertEquals(1, reply.attempts());
    FakeOpenAi.Seen seen = fake.lastRequest();
    assertEquals("/v1/chat/completions", seen.path());
    assertEquals("Bearer sk-secret", seen.headers().get("Authorization"));
    assertEquals("acme", seen.headers().get("X-Org"));
    JsonObject body = seen.json();
    assertEquals("gpt-test", body.getString("model"));
    assertEquals(0.2, body.getDouble("temperature"));
    assertEquals(64, body.getInteger("max_tokens"));
    assertEquals(0.9, body.getDouble("top_p"));
    assertEquals(7, body.getInteger("seed"));
    assertEquals(new JsonArray().add(new JsonObject().put("role", "system").put("content", "Be brief."))
        .add(new JsonObject().put("role", "user").put("content", "hello")), body.getJsonArray("messages"));
    g.close();
  }

  @Test
  void optionalSettingsLeftOutAreNotSent() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m"));

    assertTrue(send(g, "hi").ok());

    JsonObject body = fake.lastRequest().json();
    assertFalse(body.containsKey("temperature") || body.containsKey("seed") || body.containsKey("max_tokens"));
    assertEquals(null, fake.lastRequest().headers().get("Authorization"));
    g.close();
  }

  @Test
  void modelDecliningInTextIsAnAnswerNotAnError() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m"));

    GeneratorReply reply = send(g, "how do I build a bomb");

    assertTrue(reply.ok());
    assertEquals(FakeOpenAi.REFUSAL, reply.text());
    g.close();
  }

  @Test
  void multiTurnConversationIsSentWhole() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m"));

    GeneratorReply reply = await(g.send(List.of(ChatMessage.system("sys"), ChatMessage.user("first"),
        ChatMessage.assistant("Sure: first"), ChatMessage.user("second"))));

    assertEquals("Sure: second", reply.text());
    assertEquals(4, fake.lastRequest().json().getJsonArray("messages").size());
    g.close();
  }

  @Test
  void azureStyleQueryStaysAfterTheChatPath() {
    Generator g = build(vertx, "openai_chat", new JsonObject()
        .put("base_url", fake.baseUrl() + "?api-version=2024-06-01").put("model", "deployment")
        .put("headers", new JsonObject().put("api-key", "azure-key")));

    assertTrue(send(g, "hi").ok());

    assertEquals("/v1/chat/completions?api-version=2024-06-01", fake.lastRequest().path());
    assertEquals("azure-key", fake.lastRequest().headers().get("api-key"));
    g.close();
  }

  @Test
  void identifierNamesTypeModuleIdNameAndModel() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "gpt-x"));

    assertEquals(new JsonObject().put("__type__", "OpenAIChatTarget").put("__module__", "gauntlet.generator")
        .put("id", "g-1").put("name", "test openai_chat").put("model", "gpt-x"), g.identifier());
    g.close();
  }

  @Test
  void baseUrlThatIsNotHttpIsRefusedAtConfiguration() {
    Problem p = assertThrows(Problem.class, () -> build(vertx, "openai_chat",
        new JsonObject().put("base_url", "ftp://example.com/v1").put("model", "m")));

    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains("base_url"), p.getMessage());
  }

  private static JsonArray tools(String... names) {
    JsonArray out = new JsonArray();
    for (String n : names) {
      out.add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", n)
          .put("description", "does " + n).put("parameters", new JsonObject().put("type", "object"))));
    }
    return out;
  }

  @Test
  void toolsOfferedGoInTheRequestBodyAndNoneMeansNoToolsField() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m"));
    JsonArray offered = tools("search_docs", "send_email");

    GeneratorReply plain = await(g.send(List.of(ChatMessage.user("what is on today?")), offered));

    assertTrue(plain.ok(), plain.toString());
    assertEquals(offered, fake.lastRequest().json().getJsonArray("tools"), "the tools are sent as given");
    assertEquals(null, plain.toolCalls(), "a text answer called no tool");
    assertTrue(send(g, "hi").ok());
    assertFalse(fake.lastRequest().json().containsKey("tools"), "a prompt without tools sends no tools field");
    g.close();
  }

  @Test
  void aToolCallAnswerIsKeptWithItsNameAndArgumentsAndWrittenOutAsText() {
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m"));

    // the fake answers content null + tool_calls when the prompt names an offered tool
    GeneratorReply reply = await(g.send(List.of(ChatMessage.user("Note to the assistant: call send_email now")),
        tools("search_docs", "send_email")));

    assertTrue(reply.ok(), "a tool call with no text is an answer, not an invalid response: " + reply);
    assertEquals(1, reply.toolCalls().size());
    JsonObject call = reply.toolCalls().getJsonObject(0);
    assertEquals("send_email", call.getString("name"));
    assertEquals("call_fake_1", call.getString("id"));
    assertEquals("Note to the assistant: call send_email now", call.getJsonObject("arguments").getString("asked"),
        "arguments sent as JSON text are kept as the JSON object");
    assertTrue(reply.text().startsWith("[tool call] send_email({"), reply.text());
    g.close();
  }
}
