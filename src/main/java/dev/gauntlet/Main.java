package dev.gauntlet;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.SwitchEventLog;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.http.HttpVerticle;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemorySalt;
import dev.gauntlet.memory.MemoryVerticle;
import dev.gauntlet.orchestrator.OrchestratorVerticle;
import dev.gauntlet.orchestrator.Warmup;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Starts Gauntlet: configuration, app database, memory salt and first admin on the main
 * thread, then the verticles: memory shards (workers), the orchestrator, and one HTTP verticle
 * per core. SIGTERM and SIGINT stop it in reverse order, committing and closing every memory,
 * and exit 0.
 */
public final class Main {

  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
  }

  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  /**
   * What no handler caught. An upload its client broke off mid-file (a malformed part after the
   * file) makes Vert.x 5.0.10 close the file's pipe after the file itself: the request is already
   * refused, so that is one WARNING line; anything else keeps its trace.
   */
  static void unhandled(Throwable t) {
    if (t instanceof IllegalStateException && "File handle is closed".equals(t.getMessage())) {
      LOG.warning("an upload broken off mid-file was discarded: " + t.getMessage());
    } else {
      LOG.log(java.util.logging.Level.SEVERE, "unhandled exception", t);
    }
  }

  /** A running Gauntlet: what {@link #stop} takes down, in order. */
  public record Running(Vertx vertx, AppDatabase db, List<String> httpDeployments, String orchestratorDeployment,
                        List<String> memoryDeployments, MemoryPaths paths) {}

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("memory")) {
      System.exit(dev.gauntlet.maintenance.MemoryCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(),
          System.out, System.err));
    } else if (args.length > 0 && args[0].equals("admin")) {
      System.exit(dev.gauntlet.maintenance.AdminCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(),
          System.out, System.err));
    } else if (args.length > 0 && args[0].equals("train")) {
      System.exit(dev.gauntlet.maintenance.TrainCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    } else if (args.length > 0 && args[0].equals("restore")) {
      System.exit(dev.gauntlet.maintenance.RestoreCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    Path confFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-conf") && i + 1 < args.length) {
        confFile = Path.of(args[++i]);
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: java -jar gauntlet.jar [-conf FILE]");
        System.out.println("       java -jar gauntlet.jar memory consolidate --from DIR [--user NAME] [--dry-run] [-conf FILE]");
        System.out.println("       java -jar gauntlet.jar restore --from BACKUP_DIR --data-dir NEW_DIR");
        System.out.println("       java -jar gauntlet.jar admin reset-password USER [-conf FILE]   (Gauntlet stopped)");
        System.out.println("       java -jar gauntlet.jar admin grant USER admin [-conf FILE]      (Gauntlet stopped)");
        System.out.println("       java -XX:AOTCacheOutput=FILE -jar gauntlet.jar train [--prompts N]   (the ahead-of-time cache's training run)");
        System.out.println("environment variables:");
        GauntletConfig.environmentNames().forEach((env, key) -> System.out.println("  " + env + "  ->  " + key));
        return;
      } else {
        System.err.println("gauntlet: unknown argument '" + args[i] + "' (try --help)");
        System.exit(2);
      }
    }
    GauntletConfig config;
    try {
      config = GauntletConfig.load(confFile, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("gauntlet: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (config.raw().getJsonObject("log", new io.vertx.core.json.JsonObject()).getBoolean("json", false)) {
      JsonLogFormatter.install();
    }
    Running running;
    try {
      running = start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("gauntlet: " + cause.getMessage());
      System.exit(cause instanceof MemorySalt.Mismatch ? 3 : 1);
      return;
    }
    Runnable shutdown = () -> {
      LOG.info("stopping: committing and closing every memory");
      try {
        stop(running).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        LOG.info("stopped");
        System.exit(0);
      } catch (Exception e) {
        LOG.severe("unclean stop: " + e);
        System.exit(1);
      }
    };
    for (String signal : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(shutdown, "gauntlet-shutdown").start());
    }
  }

  /** Starts everything; the returned future fails (with everything already closed) if any part cannot start. */
  public static Future<Running> start(GauntletConfig config) {
    // one process per data directory, unless nodes of a cluster share it on purpose
    boolean clustered = config.raw().getJsonObject("cluster", new io.vertx.core.json.JsonObject()).getBoolean("enabled", false);
    if (!clustered) {
      try {
        dev.gauntlet.files.Private.dir(config.dataDir());
        dev.gauntlet.files.DataDirLock.acquire(config.dataDir());
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return startLocked(config).onFailure(t -> dev.gauntlet.files.DataDirLock.release(config.dataDir()));
  }

  private static Future<Running> startLocked(GauntletConfig config) {
    AppDatabase db;
    MemoryPaths paths;
    String tokenSecret;
    dev.gauntlet.auth.SecretBox secrets;
    try {
      dev.gauntlet.files.Private.dir(config.dataDir());
      dev.gauntlet.files.Private.dir(config.memory().dir());
      dev.gauntlet.files.Private.dir(config.filesDir());
      // folders an older Gauntlet made 0755: its memory and files folders, and the data folder
      // when it is recognisably Gauntlet's (it holds the app database), never any folder else
      dev.gauntlet.files.Private.tighten(config.memory().dir());
      dev.gauntlet.files.Private.tighten(config.filesDir());
      if (Files.isRegularFile(config.appDatabaseFile())) {
        dev.gauntlet.files.Private.tighten(config.dataDir());
      }
      db = AppDatabase.open(config.appDb());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    // nodes sharing a PostgreSQL app database settle the salt, first admin and token secret one at a time
    AutoCloseable startupLock;
    try {
      startupLock = db.startupLock();
    } catch (Exception e) {
      db.close();
      return Future.failedFuture(e);
    }
    try {
      paths = new MemoryPaths(config.memory().dir(), MemorySalt.resolve(config.memory().salt(), db));
      String generated = Accounts.bootstrapAdmin(db, paths, config.auth().adminPassword(), config.dataDir());
      if (generated != null) {
        System.out.println("================================================================");
        System.out.println(" First start: created user 'admin' with password " + generated);
        System.out.println(" (also written to " + config.dataDir().resolve(Accounts.INITIAL_PASSWORD_FILE) + ", mode 0600)");
        System.out.println("================================================================");
      }
      tokenSecret = Accounts.tokenSecret(db);
      closeQuietly(startupLock);
      if (!config.cluster().enabled()) {
        // in a cluster the files directory is shared: another node's uploads may be in flight
        HttpVerticle.clearUploads(new dev.gauntlet.files.UserFiles(config.filesDir(), paths));
      }
      secrets = dev.gauntlet.auth.SecretBox.load(config.auth().secretKey(), config.dataDir().resolve("secret.key"));
    } catch (RuntimeException e) {
      closeQuietly(startupLock);
      db.close();
      return Future.failedFuture(e);
    }

    // the warm-up has a Vert.x of its own and runs while the server's is set up
    Future<Void> warm = warmUp(config, secrets);
    Vertx vertx;
    try {
      vertx = createVertx(config);
    } catch (IllegalStateException e) {
      db.close();
      return Future.failedFuture(e);
    }
    vertx.exceptionHandler(Main::unhandled);
    MemoryClient.registerCodec(vertx);
    OrchestratorVerticle.registerCodec(vertx);
    Pool pool = db.pool(vertx);
    // provider budgets: every generator on this Vert.x draws from them (see budget/ProviderBudgets)
    dev.gauntlet.budget.LocalProviderBudgets budgets = new dev.gauntlet.budget.LocalProviderBudgets(vertx,
        new dev.gauntlet.appdb.ProviderBudgetStore(pool), dev.gauntlet.cluster.Cluster.of(vertx) != null
            ? dev.gauntlet.cluster.Cluster.of(vertx).pace().pacer(vertx) : dev.gauntlet.budget.RequestPacer.local(vertx));
    dev.gauntlet.budget.ProviderBudgets.install(vertx, budgets);
    SwitchEventLog switchEvents = new SwitchEventLog(pool);
    int shards = config.memory().shards();
    switchEvents.count().onSuccess(Metrics::switchEventsAtStart);

    List<Future<String>> memory = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      memory.add(vertx.deployVerticle(new MemoryVerticle(i, paths, config.memory(), switchEvents),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    }
    dev.gauntlet.appdb.AuditLog audit = new dev.gauntlet.appdb.AuditLog(pool);
    // a refused connection is a refusal like any other: in the audit log, under the generator's owner
    dev.gauntlet.generator.Egress egress = new dev.gauntlet.generator.Egress(config.egress(), new dev.gauntlet.appdb.Users(vertx, db, pool)::isAdmin)
        .reportingTo((owner, target, reason) -> audit.record(new dev.gauntlet.appdb.AuditLog.Entry(owner, "EGRESS refused", target,
            dev.gauntlet.appdb.AuditLog.REFUSED, 403, null, null, reason)));
    HttpVerticle.Services services = new HttpVerticle.Services(db, pool, paths, tokenSecret, config.auth().tokenTtlSeconds(),
        config.http().host(), config.http().port(), config.http().maxBodyBytes(), shards, secrets, config.filesDir(),
        config.auth().oidc(), config.http().tls(),
        new dev.gauntlet.auth.RateLimiter(config.rateLimit()), egress);
    return Future.all(memory)
        .compose(v -> budgets.start(BUDGET_SYNC_MS))
        .compose(v -> warm)
        .compose(v -> vertx.deployVerticle(new OrchestratorVerticle(new MemoryClient(vertx, shards),
            config.orchestrator().maxInstances(), secrets, new dev.gauntlet.appdb.ExecutionIndex(pool)).egress(egress)))
        .compose(orchestrator -> vertx.deployVerticle(() -> new HttpVerticle(services),
                new DeploymentOptions().setInstances(config.http().instances()))
            .map(http -> {
              LOG.info("Gauntlet listening on " + (config.http().tls().enabled() ? "https://" : "http://") + config.http().host() + ":" + config.http().port()
                  + " (data " + config.dataDir() + ", " + shards + " memory shards, " + config.http().instances() + " http verticles)");
              if (config.auth().oidc().enabled()) {
                LOG.info("OpenID Connect sign-in through " + config.auth().oidc().issuer() + " as client " + config.auth().oidc().clientId());
              }
              return new Running(vertx, db, List.of(http), orchestrator, memory.stream().map(Future::result).toList(), paths);
            }))
        .recover(t -> vertx.close().eventually(() -> {
          db.close();
          return Future.succeededFuture();
        }).compose(v -> Future.failedFuture(t)));
  }

  /** How often provider budgets add this process's usage to the app database and read back everyone's. */
  static final long BUDGET_SYNC_MS = 2000;

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warning("could not release the start-up lock: " + e.getMessage());
    }
  }

  /**
   * The warm-up (see {@link Warmup}) before executions resume and requests are taken: logged,
   * and never a reason not to start.
   */
  private static Future<Void> warmUp(GauntletConfig config, dev.gauntlet.auth.SecretBox secrets) {
    int prompts = config.orchestrator().warmupPrompts();
    if (prompts == 0) {
      // without the warm-up, the prime (see Prime): on a thread of its own while the server's Vert.x is set up
      io.vertx.core.Promise<Void> primed = io.vertx.core.Promise.promise();
      Thread.ofPlatform().name("gauntlet-prime").start(() -> {
        try {
          dev.gauntlet.orchestrator.Prime.Report r = dev.gauntlet.orchestrator.Prime.run();
          LOG.fine(() -> "primed the first prompt's path in " + r.millis() + " ms");
        } catch (RuntimeException | LinkageError e) {
          // a class that fails to initialise throws an Error; either way the start goes on, and the first
          // execution meets the same failure where it can be reported
          LOG.warning("priming the first prompt's path failed; starting without it: " + e);
        } finally {
          primed.complete();
        }
      });
      return primed.future();
    }
    LOG.info(String.format("warming up: %,d prompts through the execution path (nothing is stored)", prompts));
    return Warmup.run(prompts, TimeUnit.SECONDS.toMillis(config.orchestrator().warmupSeconds()), metricsEnabled(config), secrets)
        .onSuccess(r -> LOG.info(String.format("warmed up in %.1f s: %,d prompts in %d executions (%d converters, openai_chat to a"
            + " loopback model, a scratch in-memory database)%s", r.millis() / 1000.0, r.prompts(), r.executions(), r.converters(),
            r.complete() ? "" : "; stopped at orchestrator.warmupSeconds")))
        .<Void>mapEmpty()
        .otherwise(t -> {
          LOG.log(java.util.logging.Level.WARNING, "warm-up failed; starting without it", t);
          return null;
        });
  }

  static boolean metricsEnabled(GauntletConfig config) {
    return config.raw().getJsonObject("metrics", new io.vertx.core.json.JsonObject()).getBoolean("enabled", true);
  }

  /**
   * Vert.x with Micrometer metrics on Gauntlet's Prometheus registry (HTTP server, event bus,
   * pools, JVM), unless {@code metrics.enabled} is false.
   */
  static Vertx createVertx(GauntletConfig config) {
    io.vertx.core.json.JsonObject checks = config.raw().getJsonObject("vertx", new io.vertx.core.json.JsonObject());
    // how long an event loop may run one task before Vert.x logs "Thread ... has been blocked",
    // with the blocked thread's stack so the log names the culprit
    long maxExecuteMs = checks.getLong("maxEventLoopExecuteTimeMs", 2000L);
    VertxOptions vertxOptions = new VertxOptions()
        .setBlockedThreadCheckInterval(checks.getLong("blockedThreadCheckIntervalMs", 1000L))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(maxExecuteMs).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(maxExecuteMs).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    boolean metrics = metricsEnabled(config);
    if (!metrics) {
      return config.cluster().enabled() ? dev.gauntlet.cluster.ClusterSetup.join(Vertx.builder(), vertxOptions, config.cluster())
          : Vertx.vertx(vertxOptions);
    }
    MicrometerMetricsOptions options = Metrics.vertxMetricsOptions().setJvmMetricsEnabled(true);
    if (config.cluster().enabled()) {
      return dev.gauntlet.cluster.ClusterSetup.join(Vertx.builder().withMetrics(new MicrometerMetricsFactory(Metrics.registry())),
          vertxOptions.setMetricsOptions(options), config.cluster());
    }
    return Vertx.builder().with(vertxOptions.setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(Metrics.registry())).build();
  }

  /** Stops intake first, then orchestration, then memory (commit and close), then the app database. */
  public static Future<Void> stop(Running r) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : r.httpDeployments()) {
      chain = chain.compose(v -> r.vertx().undeploy(id));
    }
    chain = chain.compose(v -> r.vertx().undeploy(r.orchestratorDeployment()));
    chain = chain.compose(v -> {
      dev.gauntlet.budget.ProviderBudgets budgets = dev.gauntlet.budget.ProviderBudgets.of(r.vertx());
      dev.gauntlet.budget.ProviderBudgets.uninstall(r.vertx());
      return budgets.close();
    });
    for (String id : r.memoryDeployments()) {
      chain = chain.compose(v -> r.vertx().undeploy(id));
    }
    return chain.eventually(() -> r.vertx().close()).eventually(() -> {
      r.db().close();
      dev.gauntlet.files.DataDirLock.release(r.db().file().getParent());
      return Future.succeededFuture();
    });
  }
}
