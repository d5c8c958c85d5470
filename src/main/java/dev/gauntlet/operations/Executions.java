package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.orchestrator.OrchestratorClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static dev.gauntlet.operations.Args.id;
import static dev.gauntlet.operations.Args.page;

/** Launching, following, stopping and resuming executions, and reading what they produced. */
final class Executions {

  private final MemoryClient memory;
  private final OrchestratorClient orchestrators;

  Executions(MemoryClient memory, OrchestratorClient orchestrators) {
    this.memory = memory;
    this.orchestrators = orchestrators;
  }

  Future<JsonObject> start(Caller c, JsonObject a) {
    return orchestrators.start(c.owner(), Args.string(a, "orchestrator_id"), Args.labels(a));
  }

  Future<JsonObject> get(Caller c, JsonObject a) {
    return orchestrators.status(c.owner(), id(a));
  }

  Future<JsonObject> cancel(Caller c, JsonObject a) {
    return notImported(c, id(a), "cancelled").compose(v -> orchestrators.cancel(c.owner(), id(a)));
  }

  Future<JsonObject> resume(Caller c, JsonObject a) {
    return notImported(c, id(a), "resumed").compose(v -> orchestrators.resume(c.owner(), id(a)));
  }

  /** Another tool ran an imported execution: nothing of it can run here, though it can be re-scored. */
  private Future<Void> notImported(Caller c, String id, String what) {
    return memory.executions(c.owner()).getWithoutCounts(id).compose(e -> "imported".equals(e.getString("kind"))
        ? Future.failedFuture(Problem.conflict("imported_execution", "execution " + id + " was imported from "
            + e.getString("source_tool", "another tool") + " and cannot be " + what + "; it can be re-scored"))
        : Future.succeededFuture());
  }

  /**
   * Re-scores an execution's stored answers with the caller's scorers. The orchestrator checks
   * the scorer ids, after the execution: another user's execution is a 404 whatever the body.
   */
  Future<JsonObject> rescore(Caller c, JsonObject a) {
    return orchestrators.rescore(c.owner(), id(a), a.getValue("scorer_ids"));
  }

  Future<JsonObject> rescoreStatus(Caller c, JsonObject a) {
    return orchestrators.rescoreStatus(c.owner(), id(a));
  }

  Future<JsonObject> rescoreCancel(Caller c, JsonObject a) {
    return orchestrators.rescoreCancel(c.owner(), id(a));
  }

  Future<JsonObject> rescoreResume(Caller c, JsonObject a) {
    return orchestrators.rescoreResume(c.owner(), id(a));
  }

  Future<JsonObject> instance(Caller c, JsonObject a) {
    return orchestrators.instance(c.owner(), id(a));
  }

  /** An orchestrator's executions (or all of them); naming an orchestrator the caller does not have is a 404. */
  Future<JsonObject> list(Caller c, JsonObject a) {
    Object orchestrator = a.getValue("orchestrator_id");
    Future<?> exists = Future.succeededFuture();
    if (orchestrator != null) {
      if (!(orchestrator instanceof String s)) {
        throw Problem.badRequest("invalid_field", "'orchestrator_id' must be a string");
      }
      exists = memory.configs(c.owner()).get(ConfigKind.ORCHESTRATORS, s);
    }
    JsonObject page = page(a, 50);
    return exists.compose(v -> memory.executions(c.owner()).list((String) orchestrator, page.getInteger("offset"), page.getInteger("limit")));
  }

  Future<JsonObject> results(Caller c, JsonObject a) {
    JsonObject page = page(a, 50);
    return memory.executions(c.owner()).results(id(a), page.getInteger("offset"), page.getInteger("limit"));
  }
}
