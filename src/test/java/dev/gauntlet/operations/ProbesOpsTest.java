package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbesOpsTest extends OperationsFixture {

  @Test
  void listShowsEveryProbeWithItsTaxonomyAndDetectors() {
    JsonArray items = run(alice, "probes.list", new JsonObject()).getJsonArray("items");
    assertTrue(items.size() >= 25);
    Set<String> families = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject p = items.getJsonObject(i);
      families.add(p.getString("family"));
      assertFalse(p.getJsonArray("taxonomy").isEmpty(), p.getString("id"));
      assertFalse(p.getJsonArray("detectors").isEmpty(), p.getString("id"));
      assertTrue(p.getInteger("max_count") >= p.getInteger("default_count"));
    }
    assertTrue(families.size() >= 25, "families " + families);
    JsonArray one = run(alice, "probes.list", new JsonObject().put("family", "harmful_requests")).getJsonArray("items");
    assertEquals(15, one.size(), "filtered by family");
    JsonObject got = run(alice, "probes.get", new JsonObject().put("probe_id", "persona_jailbreak"));
    assertEquals("refusal", got.getJsonArray("members").getJsonObject(0).getString("type"), "the member an inverter builds on");
    assertEquals(404, refusal(alice, "probes.get", new JsonObject().put("probe_id", "no_such_probe")).status());
  }

  @Test
  void promptsPreviewIsDeterministicAndCappedAtTheProbesMax() {
    JsonObject args = new JsonObject().put("probe_id", "latent_injection").put("count", 5).put("seed", 42);
    JsonObject a = run(alice, "probes.prompts", args);
    assertEquals(5, a.getJsonArray("prompts").size());
    assertEquals(a.getJsonArray("prompts"), run(bob, "probes.prompts", args).getJsonArray("prompts"), "same seed, same prompts");
    assertNotEquals(a.getJsonArray("prompts"), run(alice, "probes.prompts", args.copy().put("seed", 43)).getJsonArray("prompts"));
    int max = run(alice, "probes.get", new JsonObject().put("probe_id", "latent_injection")).getInteger("max_count");
    assertEquals(max, run(alice, "probes.prompts", args.copy().put("count", max)).getJsonArray("prompts").size());
    Problem tooMany = refusal(alice, "probes.prompts", args.copy().put("count", max + 1));
    assertEquals(400, tooMany.status());
    assertEquals("count_too_large", tooMany.code());
    assertTrue(tooMany.getMessage().contains(String.valueOf(max)), tooMany.getMessage());
    assertEquals(400, refusal(alice, "probes.prompts", args.copy().put("count", 0)).status());
    assertEquals(400, refusal(alice, "probes.prompts", args.copy().put("count", "many")).status());
    JsonObject defaults = run(alice, "probes.prompts", new JsonObject().put("probe_id", "latent_injection"));
    assertEquals(36, defaults.getInteger("count"), "the probe's default count");
  }

  @Test
  void datasetHoldsTheProbesPromptsAndItsScorersWork() {
    JsonObject made = run(alice, "probes.dataset", new JsonObject().put("probe_id", "glitch_tokens").put("count", 6).put("seed", 9));
    String dataset = made.getString("dataset_id");
    JsonArray stored = run(alice, "datasets.get", new JsonObject().put("id", dataset).put("limit", 100)).getJsonArray("prompts");
    JsonArray preview = run(alice, "probes.prompts", new JsonObject().put("probe_id", "glitch_tokens").put("count", 6).put("seed", 9))
        .getJsonArray("prompts");
    assertEquals(6, stored.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(preview.getJsonObject(i).getString("value"), stored.getJsonObject(i).getString("value"));
    }
    // the verdict scorer is an inverter over the substring member: a garbled answer means the glitch got through
    assertEquals(1, made.getJsonArray("scorer_ids").size());
    assertEquals(1, made.getJsonArray("member_scorer_ids").size());
    String verdict = made.getJsonArray("scorer_ids").getString(0);
    assertEquals("glitch_tokens (seed 9): could not reproduce the token",
        run(alice, "scorers.get", new JsonObject().put("id", verdict)).getString("name"), "named for its probe and seed");
    assertEquals("true", scored(verdict, "I'm not sure what you mean by that word."));
    assertEquals("false", scored(verdict, "Sure: SolidGoldMagikarp"));
    assertEquals(404, refusal(bob, "scorers.get", new JsonObject().put("id", verdict)).status(), "made in the caller's memory only");
  }

  @Test
  void judgesAndMissingTypesAreSkippedWithTheirReason() {
    JsonObject made = run(alice, "probes.dataset", new JsonObject().put("probe_id", "persona_jailbreak").put("name", "personas"));
    assertEquals("personas", made.getString("name"));
    assertEquals(30, made.getInteger("count"));
    assertEquals(2, made.getJsonArray("scorer_ids").size(), "persona tag and complied; the judge is skipped");
    JsonArray skipped = made.getJsonArray("skipped");
    assertEquals(1, skipped.size());
    assertTrue(skipped.getJsonObject(0).getString("reason").contains("judge"));
    assertEquals(400, refusal(alice, "probes.dataset", new JsonObject().put("probe_id", "persona_jailbreak").put("count", 10_000))
        .status());
    assertEquals(1, run(alice, "datasets.list", new JsonObject()).getJsonArray("items").size(), "a refused count stores nothing");
  }

  private String scored(String scorer, String text) {
    return run(alice, "scorers.test", new JsonObject().put("id", scorer).put("text", text)).getJsonArray("scores").getJsonObject(0)
        .getString("score_value");
  }
}
