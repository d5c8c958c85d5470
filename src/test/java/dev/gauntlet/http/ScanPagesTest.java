package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.scan.ScanRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The /scans form's fields as the scan request the API takes: converter chains, helper models and prices. */
class ScanPagesTest {

  private static MultiMap form() {
    return MultiMap.caseInsensitiveMultiMap().add("probes", "prompt_hijack").add("generator_ids", "g1").add("generator_ids", "g2")
        .add("strategies", "prompt_sending").add("strategies", "crescendo");
  }

  @Test
  void chainsHelpersAndPricesBecomeTheRequestTheApiTakes() {
    MultiMap f = form().add("chain1_step1", "c-rot").add("chain1_step2", "c-b64").add("chain2_step2", "c-leet")
        .add("chain3_step1", "").add("chain_plain", "1")
        .add("judge_generator_id", "judge").add("attacker_generator_id", "attacker")
        .add("price_in_g1", "0.5").add("price_out_g1", "1.5").add("price_in_g2", "").add("price_out_g2", "");

    JsonObject r = ScanPages.request(f);

    assertEquals(new JsonArray()
        .add(new JsonObject().put("converter_ids", new JsonArray()))
        .add(new JsonObject().put("converter_ids", new JsonArray().add("c-rot").add("c-b64")))
        .add(new JsonObject().put("converter_ids", new JsonArray().add("c-leet"))), r.getJsonArray("converter_chains"),
        "each chain's steps in order, empty ones skipped; the plain run first when asked for");
    assertEquals("judge", r.getString("judge_generator_id"));
    assertEquals("attacker", r.getString("attacker_generator_id"));
    assertEquals(new JsonObject().put("g1", new JsonObject().put("price_per_1k_input_tokens", 0.5).put("price_per_1k_output_tokens", 1.5)),
        r.getJsonObject("prices"), "a generator without prices is left out");
    // and the API accepts it as it is: 2 generators x 2 strategies x 3 chains
    ScanRequest parsed = ScanRequest.parse(r);
    assertEquals(3, parsed.chains().size());
  }

  @Test
  void nothingPickedLeavesTheApiDefaultsAndABadPriceIsA400NamingTheGenerator() {
    JsonObject r = ScanPages.request(form().add("chain_plain", "1"));
    assertFalse(r.containsKey("converter_chains"), "no chain picked: prompts go as they are");
    assertFalse(r.containsKey("prices"));
    Problem p = assertThrows(Problem.class, () -> ScanPages.request(form().add("price_in_g2", "cheap")));
    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains("g2"), p.getMessage());
    assertThrows(Problem.class, () -> ScanPages.request(form().add("price_out_g1", "-1")));
  }
}
