package dev.gauntlet.operations;

import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.dataset.BuiltinDatasets;
import dev.gauntlet.generator.Egress;
import dev.gauntlet.orchestrator.GeneratorPool;
import dev.gauntlet.orchestrator.Resolver;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presets, unsaved settings tried, and the guided campaign's plan and creation, through the registry on real parts. */
class CampaignsTest extends OperationsFixture {

  @Test
  void presetsAreServedByTheRegistry() {
    JsonArray items = run(alice, "generators.presets", new JsonObject()).getJsonArray("items");
    assertTrue(items.size() >= 9);
    assertTrue(items.stream().map(o -> ((JsonObject) o).getString("id")).toList().contains("azure_openai"));
  }

  @Test
  void unsavedSettingsAreTriedWithoutStoringAnything() {
    JsonObject r = run(alice, "generators.try", new JsonObject().put("prompt", "tell me a joke").put("value",
        new JsonObject().put("type", "simulated").put("parameters", new JsonObject().put("mode", "echo"))));
    assertTrue(r.getBoolean("ok"), r.encode());
    assertTrue(r.getString("answer").contains("tell me a joke"), r.encode());
    assertTrue(run(alice, "generators.list", new JsonObject()).getJsonArray("items").isEmpty(), "nothing was saved");

    assertEquals(400, refusal(alice, "generators.try", new JsonObject().put("value", new JsonObject().put("type", "openai_chat")
        .put("parameters", new JsonObject().put("model", "m")))).status(), "a missing base_url is the caller's mistake");
    assertEquals(400, refusal(alice, "generators.try", new JsonObject().put("value", new JsonObject().put("type", "nope"))).status());
  }

