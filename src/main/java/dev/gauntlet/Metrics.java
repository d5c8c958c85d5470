package dev.gauntlet;

import dev.gauntlet.generator.ReplyError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauntlet's own meters, on the one Prometheus registry of the process (Vert.x's HTTP server
 * and event-bus meters land in the same registry, see {@code Main}). Tags are bounded sets only:
 * generator type, outcome, error class, execution state; never a user name or an id. Hot paths
 * hold pre-resolved meters, so recording is a field access and an add.
 */
public final class Metrics {

  private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** The memory connections open across all shards, kept by the memory verticles. */
  public static final AtomicInteger OPEN_MEMORY_CONNECTIONS = new AtomicInteger();
  /** Executions running here, kept by the orchestrator verticle. */
  public static final AtomicInteger RUNNING_EXECUTIONS = new AtomicInteger();
  /** Switch events ever recorded in the app database: its count at start plus those since. */
  private static final AtomicLong SWITCH_EVENTS_RECORDED = new AtomicLong();

  public static final DistributionSummary MEMORY_BATCH_ROWS = DistributionSummary.builder("gauntlet.memory.batch.rows")
      .description("rows (pieces and scores) per committed memory batch").baseUnit("rows")
      .serviceLevelObjectives(1, 10, 50, 100, 500, 1000, 5000).register(REGISTRY);
  public static final Timer MEMORY_BATCH_COMMIT = Timer.builder("gauntlet.memory.batch.commit")
      .description("time to append and commit one memory batch")
      .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500),
          Duration.ofSeconds(2))
      .register(REGISTRY);
  public static final Counter SWITCH_EVENTS = Counter.builder("gauntlet.memory.switch.events")
      .description("memory switch attempts refused since start (healthy: 0)").register(REGISTRY);

  private static final Map<String, Counter> EXECUTIONS_FINISHED = new ConcurrentHashMap<>();
  private static final Map<String, Generator> GENERATORS = new ConcurrentHashMap<>();

  static {
    Gauge.builder("gauntlet.memory.open.connections", OPEN_MEMORY_CONNECTIONS, AtomicInteger::get)
        .description("DuckDB memory connections open, all shards").register(REGISTRY);
    Gauge.builder("gauntlet.memory.switch.events.recorded", SWITCH_EVENTS_RECORDED, AtomicLong::get)
        .description("memory switch events in the app database, all time (healthy: 0)").register(REGISTRY);
    Gauge.builder("gauntlet.executions.running", RUNNING_EXECUTIONS, AtomicInteger::get)
        .description("executions running in this process").register(REGISTRY);
    for (String state : new String[] {"completed", "failed", "cancelled"}) {
      EXECUTIONS_FINISHED.put(state, Counter.builder("gauntlet.executions.finished").tag("state", state)
          .description("executions that ended, by final state").register(REGISTRY));
    }
  }

  private Metrics() {}

  public static PrometheusMeterRegistry registry() {
    return REGISTRY;
  }

  /** The Prometheus text exposition of every meter. */
  public static String scrape() {
    return REGISTRY.scrape();
  }

  /** Counts an execution's end; states other than completed, failed or cancelled are not endings. */
  public static void executionFinished(String state) {
    Counter c = EXECUTIONS_FINISHED.get(state);
    if (c != null) {
      c.increment();
    }
  }

  public static void switchEventsAtStart(long recorded) {
    SWITCH_EVENTS_RECORDED.set(recorded);
  }

  public static void switchEvent() {
    SWITCH_EVENTS.increment();
    SWITCH_EVENTS_RECORDED.incrementAndGet();
  }

  /** The meters of one generator type, resolved once per type; {@code type} comes from the catalog. */
  public static Generator generator(String type) {
    return GENERATORS.computeIfAbsent(type, Generator::new);
  }

  /** Request latency by outcome, final errors by class, and retries of one generator type. */
  public static final class Generator {
    private final Timer ok;
    private final Timer failed;
    private final Counter retries;
    private final Map<ReplyError, Counter> errors = new EnumMap<>(ReplyError.class);

    private Generator(String type) {
      Duration[] slos = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(1),
          Duration.ofSeconds(5), Duration.ofSeconds(30)};
      ok = Timer.builder("gauntlet.generator.request").description("generator requests, retries included, by outcome")
          .tags("type", type, "outcome", "ok").serviceLevelObjectives(slos).register(REGISTRY);
      failed = Timer.builder("gauntlet.generator.request").description("generator requests, retries included, by outcome")
          .tags("type", type, "outcome", "error").serviceLevelObjectives(slos).register(REGISTRY);
      retries = Counter.builder("gauntlet.generator.retries").description("generator attempts retried")
          .tag("type", type).register(REGISTRY);
      for (ReplyError e : ReplyError.values()) {
        if (e != ReplyError.NONE) {
          errors.put(e, Counter.builder("gauntlet.generator.errors").description("generator requests that failed, by error class")
              .tags("type", type, "error", e.value()).register(REGISTRY));
        }
      }
    }

    /** One request's end: its latency under its outcome, and its error class if it failed. */
    public void reply(long nanos, ReplyError error) {
      if (error == null || error == ReplyError.NONE) {
        ok.record(nanos, TimeUnit.NANOSECONDS);
      } else {
        failed.record(nanos, TimeUnit.NANOSECONDS);
        errors.get(error).increment();
      }
    }

    public void retry() {
      retries.increment();
    }
  }
}
