package dev.gauntlet.scan;

import dev.gauntlet.Problem;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.Probes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanPlanTest {

  private static final JsonObject PRICED = new JsonObject().put("name", "priced").put("type", "openai_chat")
      .put("parameters", new JsonObject().put(ScanPlan.PRICE_IN, 2.0).put(ScanPlan.PRICE_OUT, 4.0));

  private static JsonObject request(Object... more) {
    JsonObject a = new JsonObject().put("probes", new JsonArray().add("prompt_hijack")).put("generator_ids", new JsonArray().add("g"))
        .put("attacker_generator_id", "att");
    for (int i = 0; i < more.length; i += 2) {
      a.put((String) more[i], more[i + 1]);
    }
    return a;
  }

  @Test
  void tokensAreCharactersOverFourPlusTheAssumedAnswerAndCostComesFromTheGeneratorsPrices() {
    ScanRequest r = ScanRequest.parse(request("count", 3, "seed", 11, "answer_tokens", 100,
        "prices", new JsonObject().put("g", new JsonObject().put(ScanPlan.PRICE_IN, 99.0).put(ScanPlan.PRICE_OUT, 99.0))));
    JsonObject plan = ScanPlan.of(r, Map.of("g", PRICED));
    long chars = Probes.get("prompt_hijack").prompts(3, 11).stream().mapToLong(p -> p.value().length()).sum();
    JsonObject totals = plan.getJsonObject("totals");
    assertEquals(3, totals.getLong("prompts"));
    assertEquals(3, totals.getLong("requests"));
    assertEquals((chars + 3) / 4, totals.getLong("input_tokens"));
    assertEquals(300, totals.getLong("output_tokens"));
    // the generator's own prices win over the scan's map
    assertEquals((chars + 3) / 4 / 1000.0 * 2.0 + 300 / 1000.0 * 4.0, totals.getDouble("cost"), 1e-6);
    assertTrue(plan.getJsonArray("controls").contains("owasp_llm:LLM01"));
    assertEquals(new JsonArray().add("LLM01"), plan.getJsonObject("coverage").getJsonArray("owasp_llm"));
  }

  @Test
  void aMultiTurnStrategyIsUpToItsMaxTurnsAndAPriceFromTheScanMapIsUsedWhenTheGeneratorHasNone() {
    ScanRequest r = ScanRequest.parse(request("count", 2, "strategies", new JsonArray().add("crescendo"),
        "prices", new JsonObject().put("g", new JsonObject().put(ScanPlan.PRICE_IN, 1).put(ScanPlan.PRICE_OUT, 1))));
    JsonObject item = ScanPlan.of(r, Map.of("g", new JsonObject().put("name", "plain"))).getJsonArray("items").getJsonObject(0);
    assertEquals(20, item.getLong("requests"), "2 objectives × up to 10 turns");
    assertTrue(item.getBoolean("requests_up_to"));
    assertTrue(item.getValue("cost") instanceof Number);
  }

  @Test
  void aCountAboveTheProbesMaximumIsCappedAndPresetsPickProbesFromTheCatalog() {
    Probe hijack = Probes.get("prompt_hijack");
    ScanRequest r = ScanRequest.parse(request("count", hijack.maxCount() + 50));
    assertEquals(hijack.maxCount(), r.counts().get("prompt_hijack"));
    ScanRequest owasp = ScanRequest.parse(new JsonObject().put("preset", "owasp_llm_top10").put("generator_ids", new JsonArray().add("g")));
    for (Probe p : Probes.all()) {
      assertEquals(p.taxonomy().stream().anyMatch(t -> t.startsWith("owasp_llm:")), owasp.probes().contains(p), p.id());
    }
    ScanRequest full = ScanRequest.parse(new JsonObject().put("preset", "full").put("generator_ids", new JsonArray().add("g")));
    assertEquals(Probes.all().size(), full.probes().size());
    Problem unknown = assertThrows(Problem.class, () -> ScanRequest.parse(new JsonObject().put("preset", "everything")
        .put("generator_ids", new JsonArray().add("g"))));
    assertEquals(400, unknown.status());
  }
}
