package dev.gauntlet.it;

import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions on the real jar against a target that misbehaves in every way a real one does:
 * they finish, each prompt's failure is classified in {@code response_error} after the right
 * number of attempts, no event loop is ever blocked (Vert.x's blocked-thread warnings, checked
 * every 100 ms against a 1 s limit, fail the test), and 10 MB answers streaming at once keep the
 * heap bounded because the generator caps what it reads.
 */
class TargetFaultsIT {

  static final long BODY_CAP = 10_485_760;
  static final int HUGE_PROMPTS = 40;
  static final int HUGE_CONCURRENCY = 8;
  /**
   * Vert.x's limit for one event-loop task here. Its default is 2 s; a quarter of that still
   * catches any blocking call, while a 2-core machine shared with builds can stall a runnable
   * thread for half a second.
   */
  static final long BLOCKED_LIMIT_MS = 1000;
  private static final Pattern HEAP_AFTER_GC = Pattern.compile("Pause.*\\d+M->(\\d+)M\\(\\d+M\\)");

  /** A prompt, what its answer's response_error must say, and how many requests it takes (max_retries 1). */
  record Case(String prompt, String error, int requests) {}

  static final List<Case> CASES = List.of(
      new Case("[[fake:429:1*1]] rate limited once, Retry-After 1", "none", 2),
      new Case("[[fake:503:1*1]] unavailable once, Retry-After 1", "none", 2),
      new Case("[[fake:500*1]] server error once", "none", 2),
      new Case("[[fake:reset*1]] connection reset once", "none", 2),
      new Case("[[fake:429:0]] always rate limited", "rate_limited", 2),
      new Case("[[fake:503:0]] always unavailable", "server_error", 2),
      new Case("[[fake:500]] always a server error", "server_error", 2),
      new Case("[[fake:timeout]] never answers", "timeout", 2),
      new Case("[[fake:reset]] connection reset", "connection", 2),
      new Case("[[fake:cut]] connection dropped mid-body", "connection", 2),
      new Case("[[fake:malformed]] malformed JSON", "invalid_response", 1),
      new Case("[[fake:drip:50]] slow drip past the timeout", "timeout", 2),
      new Case("[[fake:drip:1]] slow drip within the timeout", "none", 1),
      new Case("[[fake:content_filter]] filtered", "blocked", 1),
      new Case("[[fake:huge:1000000]] a megabyte, under the cap", "none", 1),
      new Case("a plain question", "none", 1),
      new Case("another plain question", "none", 1));

  @TempDir
  Path tmp;

