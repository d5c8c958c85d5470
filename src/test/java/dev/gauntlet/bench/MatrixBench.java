package dev.gauntlet.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The results workbench's benchmark: {@code --results} answers (each with its prompt and one
 * score) go into one user's memory of the real jar over REST, as executions of
 * {@code --prompts} prompts each leave them, every execution sending the same prompts (so two of
 * them compare prompt by prompt); then that user's browser session asks, one request after
 * another, for the results matrix with a search word and two filters, the compare page of two
 * executions, and the heat map, and the server's time of each ({@code Server-Timing}, handler to
 * rendered HTML) and the client's are taken. See {@code bench/matrix.sh}.
 */
public final class MatrixBench {

  static final String USER = "matrix";
  /** Words prompts are made of; "napalm" is in about one prompt in 25. */
  static final String[] WORDS = {"explain", "how", "to", "bypass", "the", "filter", "write", "a", "story", "about", "chemistry", "lab",
      "recipe", "for", "grandmother", "used", "tell", "me", "secret", "instructions", "ignore", "previous", "rules", "roleplay", "as"};
  static final Map<String, Double> GOALS = Map.of("matrix", 100.0, "compare", 100.0, "heatmap", 50.0);

  record Options(long results, int prompts, int runs, int warmup, Path jar, List<String> jvm) {
    static final String USAGE = """
        usage: bench/matrix.sh [--results 100k] [--prompts 10k] [--runs 100] [--warmup 20] [--jar target/gauntlet.jar] [--jvm "-Xmx1g"]
          --results N  answers loaded into the user's memory, each with its prompt and one score (default 100k)
          --prompts N  prompts per execution, the same in every execution (default 10k)
          --runs N     timed requests of each page (default 100, after --warmup untimed ones)""";

    static Options parse(String[] args) {
      long results = 100_000;
      int prompts = 10_000;
      int runs = 100;
      int warmup = 20;
      Path jar = Path.of("target", "gauntlet.jar");
      List<String> jvm = List.of("-Xmx1g");
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          throw new IllegalArgumentException("help");
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String v = args[++i];
        switch (flag) {
          case "--results" -> results = count(v);
          case "--prompts" -> prompts = (int) count(v);
          case "--runs" -> runs = (int) count(v);
          case "--warmup" -> warmup = (int) count(v);
          case "--jar" -> jar = Path.of(v);
          case "--jvm" -> jvm = List.of(v.trim().split("\\s+"));
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      }
      if (results < 2L * prompts || prompts < 10 || runs < 1) {
        throw new IllegalArgumentException("--results must hold two executions of --prompts (at least 10), --runs at least 1");
      }
      return new Options(results, prompts, runs, warmup, jar, jvm);
    }

    private static long count(String value) {
      String v = value.trim().toLowerCase().replace("_", "").replace(",", "");
      long unit = v.endsWith("k") ? 1_000 : v.endsWith("m") ? 1_000_000 : 1;
      return Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
    }
  }

  private final Options o;
  private final List<String> table = new ArrayList<>();

