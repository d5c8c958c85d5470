package dev.gauntlet.orchestrator;

import dev.gauntlet.Metrics;
import dev.gauntlet.Problem;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.ExecutionUpdate;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs orchestrators. Instances are a least-recently-used cache keyed by owner and id, rebuilt
 * from stored configuration on demand; every memory access goes through {@link MemoryClient},
 * which names the owner, so nothing here can choose a memory file.
 */
public final class OrchestratorVerticle extends VerticleBase {

  public static final String ADDRESS = "gauntlet.orchestrator";

  private final MemoryClient memory;
  private final dev.gauntlet.auth.SecretBox secrets;
  private Resolver resolver;
  private Launcher launcher;
  private Rescores rescores;
  private final dev.gauntlet.appdb.ExecutionIndex index;
  private final GeneratorPool generators;
  private final java.util.Map<String, ExecutionRunner> running = new java.util.HashMap<>();
  /** Executions whose resume is under way, so two resumes at once cannot both run one. */
  private final java.util.Set<String> resuming = new java.util.HashSet<>();
  private final int maxInstances;
  private long stopGraceMs = 10_000;
  private int rescoreBatch = RescoreRunner.BATCH;
  private final LinkedHashMap<String, OrchestratorInstance> instances = new LinkedHashMap<>(16, 0.75f, true);
  private long built;
  private dev.gauntlet.generator.Egress egress = dev.gauntlet.generator.Egress.open();
  private long evicted;
  /** In cluster mode, the leases on what runs here: executions and re-scoring jobs, by index id; null alone. */
  private dev.gauntlet.cluster.Leases leases;
  private final Map<String, dev.gauntlet.cluster.Leases.Hold> held = new java.util.HashMap<>();
  /** Leased, or being leased, but whose runner is not registered yet: not to be released as finished. */
  private final java.util.Set<String> pending = new java.util.HashSet<>();
  private long clusterTimer = -1;
  private boolean ticking;
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(OrchestratorVerticle.class.getName());

  public OrchestratorVerticle(MemoryClient memory, int maxInstances, dev.gauntlet.auth.SecretBox secrets,
                              dev.gauntlet.appdb.ExecutionIndex index) {
    this.memory = memory;
    this.maxInstances = maxInstances;
    this.index = index;
    this.generators = new GeneratorPool(256);
    this.secrets = secrets;
  }

  /** Where users' generators may connect (the warm-up's and tests' verticles keep it open). */
  public OrchestratorVerticle egress(dev.gauntlet.generator.Egress egress) {
    this.egress = egress;
    return this;
  }

  /** How long a stop waits for prompts in flight to be answered and committed; the rest are sent again on resume. */
  OrchestratorVerticle stopGrace(long millis) {
    this.stopGraceMs = millis;
    return this;
  }

  /** Answers a re-scoring job reads and commits at a time (tests make it small to stop a job between batches). */
  OrchestratorVerticle rescoreBatch(int answers) {
    this.rescoreBatch = answers;
    return this;
  }

  public static void registerCodec(io.vertx.core.Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(OrchestratorRequest.class, new OrchestratorRequest.Codec());
  }

  @Override
  public Future<?> start() {
    resolver = new Resolver(vertx, memory, secrets, generators, egress);
    launcher = new Launcher(memory, resolver);
    rescores = new Rescores(vertx, memory, resolver, index);
    rescores.batchSize(rescoreBatch);
    dev.gauntlet.cluster.Cluster cluster = dev.gauntlet.cluster.Cluster.of(vertx);
    if (cluster != null) {
      // requests from this node's surfaces come here; those for what runs here, from any node, at the node's own address
      leases = cluster.executionLeases();
      return Future.all(vertx.eventBus().<OrchestratorRequest>localConsumer(ADDRESS, this::handle).completion(),
              vertx.eventBus().<OrchestratorRequest>consumer(nodeAddress(cluster.nodeId()), this::handle).completion())
          .map(v -> {
            clusterTimer = vertx.setPeriodic(Math.max(500, leases.ttlMillis() / 3), id -> clusterTick());
            clusterTick();
            return null;
          });
    }
    return vertx.eventBus().<OrchestratorRequest>consumer(ADDRESS, this::handle).completion()
        .compose(v -> index.unfinished())
        .map(unfinished -> {
          // executions that were running when the process stopped resume from their last commit
          unfinished.forEach(e -> {
            if (Rescores.indexes(e)) {
              rescores.resumeAtStart(e);
            } else {
              run(e.owner(), e.id());
            }
          });
          return null;
        });
  }

