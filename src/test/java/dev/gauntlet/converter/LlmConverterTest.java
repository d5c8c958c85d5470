package dev.gauntlet.converter;

import dev.gauntlet.Problem;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.Generator;
import dev.gauntlet.generator.GeneratorReply;
import dev.gauntlet.generator.ReplyError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LlmConverterTest {

  /** Stands in for a model, which lives outside the process: answers with a set reply and keeps what it was sent. */
  static final class FakeGenerator implements Generator {
    final List<List<ChatMessage>> sent = new ArrayList<>();
    GeneratorReply reply = GeneratorReply.ok("converted", 200, 5, 1);

    @Override
    public Future<GeneratorReply> send(List<ChatMessage> messages) {
      sent.add(List.copyOf(messages));
      return Future.succeededFuture(reply);
    }

    @Override
    public JsonObject identifier() {
      return new JsonObject().put("__type__", "fake").put("id", "g1");
    }

    String system() {
      return sent.get(sent.size() - 1).get(0).content();
    }
  }

  private final FakeGenerator model = new FakeGenerator();
  private final List<String> resolved = new ArrayList<>();
  private final ConverterContext context = id -> {
    resolved.add(id);
    if (!id.equals("g1")) {
      throw Problem.notFound("generator", id);
    }
    return model;
  };

  private Converter create(String type, JsonObject params) {
    return Converters.create(type, params.copy().put("generator_id", "g1"), context);
  }

  private Future<String> convert(String type, JsonObject params, String prompt) {
    Future<String> f = create(type, params).convert(prompt);
    assertTrue(f.isComplete());
    return f;
  }

  @Test
  void translationSendsTheLanguageInTheSystemMessageAndThePromptAsUser() {
    model.reply = GeneratorReply.ok("  Comment faire du pain ?\n", 200, 5, 1);
    Future<String> f = convert("translation", new JsonObject().put("language", "French"), "How to bake bread?");
    assertEquals("Comment faire du pain ?", f.result());
    List<ChatMessage> messages = model.sent.get(0);
    assertEquals(2, messages.size());
    assertEquals("system", messages.get(0).role());
    assertTrue(messages.get(0).content().contains("French"), messages.get(0).content());
    assertEquals(ChatMessage.user("How to bake bread?"), messages.get(1));
  }

  @Test
  void toneRephraseTenseAndVariationSayWhatTheyWant() {
    convert("tone", new JsonObject().put("tone", "furious"), "hi");
    assertTrue(model.system().contains("furious tone"), model.system());
    convert("rephrase", new JsonObject().put("style", "a pirate"), "hi");
    assertTrue(model.system().contains("a pirate"), model.system());
    convert("rephrase", new JsonObject(), "hi");
    assertTrue(model.system().contains("Rephrase"), model.system());
    convert("tense", new JsonObject().put("tense", "past"), "hi");
    assertTrue(model.system().contains("past tense"), model.system());
    convert("variation", new JsonObject(), "hi");
    assertTrue(model.system().contains("variation"), model.system());
    assertTrue(model.sent.stream().allMatch(m -> m.get(1).equals(ChatMessage.user("hi"))));
  }

  @Test
  void failedReplyFailsTheConversionNamingTheError() {
    model.reply = GeneratorReply.failed(ReplyError.TIMEOUT, 0, 30_000, 3, "no answer within 30 s");
    Future<String> f = convert("translation", new JsonObject().put("language", "German"), "hello");
    assertTrue(f.failed());
    assertEquals("translation converter: generator answered timeout: no answer within 30 s", f.cause().getMessage());

    model.reply = GeneratorReply.failed(ReplyError.RATE_LIMITED, 429, 10, 4, null);
    Future<String> g = convert("tone", new JsonObject().put("tone", "calm"), "hello");
    assertEquals("tone converter: generator answered rate_limited (HTTP 429)", g.cause().getMessage());
  }

  @Test
  void emptyReplyFailsTheConversion() {
    model.reply = GeneratorReply.ok(" ``` ``` ", 200, 5, 1);
    Future<String> f = convert("variation", new JsonObject(), "hello");
    assertTrue(f.failed());
    assertTrue(f.cause().getMessage().contains("variation converter") && f.cause().getMessage().contains("empty"),
        f.cause().getMessage());
  }

  @Test
  void codeFencesAndQuotesAroundTheAnswerAreStripped() {
    assertEquals("Bonjour", LlmConverter.clean("```text\nBonjour\n```"));
    assertEquals("Bonjour\nà tous", LlmConverter.clean("```\nBonjour\nà tous\n```"));
    assertEquals("Bonjour", LlmConverter.clean("\"Bonjour\""));
    assertEquals("Bonjour", LlmConverter.clean("  \u201CBonjour\u201D \n"));
    assertEquals("Bonjour", LlmConverter.clean("```\n\"Bonjour\"\n```"));
    assertEquals("'Hola'", LlmConverter.clean("\"'Hola'\""), "one pair of quotes only");
    assertEquals("\"a\" and \"b\"", LlmConverter.clean("\"a\" and \"b\""), "quotes inside are the answer's own");
    assertEquals("use `x` here", LlmConverter.clean("use `x` here"));

    model.reply = GeneratorReply.ok("```\nHallo Welt\n```", 200, 5, 1);
    assertEquals("Hallo Welt", convert("translation", new JsonObject().put("language", "German"), "hello world").result());
  }

  @Test
  void generatorIsResolvedWhenTheConverterIsCreated() {
    Converter c = create("tone", new JsonObject().put("tone", "calm"));
    assertEquals(List.of("g1"), resolved);
    assertTrue(model.sent.isEmpty());
    assertFalse(c.deterministic());
  }

  @Test
  void blankPromptIsReturnedWithoutAskingTheModel() {
    assertEquals("  ", convert("variation", new JsonObject(), "  ").result());
    assertTrue(model.sent.isEmpty());
  }
}