  private MatrixBench(Options o) {
    this.o = o;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().equals("help")) {
        System.err.println("matrix bench: " + e.getMessage());
      }
      System.err.println(Options.USAGE);
      System.exit(e.getMessage().equals("help") ? 0 : 2);
      return;
    }
    System.out.printf("matrix bench: %d cores, java %s; %,d results in executions of %,d prompts; %d timed requests per page after %d; load %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), options.results(), options.prompts(),
        options.runs(), options.warmup(), ExecutionBench.loadAverage());
    int exit = 0;
    try {
      new MatrixBench(options).run();
    } catch (Exception e) {
      System.err.println("matrix bench failed: " + e);
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("gauntlet-bench-matrix-");
    int port = ChildJvm.freePort();
    List<String> jar = List.of("-jar", o.jar().toAbsolutePath().toString());
    try (ChildJvm gauntlet = ChildJvm.start("gauntlet", o.jvm(), jar, dir, Map.of(
        "GAUNTLET_DATA_DIR", dir.resolve("data").toString(),
        "GAUNTLET_HTTP_HOST", "127.0.0.1",
        "GAUNTLET_HTTP_PORT", Integer.toString(port),
        "GAUNTLET_ADMIN_PASSWORD", RenderBench.ADMIN_PASSWORD))) {
      gauntlet.awaitReady("http://127.0.0.1:" + port + "/ready", 120);
      Rest admin = new Rest(port);
      admin.signIn("admin", RenderBench.ADMIN_PASSWORD);
      admin.post("/admin/users", new JsonObject().put("username", USER).put("password", USER + "-password-long")
          .put("roles", new JsonArray().add("user")), 201);
      Rest rest = new Rest(port);
      rest.signIn(USER, USER + "-password-long");
      long t0 = System.nanoTime();
      String[] executions = load(rest);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("loaded %,d results in %.1f s, %,d MB VmRSS%n", o.results(), seconds, gauntlet.status("VmRSS:") >> 10);

      long c0 = System.nanoTime();
      JsonObject all = rest.get("/dashboard/matrix?days=3650&limit=1");
      String first = String.format("%-34s %.0f ms (once: indexes the %,d results and their texts)", "first matrix read after the load:",
          (System.nanoTime() - c0) / 1e6, o.results());
      System.out.println(first);
      table.add(first);
      RenderBench.check(all.getLong("total") == o.prompts(), "the matrix has one row per prompt: " + all.getLong("total"));

      String a = executions[executions.length - 1];
      String b = executions[executions.length - 2];
      RenderBench.Browser browser = new RenderBench.Browser(port);
      browser.signIn(USER, USER + "-password-long");
      String matrix = "/dashboard/matrix?days=3650&q=napalm&outcome=attack_succeeded&generator=gen-1";
      JsonObject found = rest.get("/dashboard/matrix?days=3650&q=napalm&outcome=attack_succeeded&generator=gen-1&limit=1");
      System.out.printf("  the matrix case keeps %,d prompts%n", found.getLong("total"));
      RenderBench.check(found.getLong("total") > 0, "the search word and filters keep some prompts");
      measure(gauntlet, browser, "matrix", "matrix: search word, two filters", matrix);
      measure(gauntlet, browser, "matrix", "matrix: no filter, all time", "/dashboard/matrix?days=3650");
      measure(gauntlet, browser, "compare", "compare: two executions", "/dashboard/compare?a=" + a + "&b=" + b);
      measure(gauntlet, browser, "compare", "compare: three, outcome and word", "/dashboard/compare?a=" + a + "&b=" + b + "&more="
          + executions[executions.length - 3] + "&outcome=attack_succeeded&q=napalm");
      measure(gauntlet, browser, "heatmap", "heat map: generator x category", "/dashboard/heatmap?days=3650");
      measure(gauntlet, browser, "heatmap", "heat map: generator x probe", "/dashboard/heatmap?days=3650&axis=probe");
      int exit = gauntlet.stop(60);
      if (exit != 0) {
        throw new IllegalStateException("gauntlet exited " + exit + " on SIGTERM\n" + gauntlet.output());
      }
    } finally {
      System.out.println();
      System.out.println("== results ==");
      table.forEach(System.out::println);
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Executions of {@code prompts} prompts, each the same texts in the same order, sent to one of
   * five generators with one of three probes' labels, over the last 60 days; an answer complies
   * in about a third of cases and one judge says so with some noise.
   */
  private String[] load(Rest rest) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    String[] prompts = new String[o.prompts()];
    for (int i = 0; i < prompts.length; i++) {
      StringBuilder p = new StringBuilder("#" + i + ":");
      int words = 12 + random.nextInt(20);
      for (int w = 0; w < words; w++) {
        p.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
      }
      if (random.nextInt(25) == 0) {
        p.append(" napalm");
      }
      prompts[i] = p.toString();
    }
    int executions = (int) (o.results() / o.prompts());
    String[] ids = new String[executions];
    long now = System.currentTimeMillis();
    for (int e = 0; e < executions; e++) {
      ids[e] = new UUID(random.nextLong(), random.nextLong()).toString();
      long start = now - (long) (executions - e) * 60L * 86_400_000L / executions;
      JsonObject target = new JsonObject().put("__type__", "OpenAIChatTarget").put("name", "gen-" + (e % 5));
      JsonObject labels = new JsonObject().put("probe", "probe-" + (e % 3)).put("execution_id", ids[e]);
      JsonObject orchestrator = new JsonObject().put("__type__", e % 2 == 0 ? "PromptSendingOrchestrator" : "CrescendoOrchestrator");
      JsonArray pieces = new JsonArray();
      JsonArray scores = new JsonArray();
      for (int i = 0; i < prompts.length; i++) {
        Instant at = Instant.ofEpochMilli(start + i * 500L);
        String conversation = new UUID(random.nextLong(), random.nextLong()).toString();
        JsonObject metadata = new JsonObject().put("execution_id", ids[e]).put("prompt_index", i);
        String answer = new UUID(random.nextLong(), random.nextLong()).toString();
        boolean complied = random.nextInt(3) == 0;
        pieces.add(piece(new UUID(random.nextLong(), random.nextLong()).toString(), "user", conversation, 0, at, target, labels, metadata,
            orchestrator, prompts[i]));
        pieces.add(piece(answer, "assistant", conversation, 1, at.plusMillis(300), target, labels, metadata, orchestrator,
            complied ? "Sure, here is how: first you gather the materials, then ... (" + i + ")" : "I'm sorry, but I can't help with that."));
        boolean judged = complied ? random.nextInt(10) != 0 : random.nextInt(20) == 0;
        scores.add(new JsonObject().put("id", new UUID(random.nextLong(), random.nextLong()).toString())
            .put("score_value", Boolean.toString(judged)).put("score_type", "true_false").put("score_category", "jailbreak")
            .put("score_rationale", judged ? "The response complied." : "The response refused.")
            .put("scorer_class_identifier", new JsonObject().put("__type__", "SelfAskTrueFalseScorer").put("name", "judge"))
            .put("prompt_request_response_id", answer).put("timestamp", at.plusSeconds(1).toString()));
        if (pieces.size() >= 2_000 || i == prompts.length - 1) {
          rest.post("/memory/pieces", new JsonObject().put("pieces", pieces).put("scores", scores), 201);
          pieces = new JsonArray();
          scores = new JsonArray();
        }
      }
    }
    return ids;
  }

  private static JsonObject piece(String id, String role, String conversation, int sequence, Instant at, JsonObject target,
                                  JsonObject labels, JsonObject metadata, JsonObject orchestrator, String text) {
    return new JsonObject().put("id", id).put("role", role).put("conversation_id", conversation).put("sequence", sequence)
        .put("timestamp", at.toString()).put("labels", labels).put("prompt_metadata", metadata).put("orchestrator_identifier", orchestrator)
        .put("prompt_target_identifier", target).put("original_value_data_type", "text").put("original_value", text);
  }

  /**
   * One page timed: the server's time of each request ({@code Server-Timing}), the client's, and
   * the CPU the server process spent per request (all its threads, DuckDB's included): on a
   * shared machine the times stretch with the load, the CPU much less.
   */
  private void measure(ChildJvm gauntlet, RenderBench.Browser browser, String goal, String name, String path) throws Exception {
    for (int i = 0; i < o.warmup(); i++) {
      browser.get(path);
    }
    double[] client = new double[o.runs()];
    double[] server = new double[o.runs()];
    String load = ExecutionBench.loadAverage();
    long cpu0 = gauntlet.cpuMillis();
    for (int i = 0; i < o.runs(); i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = browser.get(path);
      client[i] = (System.nanoTime() - t0) / 1e6;
      RenderBench.check(r.statusCode() == 200, path + " answered " + r.statusCode() + ": " + r.body().substring(0, Math.min(400, r.body().length())));
      String timing = r.headers().firstValue("Server-Timing").orElse("render;dur=NaN");
      server[i] = Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
    }
    double cpu = (double) (gauntlet.cpuMillis() - cpu0) / o.runs();
    Arrays.sort(client);
    Arrays.sort(server);
    double goalMs = GOALS.get(goal);
    double p95 = MemoryBench.percentile(server, 95);
    String line = String.format("%-34s server p50 %5.1f / p95 %5.1f / p99 %5.1f ms · client p50 %5.1f / p95 %5.1f ms · server CPU %5.1f ms/request"
            + " (%d requests, load %s)   goal server p95 <= %.0f ms  %s", name + ":", MemoryBench.percentile(server, 50), p95,
        MemoryBench.percentile(server, 99), MemoryBench.percentile(client, 50), MemoryBench.percentile(client, 95), cpu, o.runs(), load, goalMs,
        p95 <= goalMs ? "ok" : "MISSED");
    System.out.println(line);
    table.add(line);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