  @Override
  public Future<?> stop() {
    if (clusterTimer >= 0) {
      vertx.cancelTimer(clusterTimer);
    }
    List<Future<Void>> drained = new java.util.ArrayList<>();
    running.values().forEach(r -> drained.add(r.pause(stopGraceMs)));
    drained.addAll(rescores.pauseAll(stopGraceMs));
    return Future.join(drained).eventually(() -> {
      generators.closeAll();
      // what was paused here is committed: another node may take it over at once
      List<Future<String>> released = new java.util.ArrayList<>();
      held.values().forEach(h -> released.add(Future.fromCompletionStage(leases.release(h))));
      held.clear();
      return Future.join(released).otherwiseEmpty();
    });
  }

  /** Where one node's orchestrator answers requests about what runs on it. */
  static String nodeAddress(String node) {
    return ADDRESS + ".node." + node;
  }

  // --- cluster mode: an execution runs on the node that holds its lease -----------------------

  /**
   * Renews the leases of what runs here, stops what lost its lease, takes over what a dead node
   * left (unfinished index entries whose lease has run out) and gives up the leases of what
   * finished.
   */
  private void clusterTick() {
    if (ticking) {
      return;
    }
    ticking = true;
    Future<Void> renewed = held.isEmpty() ? Future.succeededFuture()
        : Future.fromCompletionStage(leases.renewAll(new java.util.HashMap<>(held)), vertx.getOrCreateContext()).map(now -> {
          for (String id : List.copyOf(held.keySet())) {
            if (now.containsKey(id)) {
              held.put(id, now.get(id));
            } else {
              lost(id);
            }
          }
          return null;
        });
    renewed.compose(v -> index.unfinishedCreatedBefore(Instant.now().minusMillis(leases.ttlMillis())))
        .onSuccess(entries -> entries.forEach(this::adopt))
        .onFailure(t -> LOG.warning("execution leases: " + t))
        .onComplete(ar -> {
          releaseFinished();
          ticking = false;
        });
  }

  private void adopt(dev.gauntlet.appdb.ExecutionIndex.Entry e) {
    String id = e.id();
    if (held.containsKey(id) || pending.contains(id) || running.containsKey(id) || rescores.isRunning(id)) {
      return;
    }
    pending.add(id);
    Future.fromCompletionStage(leases.acquireAsync(id), vertx.getOrCreateContext()).onComplete(ar -> {
      pending.remove(id);
      if (ar.failed() || !ar.result().granted()) {
        return;
      }
      held.put(id, ar.result().hold());
      LOG.info("taking over " + (Rescores.indexes(e) ? "re-scoring job " : "execution ") + id + " of '" + e.owner().username()
          + "' (its node's lease ran out; token " + ar.result().hold().token() + "): resuming from its last commit");
      if (Rescores.indexes(e)) {
        rescores.resumeAtStart(e);
      } else {
        run(e.owner(), id);
      }
    });
  }

  /** A lease this node could not renew in time: another may hold it now, so nothing more is sent from here. */
  private void lost(String id) {
    held.remove(id);
    ExecutionRunner r = running.remove(id);
    if (r != null) {
      LOG.warning("lease of execution " + id + " lost; stopping it here (the node now holding it resumes it)");
      r.pause(0);
      Metrics.RUNNING_EXECUTIONS.decrementAndGet();
    }
  }

  private void releaseFinished() {
    for (String id : List.copyOf(held.keySet())) {
      if (!pending.contains(id) && !running.containsKey(id) && !rescores.isRunning(id)) {
        leases.release(held.remove(id));
      }
    }
  }

  /** Takes the lease of an execution about to run here; alone, there is nothing to take. */
  private Future<Void> lease(String id) {
    if (leases == null) {
      return Future.succeededFuture();
    }
    pending.add(id);
    return Future.fromCompletionStage(leases.acquireAsync(id), vertx.getOrCreateContext()).compose(grant -> {
      if (!grant.granted()) {
        pending.remove(id);
        return Future.failedFuture(Problem.conflict("already_running", "execution '" + id + "' is running on another node"));
      }
      held.put(id, grant.hold());
      return Future.succeededFuture();
    }, t -> {
      pending.remove(id);
      return Future.failedFuture(t);
    });
  }

