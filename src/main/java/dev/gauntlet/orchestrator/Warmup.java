package dev.gauntlet.orchestrator;

import dev.gauntlet.Metrics;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.converter.Converters;
import dev.gauntlet.dataset.BuiltinDatasets;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.ScratchShard;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs synthetic prompt_sending executions once at start, before the server takes requests, so
 * that the JIT has compiled the execution path (web client, JSON, converters, scorers, pieces,
 * event bus, memory appends) when the first real execution comes: on a fresh JVM that path
 * otherwise runs interpreted for thousands of prompts, several times slower.
 *
 * <p>It is the same code users' executions run ({@link ExecutionRunner}, {@link Resolver}, the
 * catalogs, the memory stores), on things that are nobody's: its own Vert.x instance (its Vert.x
 * meters in a throwaway registry, Gauntlet's own meters too, see {@link Metrics#beginWarmup}),
 * a model on a loopback port ({@link WarmupModel}), and a scratch memory ({@link ScratchShard}:
 * an in-memory DuckDB database, no file). No user's memory, no file and no meter of the server
 * sees it, and all of it is closed before the server starts.
 */
public final class Warmup {

  /** Who the warm-up's executions belong to, as far as its scratch shard cares: nobody. */
  static final MemoryOwner NOBODY = new MemoryOwner("(warm-up)", "(scratch)");
  static final String SCRATCH_MEMORY_LIMIT = "256MB";
  /** Compiler time per elapsed time during an execution below which the JIT was mostly idle. */
  static final double SETTLED_COMPILE_SHARE = 0.1;
  /** Executions in a row with the JIT mostly idle after which the warm-up stops. */
  static final int SETTLED_EXECUTIONS = 3;
  private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();
  private static final Logger LOG = Logger.getLogger(Warmup.class.getName());

  /** What a warm-up did: prompts sent and committed, in how many executions, how long it took, whether it ran to the end. */
  public record Report(int prompts, int executions, int converters, long millis, boolean complete) {}

  private Warmup() {}

