package dev.gauntlet.http;

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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The operations on a user's own memory, named once and served twice: by REST routes and by
 * the event-bus bridge's request/reply address. Each names the scope it needs; the caller
 * always comes from credentials.
 */
final class ApiOperations {

  record Operation(String scope, BiFunction<Caller, JsonObject, Future<JsonObject>> run) {}

  private final Map<String, Operation> operations = new LinkedHashMap<>();
  private final MemoryClient memory;
  private final Vertx vertx;
  private final Configurations configurations;

  ApiOperations(Vertx vertx, MemoryClient memory, Configurations configurations, EngineOperations engine) {
    this.vertx = vertx;
    this.memory = memory;
    this.configurations = configurations;
    for (ConfigKind kind : ConfigKind.values()) {
      String k = kind.table();
      add(k + ".list", Caller.READ, (c, a) -> configurations.list(c.owner(), kind, page(a, 100)));
      add(k + ".get", Caller.READ, (c, a) -> configurations.get(c.owner(), kind, page(a, 1000).put("id", id(a))));
      add(k + ".create", Caller.WRITE, (c, a) -> configurations.create(c.owner(), kind, value(a)));
      add(k + ".update", Caller.WRITE, (c, a) -> configurations.replace(c.owner(), kind, id(a), value(a)));
      add(k + ".delete", Caller.WRITE, (c, a) -> memory.config(c.owner(), MemoryOp.CONFIG_DELETE, kind,
          new JsonObject().put("id", id(a))));
      if (kind != ConfigKind.DATASETS) {
        add(k + ".types", Caller.READ, (c, a) -> Future.succeededFuture(dev.gauntlet.orchestrator.Resolver.catalogOf(kind).toJson()));
      }
    }
    engine.register(this);
    add("orchestrators.instance", Caller.READ, (c, a) -> vertx.eventBus()
        .<JsonObject>request(OrchestratorVerticle.ADDRESS, new OrchestratorRequest(OrchestratorRequest.Op.INSTANCE, c.owner(), id(a)))
        .map(m -> m.body()).recover(t -> Future.failedFuture(Problem.from(t))));
    add("memory.pieces.append", Caller.WRITE, (c, a) -> memory.append(c.owner(), a));
    add("memory.conversations.list", Caller.READ, (c, a) -> memory.call(c.owner(), MemoryOp.CONVERSATIONS_LIST, page(a, 50)));
    add("memory.conversations.get", Caller.READ, (c, a) -> memory.call(c.owner(), MemoryOp.CONVERSATION_GET,
        new JsonObject().put("id", id(a))));
    DashboardApi.register(this, memory);
    add("database.status", Caller.READ, (c, a) -> memory.call(c.owner(), MemoryOp.STATUS, new JsonObject()));
    add("auth.me", Caller.READ, (c, a) -> Future.succeededFuture(c.toJson()));
  }

  void add(String name, String scope, BiFunction<Caller, JsonObject, Future<JsonObject>> run) {
    operations.put(name, new Operation(scope, run));
  }

  java.util.Set<String> names() {
    return operations.keySet();
  }

  /** True for an operation that needs the write scope (it changes the caller's memory). */
  boolean writes(String name) {
    Operation op = operations.get(name);
    return op != null && !op.scope().equals(Caller.READ);
  }

  /** Each operation's name and the scope it needs, as the bridge serves them. */
  io.vertx.core.json.JsonArray describe() {
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    operations.forEach((name, op) -> out.add(new JsonObject().put("name", name).put("scope", op.scope())));
    return out;
  }

  /** Runs an operation for a caller; unknown names and missing scopes are refused. */
  Future<JsonObject> run(String name, Caller caller, JsonObject args) {
    Operation op = operations.get(name);
    if (op == null) {
      return Future.failedFuture(Problem.badRequest("unknown_operation", "no operation named '" + name + "'"));
    }
    if (!caller.can(op.scope())) {
      return Future.failedFuture(Problem.forbidden("this credential lacks the '" + op.scope() + "' scope"));
    }
    try {
      return op.run().apply(caller, args == null ? new JsonObject() : args);
    } catch (Problem p) {
      return Future.failedFuture(p);
    } catch (ClassCastException wrongType) {
      // a field of the wrong JSON type, read by a getter that trusted it: the caller's mistake, not ours
      return Future.failedFuture(Problem.badRequest("invalid_field", "a field of the request has the wrong type"));
    }
  }

  static String id(JsonObject a) {
    Object id = a.getValue("id");
    if (!(id instanceof String s) || s.isEmpty() || s.length() > 200) {
      throw Problem.badRequest("invalid_field", "'id' is required and must be a string");
    }
    return s;
  }

  static JsonObject value(JsonObject a) {
    Object v = a.getValue("value");
    if (!(v instanceof JsonObject o)) {
      throw Problem.badRequest("invalid_body", "the body must be a JSON object");
    }
    return o;
  }

  static JsonObject page(JsonObject a, int defaultLimit) {
    int offset = bounded(a, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = bounded(a, "limit", defaultLimit, 1, Http.MAX_LIMIT);
    return new JsonObject().put("offset", offset).put("limit", limit);
  }

  static int bounded(JsonObject a, String name, int fallback, int min, int max) {
    Object v = a.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer n) || n < min || n > max) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be a whole number between " + min + " and " + max);
    }
    return n;
  }
}