  private void handle(Message<OrchestratorRequest> message) {
    OrchestratorRequest r = message.body();
    if (r.op() == OrchestratorRequest.Op.START) {
      // answered before the runner sends anything: a launch costs its caller only its own round trips
      startExecution(r).onSuccess(launched -> {
        message.reply(new JsonObject().put("id", launched.runner().executionId()).put("status", "queued"));
        launched.runner().start(launched.snapshot());
      }).onFailure(t -> Problem.from(t).failReply(message));
      return;
    }
    if (r.op() == OrchestratorRequest.Op.RESCORE_START) {
      rescores.launch(r.owner(), r.id(), r.body()).compose(runner -> lease(runner.jobId()).map(runner).eventually(() -> {
        pending.remove(runner.jobId());
        return Future.succeededFuture();
      })).onSuccess(runner -> {
        message.reply(new JsonObject().put("id", runner.jobId()).put("kind", "rescore").put("execution_id", r.id())
            .put("status", "queued"));
        runner.start();
      }).onFailure(t -> Problem.from(t).failReply(message));
      return;
    }
    Future<JsonObject> reply = switch (r.op()) {
      case INSTANCE -> instance(r).map(OrchestratorInstance::toJson);
      case EVICT_ALL -> {
        int n = instances.size();
        instances.clear();
        evicted += n;
        yield Future.succeededFuture(new JsonObject().put("evicted", n));
      }
      case STATS -> Future.succeededFuture(stats());
      case START, RESCORE_START -> throw new IllegalStateException("answered above");
      case RESCORE_STATUS -> rescores.status(r.owner(), r.id());
      case RESCORE_CANCEL -> rescores.cancel(r.owner(), r.id());
      case RESCORE_RESUME -> rescores.resume(r.owner(), r.id());
      case STATUS -> executionStatus(r);
      case CANCEL -> cancelExecution(r);
      case RESUME -> resumeExecution(r);
    };
    reply.onSuccess(message::reply).onFailure(t -> Problem.from(t).failReply(message));
  }

  /** The cached instance, rebuilt when absent or when its stored configuration changed. */
  private Future<OrchestratorInstance> instance(OrchestratorRequest r) {
    String key = r.owner().username() + "/" + r.id();
    return memory.configs(r.owner()).get(ConfigKind.ORCHESTRATORS, r.id())
        .map(config -> {
          OrchestratorInstance cached = instances.get(key);
          if (cached != null && cached.configUpdatedAt().equals(config.getString("updated_at"))) {
            return cached;
          }
          OrchestratorInstance fresh = new OrchestratorInstance(r.owner(), config.getString("id"), config.getString("name"),
              config.getString("type"), config.getJsonObject("parameters"), config.getString("updated_at"), Instant.now());
          instances.put(key, fresh);
          built++;
          while (instances.size() > maxInstances) {
            Map.Entry<String, OrchestratorInstance> eldest = instances.entrySet().iterator().next();
            instances.remove(eldest.getKey());
            evicted++;
          }
          return fresh;
        });
  }

  /**
   * Creates the execution in the owner's memory from a snapshot of everything it uses (see
   * {@link Launcher}) and indexes it. The runner is registered, so a cancel right after the answer
   * finds it, but started by the caller once the answer is sent, from the snapshot the memory
   * answered the creation with.
   */
  private Future<Launched> startExecution(OrchestratorRequest r) {
    JsonObject labels = r.body() == null ? null : r.body().getJsonObject("labels");
    return launcher.launch(r.owner(), r.id(), labels)
        .compose(execution -> lease(execution.getString("id")).map(execution))
        .compose(execution -> index.add(execution.getString("id"), r.owner(), r.id()).map(execution))
        .map(execution -> new Launched(track(r.owner(), execution.getString("id")), execution));
  }

  /** A runner registered for a new execution, and the snapshot its creation answered, which it starts from. */
  private record Launched(ExecutionRunner runner, JsonObject snapshot) {}

  private void run(dev.gauntlet.memory.MemoryOwner owner, String executionId) {
    track(owner, executionId).start();
  }