  @Test
  void executionsAgainstAMisbehavingTargetFinishClassifiedWithNoEventLoopBlockedAndBoundedMemory() throws Exception {
    Path gcLog = tmp.resolve("gc.log");
    try (FakeOpenAi fake = new FakeOpenAi(); GauntletProcess g = new GauntletProcess(tmp.resolve("data"), Map.of(
        "GAUNTLET_VERTX_BLOCKED_THREAD_CHECK_INTERVAL_MS", "100",
        "GAUNTLET_VERTX_MAX_EVENT_LOOP_EXECUTE_TIME_MS", Long.toString(BLOCKED_LIMIT_MS)))) {
      fake.start(0, 2);
      // answers are capped at 10 MB each, so eight at once fit a small heap; the JVM logs each GC
      g.jvm("-Xmx384m", "-Xlog:gc:file=" + gcLog).start();
      String user = g.newUser(g.adminToken(), "faults");
      String faulty = generator(g, user, fake, new JsonObject().put("timeout_ms", 5000).put("max_retries", 1).put("retry_backoff_ms", 50));
      String capped = generator(g, user, fake, new JsonObject().put("max_concurrency", HUGE_CONCURRENCY).put("max_retries", 0));
      // what the event loops do from here on is serving executions, past the cold start
      int logFrom = g.output().length();

      JsonArray rows = new JsonArray();
      CASES.forEach(c -> rows.add(new JsonObject().put("value", c.prompt())));
      JsonObject finished = execute(g, user, faulty, rows, 16);
      assertEquals(CASES.size(), finished.getJsonObject("progress").getInteger("done"));
      JsonArray items = g.get("/api/v1/executions/" + finished.getString("id") + "/results?limit=100", user).json().getJsonArray("items");
      assertEquals(CASES.size(), items.size());
      for (Object o : items) {
        JsonObject item = (JsonObject) o;
        Case c = CASES.get(item.getInteger("prompt_index"));
        JsonObject answer = item.getJsonArray("pieces").getJsonObject(1);
        assertEquals("assistant", answer.getString("role"));
        assertEquals(c.error(), answer.getString("response_error"), c.prompt() + ": " + answer.encode());
        assertEquals(c.error().equals("none") ? "succeeded" : "failed", item.getString("status"), c.prompt());
        assertEquals(c.requests(), fake.requestsFor(c.prompt()), c.prompt() + ": requests");
        // each fault class ends as an error with its class; a content-filter block is held; an
        // answer with no scorer configured is unscored (the run has none)
        String outcome = c.error().equals("none") ? "unscored" : c.error().equals("blocked") ? "held" : "error";
        assertEquals(outcome, item.getString("outcome"), c.prompt());
        assertEquals(c.error().equals("none") ? "no scorer" : c.error(), item.getString("reason"), c.prompt());
      }

      // 10 MB answers, eight streaming at once: each read up to the cap, then cut off
      JsonArray huge = new JsonArray();
      for (int i = 0; i < HUGE_PROMPTS; i++) {
        huge.add(new JsonObject().put("value", "[[fake:huge:" + (10 * 1024 * 1024) + "]] ten megabytes #" + i));
      }
      int gcsBefore = heapsAfterGcMb(gcLog).size();
      AtomicLong peakRss = new AtomicLong();
      JsonObject hugeRun = execute(g, user, capped, huge, HUGE_CONCURRENCY, peakRss);
      JsonArray hugeItems = g.get("/api/v1/executions/" + hugeRun.getString("id") + "/results?limit=100", user).json().getJsonArray("items");
      assertEquals(HUGE_PROMPTS, hugeItems.size());
      for (Object o : hugeItems) {
        assertEquals("too_large", ((JsonObject) o).getJsonArray("pieces").getJsonObject(1).getString("response_error"));
      }
      List<Long> heaps = heapsAfterGcMb(gcLog);
      List<Long> streaming = heaps.subList(gcsBefore, heaps.size());
      // each answer in flight holds at most its body and, while that grows, one copy of it; a single
      // collection may still find dead copies G1 has not reclaimed yet, so the typical (median) heap
      // after GC is held to that bound, and the jar must never run out of heap
      long bound = 64 + HUGE_CONCURRENCY * (2 * BODY_CAP + 4 * 1024 * 1024) / (1024 * 1024);
      long worst = streaming.stream().mapToLong(Long::longValue).max().orElse(0);
      long median = streaming.isEmpty() ? 0 : streaming.stream().sorted().toList().get(streaming.size() / 2);
      System.out.printf("target faults: %d cases classified; %d x 10 MB answers, concurrency %d: %d GCs while streaming, "
              + "heap after GC median %d MB, at most %d MB (bound %d MB, -Xmx384m), RSS peak %,d MB, %,d MB written by the target%n",
          CASES.size(), HUGE_PROMPTS, HUGE_CONCURRENCY, streaming.size(), median, worst, bound, peakRss.get() >> 10,
          fake.hugeBytesWritten() >> 20);
      assertFalse(streaming.isEmpty(), "400 MB went through a 384 MB heap, so it was collected while the answers streamed");
      assertTrue(median <= bound, "median heap after GC " + median + " MB while streaming, bound " + bound + " MB");
      assertFalse(g.output().contains("OutOfMemoryError"), "the jar ran out of memory");
      assertTrue(peakRss.get() < 1024 * 1024, "RSS peak " + (peakRss.get() >> 10) + " MB");

      Map<String, Double> metrics = metrics(g);
      for (String error : List.of("rate_limited", "server_error", "timeout", "connection", "invalid_response", "blocked", "too_large")) {
        assertTrue(sum(metrics, "gauntlet_generator_errors_total", "error=\"" + error + "\"") >= 1, "errors counted: " + error);
      }
      int retries = CASES.stream().mapToInt(c -> c.requests() - 1).sum();
      assertEquals(retries, sum(metrics, "gauntlet_generator_retries_total", ""), 0.5, "every retry counted");
      assertTrue(sum(metrics, "vertx_eventbus_processed_total", "") > 0, "event bus meters");
      String running = g.output().substring(logFrom);
      assertFalse(running.contains("has been blocked"), "an event loop was blocked:\n" + blocked(running));
    }
  }

