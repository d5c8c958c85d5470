package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOp;
import dev.gauntlet.orchestrator.OrchestratorRequest;
import dev.gauntlet.orchestrator.OrchestratorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import static dev.gauntlet.operations.Args.id;
import static dev.gauntlet.operations.Args.page;

/** Launching, following, stopping and resuming executions, and reading what they produced. */
final class Executions {

  private final Vertx vertx;
  private final MemoryClient memory;

  Executions(Vertx vertx, MemoryClient memory) {
    this.vertx = vertx;
    this.memory = memory;
  }

  Future<JsonObject> start(Caller c, JsonObject a) {
    return orchestrator(OrchestratorRequest.Op.START, c, Args.string(a, "orchestrator_id"),
        new JsonObject().put("labels", Args.labels(a)));
  }

  Future<JsonObject> get(Caller c, JsonObject a) {
    return orchestrator(OrchestratorRequest.Op.STATUS, c, id(a), null);
  }

  Future<JsonObject> cancel(Caller c, JsonObject a) {
    return orchestrator(OrchestratorRequest.Op.CANCEL, c, id(a), null);
  }

  Future<JsonObject> resume(Caller c, JsonObject a) {
    return orchestrator(OrchestratorRequest.Op.RESUME, c, id(a), null);
  }

  Future<JsonObject> instance(Caller c, JsonObject a) {
    return orchestrator(OrchestratorRequest.Op.INSTANCE, c, id(a), null);
  }

  /** An orchestrator's executions (or all of them); naming an orchestrator the caller does not have is a 404. */
  Future<JsonObject> list(Caller c, JsonObject a) {
    Object orchestrator = a.getValue("orchestrator_id");
    Future<?> exists = Future.succeededFuture();
    if (orchestrator != null) {
      if (!(orchestrator instanceof String s)) {
        throw Problem.badRequest("invalid_field", "'orchestrator_id' must be a string");
      }
      exists = memory.config(c.owner(), MemoryOp.CONFIG_GET, ConfigKind.ORCHESTRATORS, new JsonObject().put("id", s));
    }
    JsonObject args = page(a, 50).put("orchestrator_id", orchestrator);
    return exists.compose(v -> memory.call(c.owner(), MemoryOp.EXECUTION_LIST, args));
  }

  Future<JsonObject> results(Caller c, JsonObject a) {
    return memory.call(c.owner(), MemoryOp.EXECUTION_RESULTS, page(a, 50).put("id", id(a)));
  }

  private Future<JsonObject> orchestrator(OrchestratorRequest.Op op, Caller c, String id, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(OrchestratorVerticle.ADDRESS, new OrchestratorRequest(op, c.owner(), id, body),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(120_000))
        .map(m -> m.body()).recover(t -> Future.failedFuture(Problem.from(t)));
  }
}