  /**
   * Runs at least {@code prompts} prompts, one execution per deterministic converter, then more
   * until the JIT has caught up, and stops early once {@code maxMillis} have passed.
   * {@code metrics}: whether the server's Vert.x has metrics, so that the warm-up's has them too
   * and compiles the same branches.
   */
  public static Future<Report> run(int prompts, long maxMillis, boolean metrics, SecretBox secrets) {
    if (prompts <= 0) {
      return Future.succeededFuture(new Report(0, 0, 0, 0, true));
    }
    long start = System.nanoTime();
    Metrics.beginWarmup();
    Vertx vertx = createVertx(metrics);
    MemoryClient.registerCodec(vertx);
    WarmupModel model = new WarmupModel();
    Driver driver = new Driver(prompts, start + TimeUnit.MILLISECONDS.toNanos(maxMillis), secrets);
    // bound to no context: the warm-up's contexts are gone once its Vert.x is closed
    Promise<Report> report = Promise.promise();
    vertx.deployVerticle(model)
        .compose(id -> vertx.deployVerticle(new ScratchShard(SCRATCH_MEMORY_LIMIT),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .compose(id -> vertx.deployVerticle(driver.at(model.port())))
        .onComplete(ran -> vertx.close().onComplete(closed -> {
          Metrics.endWarmup();
          if (ran.failed()) {
            report.fail(ran.cause());
          } else {
            report.complete(new Report(driver.done, driver.executions, driver.converters.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), driver.complete));
          }
        }));
    return report.future();
  }

  private static Vertx createVertx(boolean metrics) {
    if (!metrics) {
      return Vertx.vertx();
    }
    // a registry name of its own: Vert.x keeps registries by name, and "default" is the server's
    MicrometerMetricsOptions options = Metrics.vertxMetricsOptions().setRegistryName("gauntlet-warmup");
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))).build();
  }

  /** Configures the scratch memory as a user would, then runs one execution after another; its start completes at the end. */
  private static final class Driver extends VerticleBase {

    private final int prompts;
    private final long deadline;
    private final SecretBox secrets;
    private final List<String> converters = new ArrayList<>();
    private int port;
    private MemoryClient memory;
    private Resolver resolver;
    private GeneratorPool generators;
    private String generator;
    private String dataset;
    private final JsonArray scorers = new JsonArray();
    private int done;
    private int executions;
    /** Executions in a row during which the JIT was mostly idle. */
    private int settled;
    private boolean complete;

    Driver(int prompts, long deadline, SecretBox secrets) {
      this.prompts = prompts;
      this.deadline = deadline;
      this.secrets = secrets;
    }

    Driver at(int port) {
      this.port = port;
      return this;
    }

    @Override
    public Future<?> start() {
      memory = MemoryClient.scratch(vertx);
      generators = new GeneratorPool(4);
      resolver = new Resolver(vertx, memory, secrets, generators);
      return configure().compose(v -> runFrom(0)).eventually(() -> {
        generators.closeAll();
        return Future.succeededFuture();
      });
    }

    private Future<Void> configure() {
      List<Future<?>> created = new ArrayList<>();
      created.add(create(ConfigKind.GENERATORS, "openai_chat", new JsonObject()
          .put("base_url", "http://127.0.0.1:" + port + "/v1").put("model", "warm-up").put("max_concurrency", 16))
          .onSuccess(id -> generator = id));
      created.add(create(ConfigKind.SCORERS, "substring", new JsonObject().put("substrings", new JsonArray().add("Sure")))
          .onSuccess(scorers::add));
      created.add(create(ConfigKind.SCORERS, "refusal", new JsonObject()).onSuccess(scorers::add));
      created.add(create(ConfigKind.SCORERS, "regex", new JsonObject().put("pattern", "step \\d+")).onSuccess(scorers::add));
      // every converter that needs no generator and no parameter, one execution each
      Converters.catalog().all().stream()
          .filter(spec -> !Converters.LLM.equals(spec.category()) && spec.schema().params().stream().noneMatch(p -> p.isRequired()))
          .forEach(spec -> converters.add(spec.name()));
      List<Future<String>> converterIds = new ArrayList<>();
      converters.forEach(type -> converterIds.add(create(ConfigKind.CONVERTERS, type, new JsonObject())));
      created.addAll(converterIds);
      created.add(createDataset((prompts + converters.size() - 1) / converters.size()).onSuccess(id -> dataset = id));
      return Future.all(created).map(v -> {
        converters.clear();
        converterIds.forEach(f -> converters.add(f.result()));
        return null;
      });
    }

    private Future<String> create(ConfigKind kind, String type, JsonObject parameters) {
      JsonObject value = kind.validate(new JsonObject().put("name", "warm-up " + type).put("type", type).put("parameters", parameters));
      value.put("parameters", Resolver.catalogOf(kind).validate(type, value.getJsonObject("parameters")));
      return memory.configs(NOBODY).create(kind, value, dev.gauntlet.memory.ConfigNaming.NEXT_FREE).map(c -> c.getString("id"));
    }

    /** The built-in sets' prompts, over and over, each with its number so that no two are alike. */
    private Future<String> createDataset(int size) {
      List<SeedPrompt> seeds = new ArrayList<>();
      BuiltinDatasets.all().forEach(b -> seeds.addAll(BuiltinDatasets.load(b.id())));
      JsonArray values = new JsonArray();
      for (int i = 0; i < size; i++) {
        SeedPrompt seed = seeds.get(i % seeds.size());
        values.add(seed.withValue(seed.value() + " (" + i + ")").toJson());
      }
      JsonObject value = ConfigKind.DATASETS.validate(new JsonObject().put("name", "warm-up").put("prompts", values));
      return memory.configs(NOBODY).create(ConfigKind.DATASETS, value, dev.gauntlet.memory.ConfigNaming.NEXT_FREE).map(c -> c.getString("id"));
    }

    /**
     * Execution {@code k}, then the next: once every converter has had its execution (and at
     * least {@code prompts} were sent), only until {@value #SETTLED_EXECUTIONS} executions in a
     * row kept the JIT busy for less than a tenth of their time: methods still waiting for their
     * counts to reach the optimising compiler show as a quiet compiler, so one quiet execution
     * proves little. A loaded machine's compiler lags behind and needs longer.
     */
    private Future<Void> runFrom(int k) {
      if (k >= converters.size() && done >= prompts && settled >= SETTLED_EXECUTIONS) {
        complete = true;
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadline) {
        return Future.succeededFuture();
      }
      JsonObject parameters = Orchestrators.catalog().validate("prompt_sending", new JsonObject()
          .put("generator_id", generator).put("dataset_id", dataset).put("scorer_ids", scorers.copy())
          .put("converter_ids", new JsonArray().add(converters.get(k % converters.size()))).put("concurrency", 16));
      return create(ConfigKind.ORCHESTRATORS, "prompt_sending", parameters)
          .compose(id -> new Launcher(memory, resolver).launch(NOBODY, id, null))
          .compose(this::execute)
          .compose(v -> runFrom(k + 1));
    }

    /**
     * One execution, exactly as the orchestrator runs users' new ones: from the snapshot its
     * creation answered; cancelled if it outlasts the deadline.
     */
    private Future<Void> execute(JsonObject launched) {
      ExecutionRunner runner = new ExecutionRunner(vertx, memory, resolver, NOBODY, launched.getString("id"));
      long timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), t -> runner.cancel());
      Promise<Void> ended = Promise.promise();
      long compiling = COMPILER.getTotalCompilationTime();
      long started = System.nanoTime();
      runner.finished().onComplete(ar -> {
        vertx.cancelTimer(timer);
        executions++;
        done += runner.progress().getInteger("done");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        double compileShare = (COMPILER.getTotalCompilationTime() - compiling) / Math.max(1.0, ms);
        settled = compileShare < SETTLED_COMPILE_SHARE ? settled + 1 : 0;
        LOG.fine(() -> String.format("warm-up execution %d: %d prompts in %d ms, compiler busy %.0f%% of it", executions,
            runner.progress().getInteger("done"), ms, 100 * compileShare));
        ended.complete();
      });
      runner.start(launched);
      return ended.future();
    }
  }
}
