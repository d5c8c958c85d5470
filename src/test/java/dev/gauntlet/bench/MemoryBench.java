package dev.gauntlet.bench;

import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Gauntlet's memory benchmark: ingest through the event bus into real memory shards, the
 * dashboard's score summary over a million scores, and the idle resident memory of the jar.
 * Every figure goes through the product's own classes; see {@code bench/memory.sh}.
 */
public final class MemoryBench {

  static final long GOAL_ONE_USER = 100_000;
  static final long GOAL_MANY_USERS = 150_000;
  static final double GOAL_AGGREGATE_MEDIAN_MS = 50;
  static final long GOAL_IDLE_RSS_MB = 300;

  private final BenchOptions o;
  private final List<String> table = new ArrayList<>();

  private MemoryBench(BenchOptions options) {
    this.o = options;
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("memory bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    System.out.printf("memory bench: %d cores, java %s, max heap %,d MB, %d shards, batches of %,d pieces + %,d scores, %d in flight per user, %d run(s) each%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, options.shards(), options.batch(), options.batch(), options.inFlight(),
        options.repeat());
    MemoryBench bench = new MemoryBench(options);
    if (options.only().contains("ingest")) {
      bench.ingest();
    }
    if (options.only().contains("aggregate")) {
      bench.aggregate();
    }
    if (options.only().contains("rss")) {
      bench.idleRss();
    }
    System.out.println();
    System.out.println("== results ==");
    bench.table.forEach(System.out::println);
    // the shards' worker threads and DuckDB's native threads are gone; leave no straggler
    System.exit(0);
  }

  private void ingest() throws Exception {
    try (MemoryRig rig = new MemoryRig(o.shards(), o.memorySettings())) {
      List<String> warm = rig.usersSpreadOverShards("warmup-", o.shards());
      Rate w = ingest(rig, warm, Math.max(o.batch(), o.warmup() / warm.size()), 30);
      System.out.printf("warm-up: %,d pieces over %d shard(s) at %,.0f pieces/s (not counted)%n", w.pieces, warm.size(), w.piecesPerSecond());
      for (int run = 1; run <= o.repeat(); run++) {
        Rate one = ingest(rig, List.of("solo-" + run), o.oneUser(), 1);
        report(String.format("ingest 1 user   run %d", run), one, GOAL_ONE_USER);
        Rate many = ingest(rig, rig.usersSpreadOverShards("multi-" + run + "-", o.users()), o.perUser(), 100);
        report(String.format("ingest %d users  run %d", o.users(), run), many, GOAL_MANY_USERS);
      }
    }
  }

  /** Ingests {@code perUser} pieces (and as many scores) for each user at once, into fresh memories. */
  private Rate ingest(MemoryRig rig, List<String> users, long perUser, long seed) throws Exception {
    List<IngestDriver> drivers = new ArrayList<>();
    for (String user : users) {
      MemoryOwner owner = rig.owner(user);
      drivers.add(new IngestDriver(rig.client, owner, new PieceSource(user, seed++, 30, 0.3), perUser, o.batch(), o.inFlight()));
    }
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    List<Future<Long>> done = new ArrayList<>();
    for (IngestDriver d : drivers) {
      MemoryRig.await(rig.vertx.deployVerticle(d));
      done.add(d.done());
    }
    MemoryRig.await(Future.all(done));
    long nanos = System.nanoTime() - t0;
    long cpu = processCpuNanos() - cpu0;
    long pieces = done.stream().mapToLong(Future::result).sum();
    // checkpoint and close these memories now, outside the timing, so runs do not share caches
    long c0 = System.nanoTime();
    MemoryRig.await(rig.client.closeAll());
    System.out.printf("  (closing %d memories, with their final checkpoint, took %.1f s)%n", users.size(), (System.nanoTime() - c0) / 1e9);
    return new Rate(pieces, nanos, cpu);
  }

  private void report(String label, Rate r, long goal) {
    String line = String.format("%-24s %,9.0f pieces/s (%,9.0f rows/s)   %,d pieces in %.1f s, %.1f ms CPU per 1,000   goal >= %,d pieces/s  %s",
        label + ":", r.piecesPerSecond(), 2 * r.piecesPerSecond(), r.pieces, r.seconds(), r.cpuMillisPerThousand(), goal,
        r.piecesPerSecond() >= goal ? "ok" : "MISSED");
    System.out.println(line);
    table.add(line);
  }