  private ExecutionRunner track(dev.gauntlet.memory.MemoryOwner owner, String executionId) {
    ExecutionRunner runner = new ExecutionRunner(vertx, memory, resolver, owner, executionId);
    // in a cluster, the lease's fencing token rides on the runner's reads and commits
    if (held.containsKey(executionId)) {
      runner.fencedBy(held.get(executionId).token());
    }
    running.put(executionId, runner);
    pending.remove(executionId);
    Metrics.RUNNING_EXECUTIONS.incrementAndGet();
    index.setStatus(executionId, "running");
    runner.finished().onComplete(ar -> {
      if (running.remove(executionId, runner)) {
        Metrics.RUNNING_EXECUTIONS.decrementAndGet();
      }
      Metrics.executionFinished(ar.succeeded() ? ar.result() : "failed");
      // the index says finished before the lease is given up, so no node takes a finished execution over
      index.setStatus(executionId, ar.succeeded() ? ar.result() : "failed").onComplete(x -> {
        if (leases != null && held.containsKey(executionId) && !running.containsKey(executionId)) {
          leases.release(held.remove(executionId));
        }
      });
    });
    return runner;
  }

  /**
   * What the owner's memory holds, with live progress (rate, eta) while it runs here, which
   * spares the memory counting the results at every poll. The status is always the stored one:
   * the runner knows an execution has ended a moment before the end is committed, and a caller
   * told "completed" must find finished_at set.
   */
  private Future<JsonObject> executionStatus(OrchestratorRequest r) {
    ExecutionRunner live = running.get(r.id());
    if (live == null || !live.owner().equals(r.owner())) {
      // paused for a provider budget with no runner here: the reason is what its error holds
      return memory.executions(r.owner()).get(r.id()).map(row -> dev.gauntlet.memory.ExecutionUpdate.PAUSED.equals(row.getString("status"))
          ? row.put("paused_reason", row.getString("error")) : row);
    }
    return memory.executions(r.owner()).getWithoutCounts(r.id()).compose(row -> {
      String status = row.getString("status");
      if (dev.gauntlet.memory.ExecutionUpdate.PAUSED.equals(status) && live.heldBecause() != null) {
        return Future.succeededFuture(row.put("progress", live.progress()).put("paused_reason", live.heldBecause()));
      }
      if ("queued".equals(status) || "running".equals(status)) {
        return Future.succeededFuture(row.put("progress", live.progress()));
      }
      return memory.executions(r.owner()).get(r.id());
    });
  }

  private Future<JsonObject> cancelExecution(OrchestratorRequest r) {
    ExecutionRunner live = running.get(r.id());
    if (live == null || !live.owner().equals(r.owner())) {
      // another user's running execution is as invisible as a missing one
      return memory.executions(r.owner()).get(r.id())
          .compose(row -> Future.failedFuture(Problem.conflict("not_running",
              "execution '" + r.id() + "' is " + row.getString("status") + ", not running")));
    }
    live.cancel();
    return live.finished().map(state -> new JsonObject().put("id", r.id()).put("status", state));
  }

  /**
   * Runs a stopped execution again from its committed prompts: one that was cancelled, failed,
   * or left unfinished and is not running here. Nothing committed is sent again.
   */
  private Future<JsonObject> resumeExecution(OrchestratorRequest r) {
    return memory.executions(r.owner()).getWithoutCounts(r.id()).compose(row -> {
      String status = row.getString("status");
      if (running.containsKey(r.id()) || !resuming.add(r.id())) {
        return Future.failedFuture(Problem.conflict("already_running", "execution '" + r.id() + "' is running"));
      }
      if ("completed".equals(status) || ExecutionRunner.COMPLETED_WITH_ERRORS.equals(status)) {
        // every prompt is committed (errors too): a resume would send nothing
        resuming.remove(r.id());
        return Future.failedFuture(Problem.conflict("not_resumable", "execution '" + r.id() + "' is " + status + "; nothing is left to send"));
      }
      return lease(r.id())
          .compose(v -> memory.executions(r.owner()).update(ExecutionUpdate.reopened(r.id())))
          .map(v -> {
            run(r.owner(), r.id());
            return new JsonObject().put("id", r.id()).put("status", "queued");
          })
          .eventually(() -> {
            resuming.remove(r.id());
            return Future.succeededFuture();
          });
    });
  }

  private JsonObject stats() {
    return new JsonObject().put("instances", instances.size()).put("max_instances", maxInstances)
        .put("built", built).put("evicted", evicted).put("running_executions", running.size())
        .put("running_rescores", rescores.running())
        .put("live_generators", generators.size());
  }
}
