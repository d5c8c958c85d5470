package dev.gauntlet.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Crash safety, measured: the real jar runs executions of several users against a fake target
 * that counts requests per prompt, and is SIGKILLed at random moments, then restarted over the
 * same data. Before each kill it reads what the API acknowledged; after each restart, with the
 * target holding every request, it reads what survived, then lets the execution resume. At the
 * end every acknowledged result must be there exactly once, every prompt must have its result,
 * and the prompts sent again after each kill must be exactly those sent but not committed when
 * it struck. See {@code bench/chaos.sh}; {@code ChaosIT} runs it with three kills.
 */
public final class Chaos {

  static final String ADMIN_PASSWORD = "chaos-admin-password";

  /** What one kill found. {@code resent} is filled in from the target's counts once the run is over. */
  public record Kill(int number, double atSeconds, int running, long committed, long sent, long inFlightAtTarget,
                     long bound, long resent) {

    /** Sent but not committed when the kill struck: what the resumed executions must send again. */
    public long uncommitted() {
      return sent - committed;
    }

    public String line() {
      return String.format("kill %2d at %6.1f s: %d execution(s) running, %,d prompts committed of %,d sent -> %,d uncommitted"
              + " (%d in flight at the target); re-sent after restart: %,d (bound %,d)",
          number, atSeconds, running, committed, sent, uncommitted(), inFlightAtTarget, resent, bound);
    }
  }

  /** The whole run: kills, executions, prompts, requests, and every broken promise found. */
  public record Report(List<Kill> kills, int executions, long prompts, long requests, long resent, List<String> violations) {

    public String summary() {
      return String.format("%d kills, %d executions, %,d prompts, %,d requests to the target, %,d re-sent after kills, %d violation(s)",
          kills.size(), executions, prompts, requests, resent, violations.size());
    }
  }

  private final ChaosOptions o;
  private final Random random;
  private final ChaosLedger ledger;
  private final List<Kill> kills = new ArrayList<>();
  private final long t0 = System.nanoTime();
  private FakeControl fake;
  private ChildJvm gauntlet;
  private Path dir;
  private int port;
  private int starts;

  private Chaos(ChaosOptions o) {
    this.o = o;
    this.random = new Random(o.seed());
    this.ledger = new ChaosLedger(o.concurrency());
  }

  public static Report run(ChaosOptions options) throws Exception {
    return new Chaos(options).run();
  }

  public static void main(String[] args) {
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage());
      System.err.println(ChaosOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(ChaosOptions.USAGE);
      return;
    }
    int exit;
    try {
      Report report = run(options);
      report.violations().forEach(v -> System.out.println("VIOLATION: " + v));
      System.out.println("chaos: " + report.summary());
      exit = report.violations().isEmpty() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("chaos failed: " + e);
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  private Report run() throws Exception {
    dir = o.dir() != null ? Files.createDirectories(o.dir()) : Files.createTempDirectory("gauntlet-chaos-");
    System.out.printf("chaos: %d kills, %d users, %,d prompts per execution, concurrency %d, seed %d; data and logs in %s%n",
        o.kills(), o.users(), o.prompts(), o.concurrency(), o.seed(), dir);
    ChildJvm fakeJvm = null;
    try {
      String root = o.fakeRoot();
      if (root == null) {
        int fakePort = ChildJvm.freePort();
        String classpath = o.jar().toAbsolutePath() + java.io.File.pathSeparator + o.testClasses().toAbsolutePath();
        fakeJvm = ChildJvm.start("fake-openai", List.of("-Xmx256m"), List.of("-cp", classpath, "dev.gauntlet.testing.FakeOpenAi",
            Integer.toString(fakePort), "1", Long.toString(o.latencyMs())), dir, Map.of());
        fakeJvm.awaitListening(fakePort, 60);
        root = "http://127.0.0.1:" + fakePort;
      }
      fake = new FakeControl(root);
      fake.epoch(0);
      port = ChildJvm.freePort();
      startGauntlet();
      setUp();
      for (int k = 1; k <= o.kills(); k++) {
        runFor(o.minDelayMs() + (long) (random.nextDouble() * (o.maxDelayMs() - o.minDelayMs())), true);
        killAndRestart(k);
      }
      awaitAllFinished();
      List<String> violations = new ArrayList<>(ledger.verify(fake.stats(true), kills));
      violations.addAll(checkHealth());
      List<Kill> counted = ledger.countResent(fake.stats(true), kills);
      counted.forEach(k -> System.out.println(k.line()));
      int exit = gauntlet.stop(60);
      if (exit != 0) {
        violations.add("gauntlet exited " + exit + " on SIGTERM after the run");
      }
      JsonObject stats = fake.stats(false);
      return new Report(counted, ledger.executions(), ledger.prompts(), stats.getLong("requests"),
          counted.stream().mapToLong(Kill::resent).sum(), violations);
    } finally {
      if (gauntlet != null) {
        gauntlet.close();
      }
      if (fakeJvm != null) {
        fakeJvm.close();
      }
    }
  }

  private void startGauntlet() throws Exception {
    gauntlet = ChildJvm.start("gauntlet-" + (++starts), o.gauntletJvm(), List.of("-jar", o.jar().toAbsolutePath().toString()), dir,
        Map.of("GAUNTLET_DATA_DIR", dir.resolve("data").toString(), "GAUNTLET_HTTP_HOST", "127.0.0.1",
            "GAUNTLET_HTTP_PORT", Integer.toString(port), "GAUNTLET_ADMIN_PASSWORD", ADMIN_PASSWORD));
    gauntlet.awaitReady("http://127.0.0.1:" + port + "/ready", o.timeoutSeconds());
  }

  /** One user per slot, each with a generator on the fake, a substring scorer, and a first execution. */
  private void setUp() throws Exception {
    Rest admin = new Rest(port);
    admin.signIn("admin", ADMIN_PASSWORD);
    for (int u = 0; u < o.users(); u++) {
      String name = "chaos-user-" + u;
      admin.post("/admin/users", new JsonObject().put("username", name).put("password", name + "-password")
          .put("roles", new JsonArray().add("user")), 201);
      Rest rest = new Rest(port);
      rest.signIn(name, name + "-password");
      // no retries: a prompt sent twice by one process would be a retry, not a resend after a kill
      String generator = rest.create("generators", new JsonObject().put("name", "fake").put("type", "openai_chat")
          .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake-model")
              .put("max_concurrency", o.concurrency()).put("max_retries", 0).put("timeout_ms", 120_000)));
      String scorer = rest.create("scorers", new JsonObject().put("name", "complied").put("type", "substring")
          .put("parameters", new JsonObject().put("substrings", new JsonArray().add("Sure"))));
      ChaosLedger.User user = ledger.addUser(u, rest, generator, scorer);
      launch(user);
    }
  }

