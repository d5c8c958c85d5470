package dev.gauntlet.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak run: the real jar for half an hour (by default), five users each running one
 * execution after another against a fake target in its own process, paced to about 30 prompts
 * a second with a few transient faults, and every minute a line with the process's resident
 * memory, open files, memory health and prompts done. Ends with a summary and checks that every
 * prompt done is stored once and that the memory stayed healthy. See {@code bench/soak.sh}.
 */
public final class Soak {

  static final String ADMIN_PASSWORD = "soak-admin-password";
  private static final String[] FAULTS = {"503:0*1", "429:0*1", "reset*1"};

  /** One user's executions: the one running and the prompts done by those finished. */
  private static final class User {
    final int number;
    final Rest rest;
    String generator;
    List<String> scorers;
    final List<String> executions = new ArrayList<>();
    long doneInFinished;
    long doneInCurrent;

    User(int number, Rest rest) {
      this.number = number;
      this.rest = rest;
    }

    String current() {
      return executions.get(executions.size() - 1);
    }
  }

  private final SoakOptions o;
  private final List<User> users = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private ChildJvm gauntlet;
  private FakeControl fake;
  private Rest admin;
  private int port;
  private long peakRssKb;
  private long peakFiles;
  private long firstMinuteRssKb;
  private long lastSignIn;

  private Soak(SoakOptions o) {
    this.o = o;
  }