  private void aggregate() throws Exception {
    try (MemoryRig rig = new MemoryRig(o.shards(), o.memorySettings())) {
      MemoryOwner owner = rig.owner("dashboard");
      IngestDriver driver = new IngestDriver(rig.client, owner, new PieceSource("dashboard", 7, 30, 0.3),
          o.aggregatePieces(), o.batch(), o.inFlight());
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      MemoryRig.await(rig.vertx.deployVerticle(driver));
      Rate loaded = new Rate(MemoryRig.await(driver.done()), System.nanoTime() - t0, processCpuNanos() - cpu0);
      System.out.printf("aggregate: loaded %,d pieces + %,d scores over 30 days in %.1f s (%,.0f pieces/s)%n",
          loaded.pieces, loaded.pieces, loaded.seconds(), loaded.piecesPerSecond());
      JsonObject query = new JsonObject().put("days", 3650);
      for (int run = 1; run <= o.repeat(); run++) {
        JsonObject summary = null;
        for (int i = 0; i < o.aggregateWarmups(); i++) {
          summary = MemoryRig.await(rig.client.dashboard(owner).summary(query));
        }
        double[] ms = new double[o.aggregateRuns()];
        for (int i = 0; i < ms.length; i++) {
          long q0 = System.nanoTime();
          summary = MemoryRig.await(rig.client.dashboard(owner).summary(query));
          ms[i] = (System.nanoTime() - q0) / 1e6;
        }
        long scores = summary.getLong("scores");
        if (scores != o.aggregatePieces()) {
          throw new IllegalStateException("score summary counted " + scores + " scores, expected " + o.aggregatePieces());
        }
        Arrays.sort(ms);
        double median = percentile(ms, 50);
        String line = String.format("%-24s min %.1f / median %.1f / p95 %.1f / max %.1f ms over %d calls (%,d scores, %d rows, success rate %.3f)   goal median <= %.0f ms  %s",
            "aggregate run " + run + ":", ms[0], median, percentile(ms, 95), ms[ms.length - 1], ms.length, scores,
            summary.getJsonArray("rows").size(), summary.getDouble("success_rate"), GOAL_AGGREGATE_MEDIAN_MS,
            median <= GOAL_AGGREGATE_MEDIAN_MS ? "ok" : "MISSED");
        System.out.println(line);
        table.add(line);
      }
    }
  }

