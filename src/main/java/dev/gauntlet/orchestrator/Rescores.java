package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ExecutionIndex;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-scoring jobs, for the {@link OrchestratorVerticle}: applying scorers (new ones, or edited
 * versions) to an execution's stored answers, sending nothing to its target.
 *
 * <p>Why a job runner of its own rather than an execution of a new kind: an execution's runner
 * carries one prompt at a time through a strategy, a future and a result row each, committed 256
 * at a time; re-scoring 100,000 answers with deterministic scorers is a scan, and that machinery
 * would cost more than the scoring. So a job ({@code rescore_jobs}, memory migration 5) freezes
 * the list of answers at launch, and {@link RescoreRunner} reads them 10,000 per memory round trip,
 * scores them in slices on the event loop and commits each batch with the job's position in one
 * transaction: resume is "from the committed position", idempotent because a commit is accepted
 * only at the position the job is at. What the two share is reused: the {@link Resolver} and the
 * snapshot rule (the scorers' configurations are read once at launch, with what they refer to,
 * stored sealed with the job, and the runner builds only from them), the progress address, the
 * app database's {@link ExecutionIndex} (a job is indexed under {@code rescore:<execution id>} so
 * unfinished ones resume at the next start), and cancel/resume semantics.
 */
final class Rescores {

  /** What a job's row in the execution index holds in place of an orchestrator id. */
  static final String INDEX_PREFIX = "rescore:";

  private final Vertx vertx;
  private final MemoryClient memory;
  private final Resolver resolver;
  private final ExecutionIndex index;
  private final Map<String, RescoreRunner> running = new HashMap<>();
  private final Set<String> resuming = new HashSet<>();
  private int batchSize = RescoreRunner.BATCH;

  Rescores(Vertx vertx, MemoryClient memory, Resolver resolver, ExecutionIndex index) {
    this.vertx = vertx;
    this.memory = memory;
    this.resolver = resolver;
    this.index = index;
  }

  /** Answers per memory round trip; smaller only in tests, to stop a job between batches. */
  void batchSize(int answers) {
    this.batchSize = answers;
  }

  /** Whether an unfinished entry of the execution index is a re-scoring job. */
  static boolean indexes(ExecutionIndex.Entry e) {
    return e.orchestratorId() != null && e.orchestratorId().startsWith(INDEX_PREFIX);
  }

  /**
   * Creates a job over the execution's stored answers with the caller's scorers, resolved now and
   * kept with the job; answers once it is stored. The runner is registered (a cancel right after
   * finds it) and started by the caller once the answer is sent.
   */
  Future<RescoreRunner> launch(MemoryOwner owner, String executionId, JsonObject body) {
    List<String> ids = new ArrayList<>();
    JsonArray scorerIds = new JsonArray();
    // the execution first: another user's is a 404, whatever the body says
    return memory.executions(owner).getWithoutCounts(executionId)
        .compose(execution -> {
          ids.addAll(scorerIds(body));
          scorerIds.addAll(new JsonArray(new ArrayList<>(ids)));
          List<Future<JsonObject>> reads = new ArrayList<>();
          ids.forEach(id -> reads.add(resolver.withReferences(owner, ConfigKind.SCORERS, id)));
          return Future.all(reads).map(all -> {
            JsonObject configs = new JsonObject();
            reads.forEach(f -> configs.mergeIn(f.result()));
            return configs;
          });
        })
        .compose(stored -> {
          // kept as read: building below must put nothing (an opened secret least of all) into the snapshot
          JsonObject configs = stored.copy();
          return resolver.resolve(owner, stored).map(resolved -> {
            resolved.scorerParts(scorerIds);
            return configs;
          });
        })
        .compose(configs -> memory.rescores(owner).create(executionId, scorerIds, configs))
        .compose(job -> index.add(job.getString("id"), owner, INDEX_PREFIX + executionId).map(job))
        .map(job -> track(owner, job.getString("id")));
  }

