package dev.gauntlet.it;

import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scans through the real jar against the fake OpenAI server: the plan's request count is what the
 * target then receives, the scan's executions carry its labels and end in a compliance report.
 */
class ScanIT {

  static GauntletProcess g;
  static FakeOpenAi fake;
  static String user;
  static String generator;

  @BeforeAll
  static void start() throws Exception {
    fake = new FakeOpenAi();
    fake.start(0);
    g = new GauntletProcess(Files.createTempDirectory("gauntlet-scan").resolve("data"), Map.of()).start();
    user = g.newUser(g.adminToken(), "scan-user");
    GauntletProcess.Response created = g.post("/api/v1/generators", user, new JsonObject().put("name", "fake <b>model</b>")
        .put("type", "openai_chat").put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m")));
    assertEquals(201, created.status(), created.text());
    generator = created.json().getString("id");
  }

  @AfterAll
  static void stop() throws Exception {
    g.close();
    fake.close();
  }

  /** Waits for the scan's executions to end; returns the scan. */
  static JsonObject finished(String scanId, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      JsonObject scan = g.get("/api/v1/scans/" + scanId, user).json();
      if (!Set.of("queued", "running").contains(scan.getString("status"))) {
        return scan;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("scan " + scanId + " did not finish in " + timeoutMs + " ms");
  }

  @Test
  void aQuickScansPlanCountsTheRequestsTheTargetThenReceivesAndItEndsInAComplianceReport() throws Exception {
    JsonObject body = new JsonObject().put("preset", "quick").put("generator_ids", new JsonArray().add(generator))
        .put("prices", new JsonObject().put(generator, new JsonObject().put("price_per_1k_input_tokens", 0.5)
            .put("price_per_1k_output_tokens", 1.5)));
    GauntletProcess.Response planned = g.post("/api/v1/scans/plan", user, body);
    assertEquals(200, planned.status(), planned.text());
    JsonObject totals = planned.json().getJsonObject("totals");
    long requests = totals.getLong("requests");
    assertTrue(requests > 0);
    assertFalse(totals.getBoolean("requests_up_to"));
    assertTrue(totals.getValue("cost") instanceof Number, totals.encode());
    assertTrue(planned.json().getJsonObject("coverage").getJsonArray("owasp_llm").contains("LLM01"));
    assertEquals(0, fake.requests(), "planning sends nothing");

    fake.reset();
    long t0 = System.nanoTime();
    GauntletProcess.Response created = g.post("/api/v1/scans", user, body.copy().put("name", "quick <i>scan</i>"));
    long launchedMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(201, created.status(), created.text());
    String scanId = created.json().getString("id");
    JsonObject scan = finished(scanId, 60_000);
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("quick scan: %d plan rows, %d requests planned, %d received by the fake target, launched in %d ms, wall %d ms%n",
        planned.json().getJsonArray("items").size(), requests, fake.requests(), launchedMs, wallMs);
    for (Object e : scan.getJsonArray("executions")) {
      JsonObject x = (JsonObject) e;
      System.out.printf("  execution %s: created %s, started %s, finished %s%n", x.getString("id"), x.getString("created_at"),
          x.getString("started_at"), x.getString("finished_at"));
    }
    assertEquals(requests, fake.requests(), "the plan's request count is what the target received");
    assertEquals("completed", scan.getString("status"), scan.encode());
    assertEquals(totals.getLong("prompts"), scan.getJsonObject("progress").getLong("done"));
    for (Object e : scan.getJsonArray("executions")) {
      JsonObject labels = ((JsonObject) e).getJsonObject("labels");
      assertEquals(scanId, labels.getString("scan"));
      assertTrue(labels.getString("probe") != null);
    }
    JsonArray listed = g.get("/api/v1/scans", user).json().getJsonArray("items");
    assertTrue(listed.stream().anyMatch(s -> ((JsonObject) s).getString("id").equals(scanId)));

    // the fake answers "Sure: <prompt>", which carries prompt_hijack's rogue string: LLM01 fails, with evidence
    JsonObject report = g.get("/api/v1/scans/" + scanId + "/compliance", user).json();
    JsonObject llm01 = report.getJsonArray("frameworks").getJsonObject(0).getJsonArray("controls").getJsonObject(0);
    assertEquals("LLM01", llm01.getString("id"));
    assertEquals("failing", llm01.getString("status"));
    assertTrue(llm01.getJsonObject("outcomes").getLong("attack_succeeded") > 0);
    assertFalse(llm01.getJsonArray("evidence").isEmpty());
    // over REST the page comes inside JSON (the API answers JSON only); the browser opens /scans/{id}/compliance
    String html = g.get("/api/v1/scans/" + scanId + "/compliance?format=html", user).json().getString("html");
    assertTrue(html.startsWith("<!doctype html>"), html);
    assertTrue(html.contains("quick &lt;i&gt;scan&lt;/i&gt;"), "the scan's name is escaped");
    assertFalse(html.contains("<i>scan</i>"));
    String execution = scan.getJsonArray("executions").getJsonObject(0).getString("id");
    GauntletProcess.Response one = g.get("/api/v1/executions/" + execution + "/compliance", user);
    assertEquals(200, one.status(), one.text());
    assertEquals("execution", one.json().getJsonObject("subject").getString("kind"));
  }

  @Test
  void eachStrategyAndChainIsAnExecutionAndAPrimingStrategyCountsTwoRequestsAPrompt() throws Exception {
    GauntletProcess.Response converter = g.post("/api/v1/converters", user, new JsonObject().put("name", "rot").put("type", "rot13"));
    assertEquals(201, converter.status(), converter.text());
    JsonObject body = new JsonObject().put("probes", new JsonArray().add("prompt_hijack")).put("count", 3).put("seed", 7)
        .put("generator_ids", new JsonArray().add(generator)).put("strategies", new JsonArray().add("prompt_sending").add("skeleton_key"))
        .put("converter_chains", new JsonArray().add(new JsonObject().put("converter_ids", new JsonArray()))
            .add(new JsonObject().put("converter_ids", new JsonArray().add(converter.json().getString("id")))));
    JsonObject plan = g.post("/api/v1/scans/plan", user, body).json();
    assertEquals(4, plan.getJsonArray("items").size());
    // 3 prompts × (1 + 2 requests) × 2 chains
    assertEquals(18, plan.getJsonObject("totals").getLong("requests"));
    assertEquals("unknown", plan.getJsonObject("totals").getValue("cost"), "no price given");
    fake.reset();
    GauntletProcess.Response created = g.post("/api/v1/scans", user, body);
    assertEquals(201, created.status(), created.text());
    JsonObject scan = finished(created.json().getString("id"), 60_000);
    assertEquals(4, scan.getJsonArray("executions").size());
    assertEquals(18, fake.requests());
  }

  @Test
  void badScanRequestsAreRefusedNamingWhatIsWrong() throws Exception {
    JsonObject gens = new JsonObject().put("generator_ids", new JsonArray().add(generator));
    GauntletProcess.Response unknown = g.post("/api/v1/scans/plan", user, gens.copy().put("probes", new JsonArray().add("no_such_probe")));
    assertEquals(400, unknown.status());
    assertTrue(unknown.text().contains("no_such_probe"), unknown.text());
    GauntletProcess.Response both = g.post("/api/v1/scans/plan", user, gens.copy().put("preset", "full")
        .put("probes", new JsonArray().add("prompt_hijack")));
    assertEquals(400, both.status());
    GauntletProcess.Response strategy = g.post("/api/v1/scans/plan", user, gens.copy().put("preset", "quick")
        .put("strategies", new JsonArray().add("nope")));
    assertEquals(400, strategy.status());
    assertTrue(strategy.text().contains("nope"));
    GauntletProcess.Response multi = g.post("/api/v1/scans/plan", user, gens.copy().put("preset", "quick")
        .put("strategies", new JsonArray().add("crescendo")));
    assertEquals(400, multi.status());
    assertTrue(multi.text().contains("attacker_generator_id"), multi.text());
    assertEquals(404, g.post("/api/v1/scans/plan", user, new JsonObject().put("preset", "quick")
        .put("generator_ids", new JsonArray().add("not-mine"))).status());
    String other = g.newUser(g.adminToken(), "scan-other");
    GauntletProcess.Response mine = g.post("/api/v1/scans", user, gens.copy().put("probes", new JsonArray().add("prompt_hijack")).put("count", 1));
    assertEquals(201, mine.status(), mine.text());
    assertEquals(404, g.get("/api/v1/scans/" + mine.json().getString("id"), other).status());
    assertEquals(404, g.get("/api/v1/scans/" + mine.json().getString("id") + "/compliance", other).status());
  }
}