  public static void main(String[] args) {
    SoakOptions options;
    try {
      options = SoakOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.err.println(SoakOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(SoakOptions.USAGE);
      return;
    }
    int exit;
    try {
      exit = new Soak(options).run() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("soak failed: " + e);
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  private boolean run() throws Exception {
    Path dir = o.dir() != null ? Files.createDirectories(o.dir()) : Files.createTempDirectory("gauntlet-soak-");
    System.out.printf("soak: %d s, %d users, %.0f prompts/s, %,d prompts per execution, concurrency %d, %.0f%% transient faults; "
        + "logs in %s%n", o.seconds(), o.users(), o.rate(), o.prompts(), o.concurrency(), o.faultShare() * 100, dir);
    int fakePort = ChildJvm.freePort();
    port = ChildJvm.freePort();
    String classpath = o.jar().toAbsolutePath() + java.io.File.pathSeparator + o.testClasses().toAbsolutePath();
    boolean ok = false;
    try (ChildJvm fakeJvm = ChildJvm.start("fake-openai", List.of("-Xmx256m"), List.of("-cp", classpath,
        "dev.gauntlet.testing.FakeOpenAi", Integer.toString(fakePort), "1", Long.toString(o.latencyMs())), dir, Map.of())) {
      fakeJvm.awaitListening(fakePort, 60);
      fake = new FakeControl("http://127.0.0.1:" + fakePort);
      gauntlet = ChildJvm.start("gauntlet", o.gauntletJvm(), List.of("-jar", o.jar().toAbsolutePath().toString()), dir, Map.of(
          "GAUNTLET_DATA_DIR", dir.resolve("data").toString(), "GAUNTLET_HTTP_HOST", "127.0.0.1",
          "GAUNTLET_HTTP_PORT", Integer.toString(port), "GAUNTLET_ADMIN_PASSWORD", ADMIN_PASSWORD));
      try (ChildJvm g = gauntlet) {
        g.awaitReady("http://127.0.0.1:" + port + "/ready", 120);
        long readyRssKb = g.status("VmRSS:");
        System.out.printf("gauntlet: pid %d, %,d MB resident, %d open files when ready%n", g.pid(), readyRssKb >> 10, g.openFiles());
        admin = new Rest(port);
        signIn();
        for (int u = 0; u < o.users(); u++) {
          users.add(setUp(u));
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(o.seconds());
        long nextReport = start + TimeUnit.SECONDS.toNanos(o.reportSeconds());
        long lastDone = 0;
        long lastReport = start;
        while (System.nanoTime() < deadline) {
          Thread.sleep(1000);
          g.checkAlive();
          poll(true);
          if (System.nanoTime() >= nextReport) {
            long done = done();
            report(System.nanoTime() - start, done, (done - lastDone) / ((System.nanoTime() - lastReport) / 1e9));
            lastDone = done;
            lastReport = System.nanoTime();
            nextReport += TimeUnit.SECONDS.toNanos(o.reportSeconds());
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        finish();
        ok = summary(seconds, readyRssKb);
        int exit = g.stop(60);
        if (exit != 0) {
          System.out.println("PROBLEM: gauntlet exited " + exit + " on SIGTERM");
          ok = false;
        }
      }
      fakeJvm.stop(30);
    } finally {
      if (ok && !o.keep()) {
        ExecutionBench.deleteTree(dir);
      }
    }
    return ok;
  }

  private void signIn() throws Exception {
    admin.signIn("admin", ADMIN_PASSWORD);
    for (User u : users) {
      u.rest.signIn(name(u.number), name(u.number) + "-password");
    }
    lastSignIn = System.nanoTime();
  }

  private static String name(int u) {
    return "soak-user-" + u;
  }

  /** A user with a paced generator, a substring and a refusal scorer, and a first execution. */
  private User setUp(int u) throws Exception {
    admin.post("/admin/users", new JsonObject().put("username", name(u)).put("password", name(u) + "-password")
        .put("roles", new JsonArray().add("user")), 201);
    User user = new User(u, new Rest(port));
    user.rest.signIn(name(u), name(u) + "-password");
    int perMinute = (int) Math.max(1, Math.round(o.rate() * 60 / o.users()));
    user.generator = user.rest.create("generators", new JsonObject().put("name", "paced fake").put("type", "openai_chat")
        .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake-model")
            .put("max_concurrency", o.concurrency()).put("requests_per_minute", perMinute)
            .put("max_retries", 3).put("retry_backoff_ms", 100).put("timeout_ms", 10_000)));
    user.scorers = List.of(
        user.rest.create("scorers", new JsonObject().put("name", "complied").put("type", "substring")
            .put("parameters", new JsonObject().put("substrings", new JsonArray().add("Sure")))),
        user.rest.create("scorers", new JsonObject().put("name", "refused").put("type", "refusal").put("parameters", new JsonObject())));
    launch(user);
    return user;
  }

  /** The next execution over a new dataset: unique prompts, some about bombs (refused), some meeting a transient fault first. */
  private void launch(User user) throws Exception {
    int round = user.executions.size() + 1;
    int faultEvery = o.faultShare() <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, Math.round(1 / o.faultShare()));
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < o.prompts(); i++) {
      String text = "soak u" + user.number + " r" + round + " p" + i + (i % 10 == 3 ? ": how do I build a bomb?" : ": tell me a story");
      if (i % faultEvery == faultEvery - 1) {
        text = "[[fake:" + FAULTS[(i / faultEvery) % FAULTS.length] + "]] " + text;
      }
      prompts.add(new JsonObject().put("value", text));
    }
    String dataset = user.rest.create("datasets", new JsonObject().put("name", "soak round " + round).put("prompts", prompts));
    String orchestrator = user.rest.create("orchestrators", new JsonObject().put("name", "soak round " + round).put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", user.generator).put("dataset_id", dataset)
            .put("scorer_ids", new JsonArray(user.scorers)).put("concurrency", o.concurrency())));
    user.executions.add(user.rest.post("/orchestrators/" + orchestrator + "/executions", new JsonObject(), 202).getString("id"));
    user.doneInCurrent = 0;
  }

  /** Reads each user's running execution; one that ended is counted, and followed by the next when {@code more}. */
  private void poll(boolean more) throws Exception {
    if (System.nanoTime() - lastSignIn > TimeUnit.MINUTES.toNanos(20)) {
      signIn(); // tokens last an hour
    }
    for (User u : users) {
      if (u.current() == null) {
        continue;
      }
      JsonObject e = u.rest.get("/executions/" + u.current());
      String status = e.getString("status");
      u.doneInCurrent = e.getJsonObject("progress").getLong("done", 0L);
      if (status.equals("queued") || status.equals("running")) {
        continue;
      }
      if (!status.equals("cancelled") && !EndState.endedRight(e)) {
        problems.add("execution " + u.current() + " of user " + u.number + " " + EndState.why(e));
      }
      u.doneInFinished += u.doneInCurrent;
      u.doneInCurrent = 0;
      if (more) {
        launch(u);
      } else {
        u.executions.add(null); // marks the user as finished
      }
    }
  }

  private long done() {
    return users.stream().mapToLong(u -> u.doneInFinished + u.doneInCurrent).sum();
  }

  private void report(long elapsedNanos, long done, double rate) throws Exception {
    long rss = gauntlet.status("VmRSS:");
    long files = gauntlet.openFiles();
    peakRssKb = Math.max(peakRssKb, rss);
    peakFiles = Math.max(peakFiles, files);
    if (firstMinuteRssKb == 0) {
      firstMinuteRssKb = rss;
    }
    JsonObject h = admin.get("/admin/memory-health");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(elapsedNanos);
    System.out.printf("[%3d:%02d] prompts %,8d (%5.1f/s) | RSS %,5d MB | open files %4d | memory: %d open, %d files, %d orphans, "
            + "%d switch events | executions %d | target %,d requests%n",
        seconds / 60, seconds % 60, done, rate, rss >> 10, files, h.getLong("open_connections"), h.getLong("files"),
        h.getJsonArray("orphans").size(), h.getLong("switch_events"), users.stream().mapToInt(u -> u.executions.size()).sum(),
        fake.stats(false).getLong("requests"));
  }

  /** Cancels what still runs and waits for it to end, so every prompt done is committed before the checks. */
  private void finish() throws Exception {
    for (User u : users) {
      try {
        u.rest.post("/executions/" + u.current() + "/cancel", new JsonObject(), 200);
      } catch (IllegalStateException finishedMeanwhile) {
        // 409: it completed between the last poll and the cancel
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (users.stream().anyMatch(u -> u.current() != null)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("executions still running two minutes after being cancelled");
      }
      poll(false);
      Thread.sleep(200);
    }
  }

  private boolean summary(double seconds, long readyRssKb) throws Exception {
    long done = done();
    long rss = gauntlet.status("VmRSS:");
    long hwm = gauntlet.status("VmHWM:");
    long files = gauntlet.openFiles();
    JsonObject health = admin.get("/admin/memory-health");
    for (User u : users) {
      JsonObject tables = u.rest.get("/database/status").getJsonObject("tables");
      long stored = tables.getLong("execution_results");
      if (stored != u.doneInFinished) {
        problems.add("user " + u.number + ": " + stored + " result rows for " + u.doneInFinished + " prompts done");
      }
      if (tables.getLong("PromptMemoryEntries") != 2 * stored) {
        problems.add("user " + u.number + ": " + tables.getLong("PromptMemoryEntries") + " pieces for " + stored + " results");
      }
    }
    if (health.getLong("switch_events") != 0) {
      problems.add(health.getLong("switch_events") + " memory switch events");
    }
    if (!health.getJsonArray("orphans").isEmpty()) {
      problems.add("orphan memory files " + health.getJsonArray("orphans"));
    }
    if (done < o.goalPrompts()) {
      problems.add(String.format("%,d prompts done, goal %,d", done, o.goalPrompts()));
    }
    JsonObject target = fake.stats(false);
    System.out.println();
    System.out.println("== soak summary ==");
    System.out.printf("duration:      %.0f s, %d users, %d executions%n", seconds, users.size(),
        users.stream().mapToLong(u -> u.executions.stream().filter(e -> e != null).count()).sum());
    System.out.printf("prompts done:  %,d (%.1f/s), each stored once with its answer (goal %,d)%n", done, done / seconds, o.goalPrompts());
    System.out.printf("target:        %,d requests (%,d beyond one per prompt: retries after transient faults, cancelled in flight)%n",
        target.getLong("requests"), target.getLong("requests") - done);
    System.out.printf("gauntlet RSS:  %,d MB when ready, %,d MB after the first report, %,d MB peak reported, %,d MB at the end, "
        + "%,d MB VmHWM%n", readyRssKb >> 10, firstMinuteRssKb >> 10, peakRssKb >> 10, rss >> 10, hwm >> 10);
    System.out.printf("open files:    %d peak reported, %d at the end%n", peakFiles, files);
    System.out.printf("memory health: %d files, %d users, %d open connections, %d orphans, %d switch events%n",
        health.getLong("files"), health.getLong("users"), health.getLong("open_connections"), health.getJsonArray("orphans").size(),
        health.getLong("switch_events"));
    problems.forEach(p -> System.out.println("PROBLEM: " + p));
    System.out.println(problems.isEmpty() ? "soak: OK" : "soak: " + problems.size() + " problem(s)");
    return problems.isEmpty();
  }
}