  /** Nearest-rank percentile of sorted samples. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private void idleRss() throws Exception {
    for (int run = 1; run <= o.repeat(); run++) {
      IdleRss.Result r = IdleRss.measure(o.jar(), TimeUnit.SECONDS.toMillis(o.settleSeconds()));
      long mb = r.rssKb() / 1024;
      String line = String.format("%-24s %,d MB VmRSS %d s after ready (ready in %.1f s, SIGTERM exit %d)   goal <= %d MB  %s",
          "idle RSS run " + run + ":", mb, o.settleSeconds(), r.readyMillis() / 1000.0, r.exitCode(), GOAL_IDLE_RSS_MB,
          mb <= GOAL_IDLE_RSS_MB ? "ok" : "MISSED");
      System.out.println(line);
      table.add(line);
    }
  }

  /** CPU time of this whole process (every thread, DuckDB's included): the work, apart from neighbours' noise. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  record Rate(long pieces, long nanos, long cpuNanos) {
    double seconds() {
      return nanos / 1e9;
    }

    double cpuMillisPerThousand() {
      return cpuNanos / 1e6 / (pieces / 1000.0);
    }

    double piecesPerSecond() {
      return pieces / seconds();
    }
  }

  /** Command-line flags; counts accept 50k / 1m / 1_000_000. */
  record BenchOptions(Set<String> only, int shards, int batch, int inFlight, long warmup, long oneUser, int users,
                      long perUser, long aggregatePieces, int aggregateRuns, int aggregateWarmups, int repeat,
                      Path jar, int settleSeconds, Map<String, String> memorySettings, boolean help) {

    static final String USAGE = """
        usage: bench/memory.sh [flags]
          --only ingest,aggregate,rss   what to measure (default: all three)
          --repeat N                    runs of each measurement (default 2)
          --shards N                    memory shards (default 2, as memory.shards)
          --batch N                     pieces per batch, each with one score (default 1000)
          --in-flight N                 batches waiting per user (default 4)
          --warmup N                    warm-up pieces, not counted (default 50k)
          --one-user N                  pieces for the one-user run (default 300k)
          --users N                     users in the parallel run (default 8)
          --per-user N                  pieces per user in the parallel run (default 100k)
          --aggregate-pieces N          pieces (and scores) behind the score summary (default 1m)
          --aggregate-runs N            timed score-summary calls (default 30, after --aggregate-warmups 3)
          --jar PATH                    the jar for the idle RSS run (default target/gauntlet.jar)
          --settle S                    seconds between ready and reading RSS (default 5)
          --duckdb-threads N            memory.duckdbThreads for the in-process shards (default: conf.json's)
          --duckdb-memory-limit SIZE    memory.duckdbMemoryLimit for the in-process shards (default: conf.json's)""";

    static BenchOptions parse(String[] args) {
      Set<String> only = Set.of("ingest", "aggregate", "rss");
      int shards = 2;
      int batch = 1000;
      int inFlight = 4;
      long warmup = 50_000;
      long oneUser = 300_000;
      int users = 8;
      long perUser = 100_000;
      long aggregatePieces = 1_000_000;
      int aggregateRuns = 30;
      int aggregateWarmups = 3;
      int repeat = 2;
      Path jar = Path.of("target", "gauntlet.jar");
      int settle = 5;
      Map<String, String> memory = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        String value = null;
        int eq = flag.indexOf('=');
        if (eq > 0) {
          value = flag.substring(eq + 1);
          flag = flag.substring(0, eq);
        }
        if (flag.equals("--help") || flag.equals("-h")) {
          return new BenchOptions(only, shards, batch, inFlight, warmup, oneUser, users, perUser, aggregatePieces,
              aggregateRuns, aggregateWarmups, repeat, jar, settle, memory, true);
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
          }
          value = args[++i];
        }
        switch (flag) {
          case "--only" -> {
            only = Set.of(value.split(","));
            for (String part : only) {
              if (!Set.of("ingest", "aggregate", "rss").contains(part)) {
                throw new IllegalArgumentException("--only takes ingest, aggregate and/or rss, got '" + part + "'");
              }
            }
          }
          case "--shards" -> shards = (int) positive(flag, value);
          case "--batch" -> batch = (int) positive(flag, value);
          case "--in-flight" -> inFlight = (int) positive(flag, value);
          case "--warmup" -> warmup = count(flag, value);
          case "--one-user" -> oneUser = positive(flag, value);
          case "--users" -> users = (int) positive(flag, value);
          case "--per-user" -> perUser = positive(flag, value);
          case "--aggregate-pieces" -> aggregatePieces = positive(flag, value);
          case "--aggregate-runs" -> aggregateRuns = (int) positive(flag, value);
          case "--aggregate-warmups" -> aggregateWarmups = (int) count(flag, value);
          case "--repeat" -> repeat = (int) positive(flag, value);
          case "--jar" -> jar = Path.of(value);
          case "--settle" -> settle = (int) count(flag, value);
          case "--duckdb-threads" -> memory.put("GAUNTLET_MEMORY_DUCKDB_THREADS", Long.toString(positive(flag, value)));
          case "--duckdb-memory-limit" -> memory.put("GAUNTLET_MEMORY_DUCKDB_MEMORY_LIMIT", value);
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      }
      if (batch > 25_000) {
        throw new IllegalArgumentException("--batch is at most 25000 (a batch holds at most 50,000 pieces and scores)");
      }
      return new BenchOptions(only, shards, batch, inFlight, warmup, oneUser, users, perUser, aggregatePieces,
          aggregateRuns, aggregateWarmups, repeat, jar, settle, memory, false);
    }

    private static long positive(String flag, String value) {
      long n = count(flag, value);
      if (n < 1) {
        throw new IllegalArgumentException(flag + " must be at least 1");
      }
      return n;
    }

    private static long count(String flag, String value) {
      String v = value.trim().toLowerCase().replace("_", "").replace(",", "");
      long unit = v.endsWith("k") ? 1_000 : v.endsWith("m") ? 1_000_000 : 1;
      try {
        return Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " takes a count such as 1000, 50k or 1m, got '" + value + "'");
      }
    }
  }
}