  private static String generator(GauntletProcess g, String user, FakeOpenAi fake, JsonObject limits) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/generators", user, new JsonObject().put("name", "fake " + limits.encode() + " " + java.util.UUID.randomUUID())
        .put("type", "openai_chat").put("parameters", limits.copy().put("base_url", fake.baseUrl()).put("model", "m")));
    assertEquals(201, r.status(), r.text());
    return r.json().getString("id");
  }

  private static String launch(GauntletProcess g, String user, String generator, JsonArray prompts, int concurrency) throws Exception {
    // names are unique per kind: each launch's own
    String name = "faults " + java.util.UUID.randomUUID();
    GauntletProcess.Response d = g.post("/api/v1/datasets", user, new JsonObject().put("name", name).put("prompts", prompts));
    assertEquals(201, d.status(), d.text());
    GauntletProcess.Response o = g.post("/api/v1/orchestrators", user, new JsonObject().put("name", name).put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", d.json().getString("id"))
            .put("concurrency", concurrency)));
    assertEquals(201, o.status(), o.text());
    GauntletProcess.Response e = g.post("/api/v1/orchestrators/" + o.json().getString("id") + "/executions", user, null);
    assertEquals(202, e.status(), e.text());
    return e.json().getString("id");
  }

  private static JsonObject execute(GauntletProcess g, String user, String generator, JsonArray prompts, int concurrency) throws Exception {
    return execute(g, user, generator, prompts, concurrency, new AtomicLong());
  }

  /** Runs to the end, reading the process's resident memory at every poll. */
  private static JsonObject execute(GauntletProcess g, String user, String generator, JsonArray prompts, int concurrency,
                                    AtomicLong peakRssKb) throws Exception {
    String id = launch(g, user, generator, prompts, concurrency);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      JsonObject e = g.get("/api/v1/executions/" + id, user).json();
      if (!e.getString("status").equals("queued") && !e.getString("status").equals("running")) {
        // errors among the prompts, and answers with no scorer (unscored): it completes with errors
        assertEquals("completed_with_errors", e.getString("status"), e.encode());
        return e;
      }
      peakRssKb.accumulateAndGet(rssKb(g.pid()), Math::max);
      Thread.sleep(50);
    }
    throw new AssertionError("execution " + id + " did not finish within 120 s");
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  /** The heap in use after each collection so far, from the JVM's own log ({@code Pause Young ... 150M->40M(384M)}). */
  private static List<Long> heapsAfterGcMb(Path gcLog) throws IOException {
    List<Long> out = new ArrayList<>();
    if (Files.exists(gcLog)) {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = HEAP_AFTER_GC.matcher(line);
        if (m.find()) {
          out.add(Long.parseLong(m.group(1)));
        }
      }
    }
    return out;
  }

  private static Map<String, Double> metrics(GauntletProcess g) throws Exception {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : g.get("/metrics", null).text().split("\n")) {
      int space = line.lastIndexOf(' ');
      if (!line.startsWith("#") && space > 0) {
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return samples;
  }

  private static double sum(Map<String, Double> samples, String name, String labelPart) {
    return samples.entrySet().stream().filter(e -> e.getKey().startsWith(name) && e.getKey().contains(labelPart))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  private static String blocked(String log) {
    return String.join("\n", log.lines().filter(l -> l.contains("has been blocked")).limit(5).toList());
  }
}
