package dev.gauntlet;

import dev.gauntlet.generator.ReplyError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

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

  private static final Batches BATCHES = new Batches(REGISTRY);
  /**
   * Where memory batches are recorded: {@link #BATCHES}, or during the warm-up a throwaway
   * registry's meters of the same kinds (so the code the warm-up compiles is the code that runs
   * after it, with no branch to deoptimise).
   */
  private static volatile Batches batches = BATCHES;
  /** Non-null only during the warm-up: the registry its generators' meters go to. */
  private static volatile MeterRegistry warmup;
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
    for (String state : new String[] {"completed", "completed_with_errors", "failed", "cancelled"}) {
      EXECUTIONS_FINISHED.put(state, Counter.builder("gauntlet.executions.finished").tag("state", state)
          .description("executions that ended, by final state").register(REGISTRY));
    }
  }

  private Metrics() {}

  /**
   * Vert.x's meters as Gauntlet keeps them: Prometheus, without Vert.x's HTTP client meters
   * (generator traffic is counted by {@code gauntlet_generator_*} by type; the client meters cost
   * a tag lookup on every request of every prompt).
   */
  public static MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions().setEnabled(true).addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  public static PrometheusMeterRegistry registry() {
    return REGISTRY;
  }

  /** The Prometheus text exposition of every meter. */
  public static String scrape() {
    return REGISTRY.scrape();
  }

  /** Counts an execution's end; states other than completed (with errors or not), failed or cancelled are not endings. */
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
    MeterRegistry throwaway = warmup;
    return throwaway != null ? new Generator(type, throwaway) : GENERATORS.computeIfAbsent(type, t -> new Generator(t, REGISTRY));
  }

  /** One committed memory batch: its rows (pieces and scores) and the time taken to append and commit it. */
  public static void memoryBatch(long nanos, int rows) {
    Batches b = batches;
    b.commit().record(nanos, TimeUnit.NANOSECONDS);
    b.rows().record(rows);
  }

  /**
   * Until {@link #endWarmup}, generators built and memory batches committed are counted in a
   * throwaway registry: the warm-up at start is nobody's work and must not show in
   * {@code /metrics}. Only the warm-up calls this, before any user can act.
   */
  public static void beginWarmup() {
    PrometheusMeterRegistry throwaway = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    warmup = throwaway;
    batches = new Batches(throwaway);
  }

  public static void endWarmup() {
    warmup = null;
    batches = BATCHES;
  }

  private record Batches(DistributionSummary rows, Timer commit) {
    Batches(MeterRegistry registry) {
      this(DistributionSummary.builder("gauntlet.memory.batch.rows")
              .description("rows (pieces and scores) per committed memory batch").baseUnit("rows")
              .serviceLevelObjectives(1, 10, 50, 100, 500, 1000, 5000).register(registry),
          Timer.builder("gauntlet.memory.batch.commit").description("time to append and commit one memory batch")
              .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500),
                  Duration.ofSeconds(2))
              .register(registry));
    }
  }

  /** Request latency by outcome, final errors by class, and retries of one generator type. */
  public static final class Generator {
    private final Timer ok;
    private final Timer failed;
    private final Counter retries;
    private final Map<ReplyError, Counter> errors = new EnumMap<>(ReplyError.class);

    private Generator(String type, MeterRegistry registry) {
      Duration[] slos = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(1),
          Duration.ofSeconds(5), Duration.ofSeconds(30)};
      ok = Timer.builder("gauntlet.generator.request").description("generator requests, retries included, by outcome")
          .tags("type", type, "outcome", "ok").serviceLevelObjectives(slos).register(registry);
      failed = Timer.builder("gauntlet.generator.request").description("generator requests, retries included, by outcome")
          .tags("type", type, "outcome", "error").serviceLevelObjectives(slos).register(registry);
      retries = Counter.builder("gauntlet.generator.retries").description("generator attempts retried")
          .tag("type", type).register(registry);
      for (ReplyError e : ReplyError.values()) {
        if (e != ReplyError.NONE) {
          errors.put(e, Counter.builder("gauntlet.generator.errors").description("generator requests that failed, by error class")
              .tags("type", type, "error", e.value()).register(registry));
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
