package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * How every other part of Gauntlet reaches the {@link OrchestratorVerticle}: typed methods over
 * its event-bus address, one timeout, and failures as {@link Problem}s, as {@link
 * dev.gauntlet.memory.MemoryClient} does for the memory shards.
 */
public final class OrchestratorClient {

  /** Long enough for a cancel, which answers once the prompts in flight are committed. */
  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(120_000);

  private final Vertx vertx;

  public OrchestratorClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Launches an execution of the orchestrator; answers {@code {id, status: "queued"}} once it is stored. */
  public Future<JsonObject> start(MemoryOwner owner, String orchestratorId, JsonObject labels) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.START, owner, orchestratorId,
        new JsonObject().put("labels", labels)));
  }

  /** The execution as stored, with live progress while it runs. */
  public Future<JsonObject> status(MemoryOwner owner, String executionId) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.STATUS, owner, executionId));
  }

  /** Stops a running execution; answers once what was in flight is committed. */
  public Future<JsonObject> cancel(MemoryOwner owner, String executionId) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.CANCEL, owner, executionId));
  }

  /** Runs a stopped execution again from its committed prompts. */
  public Future<JsonObject> resume(MemoryOwner owner, String executionId) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.RESUME, owner, executionId));
  }

  /**
   * Re-scores the execution's stored answers with the caller's scorers as a background job,
   * sending nothing to its target; answers {@code {id, status: "queued"}} once the job is stored.
   */
  public Future<JsonObject> rescore(MemoryOwner owner, String executionId, Object scorerIds) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.RESCORE_START, owner, executionId,
        new JsonObject().put("scorer_ids", scorerIds)));
  }

  /** A re-scoring job as stored, with live progress while it runs. */
  public Future<JsonObject> rescoreStatus(MemoryOwner owner, String jobId) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.RESCORE_STATUS, owner, jobId));
  }

  /** Stops a running re-scoring job; answers once the batches under way are committed. */
  public Future<JsonObject> rescoreCancel(MemoryOwner owner, String jobId) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.RESCORE_CANCEL, owner, jobId));
  }

  /** Runs a stopped re-scoring job on from its last committed batch. */
  public Future<JsonObject> rescoreResume(MemoryOwner owner, String jobId) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.RESCORE_RESUME, owner, jobId));
  }

  /** The cached orchestrator instance, rebuilt when its configuration changed. */
  public Future<JsonObject> instance(MemoryOwner owner, String orchestratorId) {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.INSTANCE, owner, orchestratorId));
  }

  /** Instance cache and running executions, for the admin view. */
  public Future<JsonObject> stats() {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.STATS, null, null));
  }

  /** Empties the instance cache (memory is untouched). */
  public Future<JsonObject> evictAll() {
    return send(new OrchestratorRequest(OrchestratorRequest.Op.EVICT_ALL, null, null));
  }

  private Future<JsonObject> send(OrchestratorRequest request) {
    dev.gauntlet.cluster.Cluster cluster = dev.gauntlet.cluster.Cluster.of(vertx);
    if (cluster == null) {
      return send(OrchestratorVerticle.ADDRESS, request, DELIVERY);
    }
    if (!aboutWhatRuns(request.op()) || request.id() == null) {
      return send(OrchestratorVerticle.ADDRESS, request, LOCAL);
    }
    // in a cluster: to the node running the execution (or job), which holds its lease; else this node's
    return Future.fromCompletionStage(cluster.executionLeases().current(request.id()), vertx.getOrCreateContext())
        .compose(lease -> lease.live() && !lease.holder().equals(cluster.nodeId())
            ? cluster.<JsonObject>request(vertx, lease.holder(), OrchestratorVerticle.nodeAddress(lease.holder()), request, DELIVERY)
                .map(m -> m.body())
                // its node has just died: this node answers from memory until another takes the execution over
                .recover(t -> t instanceof io.vertx.core.eventbus.ReplyException re
                    && re.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS
                    ? send(OrchestratorVerticle.ADDRESS, request, LOCAL) : Future.failedFuture(Problem.from(t)))
            : send(OrchestratorVerticle.ADDRESS, request, LOCAL));
  }

  /** This node's orchestrator only: in a cluster every node has one at the same address. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions(DELIVERY).setLocalOnly(true);

  private static boolean aboutWhatRuns(OrchestratorRequest.Op op) {
    return switch (op) {
      case STATUS, CANCEL, RESUME, RESCORE_STATUS, RESCORE_CANCEL, RESCORE_RESUME -> true;
      default -> false;
    };
  }

  private Future<JsonObject> send(String address, OrchestratorRequest request, DeliveryOptions delivery) {
    return vertx.eventBus().<JsonObject>request(address, request, delivery)
        .map(m -> m.body())
        .recover(t -> Future.failedFuture(Problem.from(t)));
  }
}
