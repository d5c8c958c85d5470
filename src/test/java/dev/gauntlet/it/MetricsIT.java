package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics} of the real jar after a small execution: valid Prometheus text with Vert.x's and Gauntlet's meters. */
class MetricsIT {

  /** {@code name{labels} value [timestamp]}, the text exposition format's sample line. */
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (\\S+)( -?\\d+)?");
  private static final int PROMPTS = 12;

  static GauntletProcess g;

  @BeforeAll
  static void start() throws Exception {
    Path tmp = Files.createTempDirectory("gauntlet-metrics");
    // with a short warm-up, to see that it leaves nothing behind
    g = new GauntletProcess(tmp.resolve("data"), Map.of("GAUNTLET_ORCHESTRATOR_WARMUP_PROMPTS", "1000",
        "GAUNTLET_ORCHESTRATOR_WARMUP_SECONDS", "15")).start();
  }

  @AfterAll
  static void stop() throws Exception {
    g.close();
  }

  @Test
  void metricsExposeHttpGeneratorMemoryAndExecutionMeters() throws Exception {
    String user = g.newUser(g.adminToken(), "metrics-user");
    String generator = create(user, "generators", typed("sim", "simulated", new JsonObject()));
    JsonArray values = new JsonArray();
    for (int i = 0; i < PROMPTS; i++) {
      values.add(new JsonObject().put("value", "tell me a joke #" + i));
    }
    String dataset = create(user, "datasets", new JsonObject().put("name", "d").put("prompts", values));
    String orchestrator = create(user, "orchestrators", typed("ps", "prompt_sending",
        new JsonObject().put("generator_id", generator).put("dataset_id", dataset)));
    GauntletProcess.Response started = g.post("/api/v1/orchestrators/" + orchestrator + "/executions", user, null);
    assertEquals(202, started.status(), started.text());
    String id = started.json().getString("id");
    long deadline = System.currentTimeMillis() + 30_000;
    String status = "";
    while (System.currentTimeMillis() < deadline && !status.equals("completed_with_errors")) { // no scorer: unscored answers
      status = g.get("/api/v1/executions/" + id, user).json().getString("status");
      Thread.sleep(100);
    }
    assertEquals("completed_with_errors", status);

    GauntletProcess.Response r = g.get("/metrics", null);
    assertEquals(200, r.status(), r.text());
    Map<String, Double> samples = parse(r.text());

    assertTrue(sum(samples, "vertx_http_server_requests_total", "") > 0, "Vert.x HTTP server meters");
    assertTrue(sum(samples, "gauntlet_generator_request_seconds_count", "type=\"simulated\"") >= PROMPTS,
        "generator latency counts every prompt");
    assertTrue(sum(samples, "gauntlet_memory_batch_commit_seconds_count", "") >= 1, "memory batch commits");
    assertTrue(sum(samples, "gauntlet_memory_batch_rows_count", "") >= 1, "memory batch sizes");
    assertTrue(samples.containsKey("gauntlet_memory_open_connections"), "open connections gauge");
    assertTrue(samples.get("gauntlet_memory_open_connections") >= 1, "the user's memory is open");
    assertEquals(0.0, samples.get("gauntlet_memory_switch_events_total"));
    assertEquals(0.0, samples.get("gauntlet_memory_switch_events_recorded"));
    assertTrue(samples.get("gauntlet_executions_finished_total{state=\"completed_with_errors\"}") >= 1, "finished executions");
    assertEquals(0.0, samples.get("gauntlet_executions_running"));
    for (String key : samples.keySet()) {
      assertTrue(!key.contains("metrics-user") && !key.contains(id) && !key.contains(generator), "no user names or ids: " + key);
    }
  }

  @Test
  void theWarmUpAtStartLeavesNoMeterNoMemoryAndNoFile() throws Exception {
    assertTrue(g.output().contains("warmed up in"), g.output());
    Map<String, Double> samples = parse(g.get("/metrics", null).text());
    // its openai_chat requests were its own (this class's execution uses a simulated generator)
    assertEquals(0.0, sum(samples, "gauntlet_generator_request_seconds_count", "type=\"openai_chat\""));
    JsonObject health = g.get("/api/v1/admin/memory-health", g.adminToken()).json();
    assertEquals(0, health.getJsonArray("orphans").size(), health.encode());
    assertEquals(0L, health.getLong("switch_events"));
    try (var files = Files.list(g.dataDir.resolve("memory"))) {
      files.forEach(f -> assertTrue(f.getFileName().toString().matches("pyrit_memory_[0-9a-f]{64}\\.db(\\.wal)?"), "memory dir: " + f));
    }
    try (var files = Files.list(g.dataDir.getParent())) {
      assertEquals(List.of("data"), files.map(f -> f.getFileName().toString()).toList(), "the working directory");
    }
  }

  @Test
  void metricsCanBeTurnedOffAndLogsCanBeJson() throws Exception {
    Path tmp = Files.createTempDirectory("gauntlet-nometrics");
    try (GauntletProcess plain = new GauntletProcess(tmp.resolve("data"),
        Map.of("GAUNTLET_METRICS_ENABLED", "false", "GAUNTLET_LOG_JSON", "true")).start()) {
      assertEquals(404, plain.get("/metrics", null).status());
      List<String> lines = plain.output().lines().filter(l -> l.startsWith("{")).toList();
      assertTrue(lines.stream().anyMatch(l -> new JsonObject(l).getString("message", "").startsWith("Gauntlet listening")),
          "JSON log lines: " + plain.output());
      lines.forEach(l -> assertTrue(new JsonObject(l).containsKey("level"), l));
    }
  }

  /** Every line is a comment or a valid sample; returns sample (name and labels) to value. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    List<String> bad = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        bad.add(line);
        continue;
      }
      String value = m.group(3);
      double v = switch (value) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(value);
      };
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), v);
    }
    assertTrue(bad.isEmpty(), "not Prometheus text: " + bad);
    assertTrue(text.contains("# TYPE "), "TYPE comments");
    return samples;
  }

  private static double sum(Map<String, Double> samples, String name, String labelPart) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .filter(e -> e.getKey().contains(labelPart))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  private static String create(String user, String kind, JsonObject body) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/" + kind, user, body);
    assertEquals(201, r.status(), kind + ": " + r.text());
    return r.json().getString("id");
  }

  private static JsonObject typed(String name, String type, JsonObject params) {
    return new JsonObject().put("name", name).put("type", type).put("parameters", params);
  }
}