  /** The scorer ids of a launch: a non-empty list of strings, each once. */
  static List<String> scorerIds(JsonObject body) {
    Object v = body == null ? null : body.getValue("scorer_ids");
    if (!(v instanceof JsonArray a) || a.isEmpty()) {
      throw Problem.badRequest("invalid_field", "'scorer_ids' must name at least one of your scorers");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Object id : a) {
      if (!(id instanceof String s) || s.isEmpty()) {
        throw Problem.badRequest("invalid_field", "'scorer_ids' must hold scorer ids (strings)");
      }
      ids.add(s);
    }
    return List.copyOf(ids);
  }

  /** An unfinished job found at start: it resumes from its last committed batch. */
  void resumeAtStart(ExecutionIndex.Entry e) {
    track(e.owner(), e.id()).start();
  }

  private RescoreRunner track(MemoryOwner owner, String jobId) {
    RescoreRunner runner = new RescoreRunner(vertx, memory, resolver, owner, jobId, batchSize);
    running.put(jobId, runner);
    index.setStatus(jobId, "running");
    runner.finished().onComplete(ar -> {
      running.remove(jobId);
      index.setStatus(jobId, ar.succeeded() ? ar.result() : "failed");
    });
    return runner;
  }

  /** The job as stored, with live progress (rate, eta) while it runs here. */
  Future<JsonObject> status(MemoryOwner owner, String jobId) {
    RescoreRunner live = running.get(jobId);
    return memory.rescores(owner).get(jobId, false).map(row -> {
      String status = row.getString("status");
      if (live != null && live.owner().equals(owner) && ("queued".equals(status) || "running".equals(status))) {
        return row.put("progress", live.progress());
      }
      return row.put("progress", new JsonObject().put("total", row.getInteger("total")).put("done", row.getInteger("done"))
          .put("scores", row.getLong("scores")).put("rate_per_s", 0.0).putNull("eta_s"));
    });
  }

  Future<JsonObject> cancel(MemoryOwner owner, String jobId) {
    RescoreRunner live = running.get(jobId);
    if (live == null || !live.owner().equals(owner)) {
      // another user's running job is as invisible as a missing one
      return memory.rescores(owner).get(jobId, false).compose(row -> Future.failedFuture(Problem.conflict("not_running",
          "rescore '" + jobId + "' is " + row.getString("status") + ", not running")));
    }
    live.cancel();
    return live.finished().map(state -> new JsonObject().put("id", jobId).put("status", state));
  }

  /** Runs a cancelled or failed job on from its last committed batch. */
  Future<JsonObject> resume(MemoryOwner owner, String jobId) {
    return memory.rescores(owner).get(jobId, false).compose(row -> {
      if (running.containsKey(jobId) || !resuming.add(jobId)) {
        return Future.failedFuture(Problem.conflict("already_running", "rescore '" + jobId + "' is running"));
      }
      if ("completed".equals(row.getString("status"))) {
        resuming.remove(jobId);
        return Future.failedFuture(Problem.conflict("not_resumable", "rescore '" + jobId + "' is completed; nothing is left to score"));
      }
      return memory.rescores(owner).update(jobId, "queued", null, false, true)
          .map(v -> {
            track(owner, jobId).start();
            return new JsonObject().put("id", jobId).put("kind", "rescore").put("status", "queued");
          })
          .eventually(() -> {
            resuming.remove(jobId);
            return Future.succeededFuture();
          });
    });
  }

  /** Stops every job after what it is committing, for a shutdown; they resume at the next start. */
  List<Future<Void>> pauseAll(long graceMs) {
    List<Future<Void>> drained = new ArrayList<>();
    running.values().forEach(r -> drained.add(r.pause(graceMs)));
    return drained;
  }

  int running() {
    return running.size();
  }

  /** Whether the job runs here (in a cluster, its lease is held while it does). */
  boolean isRunning(String jobId) {
    return running.containsKey(jobId);
  }
}
