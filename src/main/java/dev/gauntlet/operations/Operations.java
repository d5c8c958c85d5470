package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every operation by name, and the one way to run one: the scope is checked here, for every
 * surface alike, and a caller's mistake never leaves as a server error. {@link Registry} fills it.
 */
public final class Operations {

  private final Map<String, Operation> byName = new LinkedHashMap<>();

  Operations add(Operation op) {
    if (byName.putIfAbsent(op.name(), op) != null) {
      throw new IllegalStateException("operation '" + op.name() + "' declared twice");
    }
    return this;
  }

  public Optional<Operation> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Operation require(String name) {
    Operation op = byName.get(name);
    if (op == null) {
      throw new IllegalArgumentException("no operation named '" + name + "'");
    }
    return op;
  }

  public Collection<Operation> all() {
    return byName.values();
  }

  /** True for an operation that changes something (it needs more than the read scope and is audited). */
  public boolean writes(String name) {
    Operation op = byName.get(name);
    return op != null && op.writes();
  }

  /** Each operation's name, scope and summary, as the bridge and the route listing serve them. */
  public JsonArray describe() {
    JsonArray out = new JsonArray();
    byName.values().stream().filter(Operation::servedEverywhere).forEach(op -> out.add(new JsonObject().put("name", op.name())
        .put("scope", op.scope()).put("summary", op.summary())));
    return out;
  }

  /** Runs an operation for a caller; unknown names and missing scopes are refused. */
  public Future<JsonObject> run(String name, Caller caller, JsonObject args) {
    Operation op = byName.get(name);
    if (op == null) {
      return Future.failedFuture(Problem.badRequest("unknown_operation", "no operation named '" + name + "'"));
    }
    return run(op, caller, args);
  }

  /**
   * Why a caller may not run an operation (no credential, a missing scope, a password to change
   * first), or null when it may: what {@link #run} checks first, for surfaces that must refuse
   * before they read a request's body (uploads).
   */
  public Problem refusal(Operation op, Caller caller) {
    if (op.isPublic()) {
      return null;
    }
    if (caller == null) {
      return Problem.unauthorized("authentication is required");
    }
    if (!caller.can(op.scope())) {
      return Problem.forbidden(op.scope().equals(Caller.ADMIN) ? "this needs the admin role and scope"
          : "this credential lacks the '" + op.scope() + "' scope");
    }
    if (caller.mustChangePassword() && !WHILE_PASSWORD_CHANGE_REQUIRED.contains(op.name())) {
      return new Problem(403, PASSWORD_CHANGE_REQUIRED, "this account's password was generated: set a new one "
          + "first with the operation " + CHANGE_PASSWORD + " (POST /api/v1/auth/password with current_password and new_password, "
          + "or the page /password)");
    }
    return null;
  }

  public Future<JsonObject> run(Operation op, Caller caller, JsonObject args) {
    Problem refused = refusal(op, caller);
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    try {
      Future<JsonObject> result = op.handler().run(caller, args == null ? new JsonObject() : args);
      return result.recover(t -> Future.failedFuture(t instanceof ClassCastException ? wrongType() : t));
    } catch (Problem p) {
      return Future.failedFuture(p);
    } catch (ClassCastException wrongType) {
      // a field of the wrong JSON type, read by a getter that trusted it: the caller's mistake, not ours
      return Future.failedFuture(wrongType());
    }
  }

  public static final String CHANGE_PASSWORD = "auth.change_password";
  public static final String PASSWORD_CHANGE_REQUIRED = "password_change_required";
  /** All an account with a generated password may do until it sets its own. */
  private static final java.util.Set<String> WHILE_PASSWORD_CHANGE_REQUIRED = java.util.Set.of(CHANGE_PASSWORD, "auth.me");

  private static Problem wrongType() {
    return Problem.badRequest("invalid_field", "a field of the request has the wrong type");
  }
}