  @Test
  void unsavedSettingsPassTheEgressPolicy() {
    // the metadata address is refused under every policy: the try answers why, and nothing is sent
    JsonObject r = run(alice, "generators.try", new JsonObject().put("value", new JsonObject().put("type", "openai_chat")
        .put("parameters", new JsonObject().put("base_url", "http://169.254.169.254/v1").put("model", "m").put("max_retries", 0))));
    assertFalse(r.getBoolean("ok"));
    assertEquals("egress_denied", r.getString("error"), r.encode());

    // under the default policy loopback is refused too, for the unsaved settings as for saved ones
    try (FakeOpenAi fake = new FakeOpenAi(vertx)) {
      fake.start(0);
      SecretBox box = SecretBox.load(SecretBox.generateKey(), dir.resolve("data/other.key"));
      Egress strict = new Egress(Egress.Policy.DEFAULT, user -> Future.succeededFuture(false));
      TryOuts guarded = new TryOuts(new Resolver(vertx, memory, box, new GeneratorPool(4), strict), null);
      JsonObject refused = await(guarded.tryGenerator(alice, new JsonObject().put("value", new JsonObject().put("type", "openai_chat")
          .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m").put("max_retries", 0)))));
      assertEquals("egress_denied", refused.getString("error"), refused.encode());
      assertEquals(0, fake.requests(), "nothing reached the loopback server");
    }
  }

  @Test
  void aMaskedKeyInTheFormOfAGeneratorBeingEditedIsTheStoredOne() {
    try (FakeOpenAi fake = new FakeOpenAi(vertx)) {
      fake.start(0);
      JsonObject params = new JsonObject().put("base_url", fake.baseUrl()).put("model", "m").put("api_key", "sk-stored-1");
      String id = id(run(alice, "generators.create", value("keyed", "openai_chat", params)));
      JsonObject r = run(alice, "generators.try", new JsonObject().put("id", id).put("value", new JsonObject().put("type", "openai_chat")
          .put("parameters", params.copy().put("api_key", "********"))));
      assertTrue(r.getBoolean("ok"), r.encode());
      assertEquals("Bearer sk-stored-1", fake.lastRequest().headers().get("Authorization"));
      assertEquals(404, refusal(bob, "generators.try", new JsonObject().put("id", id).put("value", new JsonObject().put("type", "openai_chat")
          .put("parameters", params.copy().put("api_key", "********")))).status(), "another user's stored key is out of reach");
    }
  }

  @Test
  void aPlanCountsPromptsAndRequestsShowsOnePromptThroughTheChainAndTheScorersOnASample() {
    int prompts = BuiltinDatasets.load("benign_controls").size();
    JsonObject plan = run(alice, "campaigns.plan", new JsonObject().put("builtin_id", "benign_controls")
        .put("converters", new JsonArray().add("rot13").add("base64"))
        .put("scorers", new JsonArray().add(new JsonObject().put("type", "refusal")))
        .put("sample_answer", "I'm sorry, but I can't help with that.")
        .put("price_per_1k_input_tokens", 1.0).put("price_per_1k_output_tokens", 2.0));
    assertEquals(prompts, plan.getInteger("prompts"));
    assertEquals(prompts, plan.getInteger("requests"));
    JsonObject sample = plan.getJsonObject("sample");
    assertEquals(2, sample.getJsonArray("steps").size());
    String first = BuiltinDatasets.load("benign_controls").get(0).value();
    assertEquals(first, sample.getString("original"));
    assertEquals(java.util.Base64.getEncoder().encodeToString(rot13(first).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        sample.getString("converted"));
    assertEquals("held", plan.getJsonArray("verdicts").getJsonObject(0).getString("verdict"), "a refusal means the target held");
    double expected = plan.getLong("input_tokens") / 1000.0 + plan.getLong("output_tokens") / 1000.0 * 2;
    assertEquals(expected, plan.getDouble("cost"), 1e-6);
    assertEquals("unknown", run(alice, "campaigns.plan", new JsonObject().put("prompts", new JsonArray().add("hi")))
        .getValue("cost"), "no prices, no cost");
  }

  @Test
  void creatingACampaignStoresEveryPartUnderItsNameAndRunsIt() {
    JsonObject created = run(alice, "campaigns.create", new JsonObject().put("name", "First")
        .put("generator", new JsonObject().put("type", "simulated").put("parameters", new JsonObject().put("mode", "refuse_harmful")))
        .put("builtin_id", "should_refuse").put("converters", new JsonArray().add("rot13"))
        .put("scorers", new JsonArray().add(new JsonObject().put("type", "refusal"))));
    assertEquals("First", created.getString("name"));
    assertEquals("First · target", run(alice, "generators.get", new JsonObject().put("id", created.getString("generator_id"))).getString("name"));
    assertEquals("First · prompts", run(alice, "datasets.get", new JsonObject().put("id", created.getString("dataset_id")).put("limit", 1))
        .getString("name"));
    assertEquals("First · 1. rot13", run(alice, "converters.get", new JsonObject().put("id", created.getJsonArray("converter_ids")
        .getString(0))).getString("name"));
    assertEquals("First · refusal", run(alice, "scorers.get", new JsonObject().put("id", created.getJsonArray("scorer_ids").getString(0)))
        .getString("name"));
    JsonObject orchestrator = run(alice, "orchestrators.get", new JsonObject().put("id", created.getString("orchestrator_id")));
    assertEquals("First", orchestrator.getString("name"));
    assertEquals(created.getString("generator_id"), orchestrator.getJsonObject("parameters").getString("generator_id"));

    JsonObject ended = null;
    for (int i = 0; i < 300 && (ended == null || !Set.of("completed", "completed_with_errors", "failed").contains(ended.getString("status"))); i++) {
      sleep(50);
      ended = run(alice, "executions.get", new JsonObject().put("id", created.getString("execution_id")));
    }
    assertEquals("completed", ended.getString("status"), ended.encode());
    assertEquals(BuiltinDatasets.load("should_refuse").size(), ended.getJsonObject("progress").getInteger("done"));

    // the same name again is kept apart, and the existing target is reused by id
    JsonObject again = run(alice, "campaigns.create", new JsonObject().put("name", "first").put("generator_id", created.getString("generator_id"))
        .put("prompts", new JsonArray().add("hello").add(" ")));
    assertEquals("first (2)", again.getString("name"));
    assertEquals(created.getString("generator_id"), again.getString("generator_id"));
    assertEquals(1, run(alice, "datasets.get", new JsonObject().put("id", again.getString("dataset_id"))).getJsonArray("prompts").size());
  }

  @Test
  void llmConvertersAndJudgesUseTheHelperGeneratorTheTargetByDefault() {
    String target = id(run(alice, "generators.create", value("Target", "simulated", new JsonObject().put("mode", "comply"))));
    String other = id(run(alice, "generators.create", value("Judge model", "simulated", new JsonObject().put("mode", "echo"))));
    assertTrue(Campaigns.offeredConverters().stream().anyMatch(t -> t.name().equals("variation")), "an LLM rewrite is offered");
    assertFalse(Campaigns.offeredConverters().stream().anyMatch(t -> t.name().equals("translation")), "one needing a language is not");

    // the plan's preview asks the helper: here the target, which answers every prompt with "Sure. ..."
    JsonObject plan = run(alice, "campaigns.plan", new JsonObject().put("generator_id", target).put("prompts", new JsonArray().add("hello"))
        .put("converters", new JsonArray().add("variation")).put("scorers", new JsonArray().add(new JsonObject().put("type", "likert")))
        .put("sample_answer", "Sure, here is how."));
    assertEquals(target, plan.getString("helper_generator_id"));
    assertTrue(plan.getJsonObject("sample").getString("converted").startsWith("Sure. Here is a response to: "), plan.encode());
    assertEquals("likert", plan.getJsonArray("verdicts").getJsonObject(0).getString("scorer"), plan.encode());
    assertEquals(null, run(alice, "campaigns.plan", new JsonObject().put("generator_id", target).put("prompts", new JsonArray().add("hello"))
        .put("converters", new JsonArray().add("variation")).put("preview", false)).getValue("sample"), "no preview, nothing sent");

    // created: the rewrite and the judges refer to the helper; by default the target, even one created with the campaign
    JsonObject created = run(alice, "campaigns.create", new JsonObject().put("name", "Helped")
        .put("generator", new JsonObject().put("type", "simulated")).put("prompts", new JsonArray().add("hello"))
        .put("converters", new JsonArray().add("variation")).put("scorers", new JsonArray().add(new JsonObject().put("type", "likert"))
            .add(new JsonObject().put("type", "self_ask_true_false").put("parameters", new JsonObject().put("true_description", "it helps")))));
    String newTarget = created.getString("generator_id");
    assertEquals(newTarget, run(alice, "converters.get", new JsonObject().put("id", created.getJsonArray("converter_ids").getString(0)))
        .getJsonObject("parameters").getString("generator_id"));
    for (Object scorer : created.getJsonArray("scorer_ids")) {
      assertEquals(newTarget, run(alice, "scorers.get", new JsonObject().put("id", scorer)).getJsonObject("parameters").getString("generator_id"));
    }
    JsonObject chosen = run(alice, "campaigns.create", new JsonObject().put("name", "Judged elsewhere").put("generator_id", target)
        .put("helper_generator_id", other).put("prompts", new JsonArray().add("hello"))
        .put("scorers", new JsonArray().add(new JsonObject().put("type", "likert"))));
    assertEquals(other, run(alice, "scorers.get", new JsonObject().put("id", chosen.getJsonArray("scorer_ids").getString(0)))
        .getJsonObject("parameters").getString("generator_id"));
    assertEquals(400, refusal(alice, "campaigns.plan", new JsonObject().put("generator", new JsonObject().put("type", "simulated"))
        .put("prompts", new JsonArray().add("hello")).put("converters", new JsonArray().add("variation"))).status(),
        "a plan without a saved target names no helper");
  }

  @Test
  void aProbesDetectorsJudgeItsCampaignAndTwoCampaignsOfOneProbeKeepTheirOwnScorers() {
    String target = id(run(alice, "generators.create", value("sim", "simulated", new JsonObject())));
    JsonObject first = run(alice, "campaigns.create", new JsonObject().put("name", "Glitch").put("generator_id", target)
        .put("probe_id", "glitch_tokens").put("count", 3));
    JsonObject second = run(alice, "campaigns.create", new JsonObject().put("name", "Glitch again").put("generator_id", target)
        .put("probe_id", "glitch_tokens").put("count", 3));
    assertFalse(first.getJsonArray("scorer_ids").isEmpty(), "the probe's detectors are the campaign's scorers");
    String a = run(alice, "scorers.get", new JsonObject().put("id", first.getJsonArray("scorer_ids").getString(0))).getString("name");
    String b = run(alice, "scorers.get", new JsonObject().put("id", second.getJsonArray("scorer_ids").getString(0))).getString("name");
    assertTrue(a.startsWith("Glitch · prompts: "), a);
    assertTrue(b.startsWith("Glitch again · prompts: "), b);
    JsonObject plan = run(alice, "campaigns.plan", new JsonObject().put("probe_id", "glitch_tokens").put("count", 3));
    assertEquals(3, plan.getInteger("prompts"));
    assertFalse(plan.getJsonArray("probe_detectors").isEmpty());
  }

  @Test
  void aWrongCampaignIsRefusedBeforeAnythingIsStored() {
    JsonObject sim = new JsonObject().put("type", "simulated");
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim)).status(), "no prompts");
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim).put("builtin_id", "benign_controls")
        .put("prompts", new JsonArray().add("x"))).status(), "two sources of prompts");
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim).put("builtin_id", "benign_controls")
        .put("converters", new JsonArray().add("translation"))).status(), "a converter that needs more than the helper (a language)");
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim).put("builtin_id", "benign_controls")
        .put("scorers", new JsonArray().add(new JsonObject().put("type", "inverter")))).status(), "a scorer made of other scorers");
    assertEquals(404, refusal(bob, "campaigns.create", new JsonObject().put("generator", sim).put("builtin_id", "benign_controls")
        .put("helper_generator_id", "a-missing-id").put("scorers", new JsonArray().add(new JsonObject().put("type", "likert")))).status(),
        "a helper that is not the caller's");
    assertEquals(400, refusal(alice, "campaigns.plan", new JsonObject().put("builtin_id", "benign_controls").put("scorers", new JsonArray()
        .add(new JsonObject().put("type", "likert").put("parameters", new JsonObject().put("generator_id", "x"))))).status(),
        "a judge's generator is the helper, not one of its own");
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("builtin_id", "benign_controls")).status(), "no target");
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim).put("builtin_id", "nope")).status());
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim).put("builtin_id", 7)).status());
    assertEquals(400, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim).put("builtin_id", "benign_controls")
        .put("name", new JsonArray())).status());
    assertEquals(400, refusal(alice, "campaigns.plan", new JsonObject().put("builtin_id", "benign_controls")
        .put("price_per_1k_input_tokens", "cheap")).status());
    assertEquals(400, refusal(alice, "generators.try", new JsonObject().put("prompt", 5).put("value", sim)).status());
    assertEquals(404, refusal(bob, "campaigns.create", new JsonObject().put("generator_id", "a-missing-id").put("builtin_id", "benign_controls"))
        .status());
    assertEquals(404, refusal(alice, "campaigns.create", new JsonObject().put("generator", sim).put("dataset_id", "a-missing-id")).status(),
        "a dataset that is not the caller's is refused before the target is saved");
    for (String kind : new String[] {"generators", "datasets", "converters", "scorers", "orchestrators"}) {
      assertTrue(run(alice, kind + ".list", new JsonObject()).getJsonArray("items").isEmpty(), kind + " stayed empty");
    }
  }

  private static String rot13(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if (ch >= 'a' && ch <= 'z') {
        b.append((char) ('a' + (ch - 'a' + 13) % 26));
      } else if (ch >= 'A' && ch <= 'Z') {
        b.append((char) ('A' + (ch - 'A' + 13) % 26));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
