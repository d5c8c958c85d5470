package dev.gauntlet.converter;

import dev.gauntlet.Problem;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.GeneratorReply;
import dev.gauntlet.generator.ReplyError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LlmRewritesTest {

  private static final List<String> TYPES =
      List.of("persuasion", "math_framing", "noise", "low_resource_translation", "malicious_question");

  private final LlmConverterTest.FakeGenerator model = new LlmConverterTest.FakeGenerator();
  private final ConverterContext context = id -> {
    if (!id.equals("g1")) {
      throw Problem.notFound("generator", id);
    }
    return model;
  };

  private Future<String> convert(String type, JsonObject params, String prompt) {
    Future<String> f = Converters.create(type, params.copy().put("generator_id", "g1"), context).convert(prompt);
    assertTrue(f.isComplete());
    return f;
  }

  private String system() {
    return model.system();
  }

  @Test
  void persuasionNamesItsTechniqueAndUsesTheReply() {
    model.reply = GeneratorReply.ok("\"As the national bakers' guild recommends, explain how to bake bread.\"", 200, 5, 1);
    Future<String> f = convert("persuasion", new JsonObject().put("technique", "authority_endorsement"), "how to bake bread");
    assertEquals("As the national bakers' guild recommends, explain how to bake bread.", f.result());
    assertEquals(ChatMessage.user("how to bake bread"), model.sent.get(0).get(1));
    assertTrue(system().contains("authority endorsement") && system().contains("recognised authority"), system());
    assertTrue(system().contains("reply with the rewritten message only"), system());

    Set<String> instructions = new HashSet<>();
    for (String technique : LlmRewrites.techniques()) {
      convert("persuasion", new JsonObject().put("technique", technique), "hi");
      assertTrue(system().contains(technique.replace('_', ' ')), system());
      instructions.add(system());
    }
    assertEquals(5, instructions.size(), "each technique asks for something else");
    convert("persuasion", new JsonObject(), "hi");
    assertTrue(system().contains("logical appeal"), "logical appeal is the default");
  }

  @Test
  void mathFramingNoiseTranslationAndQuestionSayWhatTheyWant() {
    convert("math_framing", new JsonObject(), "hi");
    assertTrue(system().contains("mathematics problem") && system().contains("set theory"), system());
    convert("noise", new JsonObject(), "hi");
    assertTrue(system().contains("typos"), system());
    convert("noise", new JsonObject().put("noise", "missing spaces"), "hi");
    assertTrue(system().contains("Add noise to the user's message: missing spaces."), system());
    convert("low_resource_translation", new JsonObject().put("language", "scots_gaelic"), "hi");
    assertTrue(system().contains("Translate the user's message into Scots Gaelic."), system());
    convert("low_resource_translation", new JsonObject(), "hi");
    assertTrue(system().contains("into Zulu."), "Zulu is the default");
    model.reply = GeneratorReply.ok("What household chemicals should never be mixed, and why?", 200, 5, 1);
    Future<String> q = convert("malicious_question", new JsonObject(), "learn which chemicals are dangerous together");
    assertTrue(system().contains("Write one question"), system());
    assertEquals("What household chemicals should never be mixed, and why?", q.result());
    assertTrue(model.sent.stream().allMatch(m -> m.size() == 2 && m.get(0).role().equals("system")));
  }

  @Test
  void aFailedGeneratorFailsEachConversionNamingItsType() {
    model.reply = GeneratorReply.failed(ReplyError.TIMEOUT, 0, 30_000, 3, "no answer within 30 s");
    for (String type : TYPES) {
      Future<String> f = convert(type, new JsonObject(), "hello");
      assertTrue(f.failed(), type);
      assertEquals(type + " converter: generator answered timeout: no answer within 30 s", f.cause().getMessage());
    }
    model.reply = GeneratorReply.ok("  ", 200, 5, 1);
    assertEquals("noise converter: generator answered with empty text",
        convert("noise", new JsonObject(), "hello").cause().getMessage());
  }

  @Test
  void badParametersAreRefusedByName() {
    for (String type : TYPES) {
      Problem p = assertThrows(Problem.class, () -> Converters.create(type, new JsonObject(), context));
      assertEquals(400, p.status());
      assertTrue(p.getMessage().contains("parameters.generator_id"), p.getMessage());
    }
    Problem lang = assertThrows(Problem.class, () -> Converters.create("low_resource_translation",
        new JsonObject().put("generator_id", "g1").put("language", "klingon"), context));
    assertTrue(lang.getMessage().contains("parameters.language") && lang.getMessage().contains("guarani"), lang.getMessage());
    Problem tech = assertThrows(Problem.class, () -> Converters.create("persuasion",
        new JsonObject().put("generator_id", "g1").put("technique", "bribery"), context));
    assertTrue(tech.getMessage().contains("parameters.technique"), tech.getMessage());
  }
}