  /** A new execution for {@code user}, over a new dataset whose prompts name the user, round and index. */
  private void launch(ChaosLedger.User user) throws Exception {
    int round = user.rounds() + 1;
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < o.prompts(); i++) {
      prompts.add(new JsonObject().put("value", ChaosLedger.prompt(user.number(), round, i)));
    }
    Rest rest = user.rest();
    String dataset = rest.create("datasets", new JsonObject().put("name", "chaos round " + round).put("prompts", prompts));
    String orchestrator = rest.create("orchestrators", new JsonObject().put("name", "chaos round " + round).put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", user.generator()).put("dataset_id", dataset)
            .put("scorer_ids", new JsonArray().add(user.scorer())).put("concurrency", o.concurrency())));
    String id = rest.post("/orchestrators/" + orchestrator + "/executions", new JsonObject(), 202).getString("id");
    ledger.started(user, round, id, o.prompts());
  }

  /** Lets the executions run for {@code millis}, starting a new one for each user whose execution finished. */
  private void runFor(long millis, boolean topUp) throws Exception {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < until) {
      for (ChaosLedger.User user : ledger.users()) {
        ChaosLedger.Run run = user.current();
        if (!run.finished() && ledger.poll(run, kills.size() + 1) && topUp) {
          launch(user);
        }
      }
      gauntlet.checkAlive();
      Thread.sleep(100);
    }
  }

  private void killAndRestart(int k) throws Exception {
    int running = 0;
    for (ChaosLedger.User user : ledger.users()) {
      if (!user.current().finished()) {
        running++;
        ledger.acknowledge(user.current(), k);
      }
    }
    long inFlight = fake.stats(false).getLong("in_flight");
    double at = (System.nanoTime() - t0) / 1e9;
    gauntlet.kill();
    // requests the dead process had already written reach the fake's handlers within moments
    Thread.sleep(300);
    fake.epoch(k);
    fake.hold();
    startGauntlet();
    // nothing commits while the target holds every request: this is what survived the kill
    long committed = 0;
    for (ChaosLedger.User user : ledger.users()) {
      committed += user.rest().get("/database/status").getJsonObject("tables").getLong("execution_results");
    }
    long sent = fake.stats(false).getLong("distinct_prompts");
    fake.release();
    Kill kill = new Kill(k, at, running, committed, sent, inFlight, ledger.bound(running), 0);
    kills.add(kill);
    System.out.printf("kill %2d at %6.1f s: %,d committed of %,d sent, %,d to send again; restarted (%s)%n",
        k, at, committed, sent, kill.uncommitted(), gauntlet.log.getFileName());
    awaitResent(kill);
  }

  /**
   * Waits until the prompts uncommitted at the kill have been sent again. They are the resumed
   * executions' first prompts, so the next kill then cannot cut a resend short, and each kill's
   * count stands on its own.
   */
  private void awaitResent(Kill kill) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
    while (ledger.resentAfter(fake.stats(true), kill.number()) < kill.uncommitted()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("after kill " + kill.number() + ", " + kill.uncommitted()
            + " uncommitted prompts were not all sent again within " + o.timeoutSeconds() + " s");
      }
      gauntlet.checkAlive();
      runFor(100, true);
    }
  }

  private void awaitAllFinished() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
    while (ledger.users().stream().anyMatch(u -> !u.current().finished())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("executions still running " + o.timeoutSeconds() + " s after the last restart");
      }
      runFor(200, false);
    }
  }

  private List<String> checkHealth() throws Exception {
    Rest admin = new Rest(port);
    admin.signIn("admin", ADMIN_PASSWORD);
    JsonObject health = admin.get("/admin/memory-health");
    List<String> problems = new ArrayList<>();
    if (health.getLong("switch_events") != 0) {
      problems.add("memory health shows " + health.getLong("switch_events") + " switch events");
    }
    if (!health.getJsonArray("orphans").isEmpty()) {
      problems.add("memory health shows orphan files " + health.getJsonArray("orphans"));
    }
    return problems;
  }
}
