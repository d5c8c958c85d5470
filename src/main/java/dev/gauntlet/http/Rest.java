package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.operations.Operation;
import dev.gauntlet.operations.Operations;
import dev.gauntlet.operations.Output;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * REST over the operations registry: each route is one operation. Its arguments are the path's
 * parameters, the declared parameters found in the query string (GET, DELETE) or the JSON body
 * (POST, PUT; or the whole body under one name, as a configuration's {@code value}). A file
 * operation's answer is sent as a download. Every binding is kept, so the OpenAPI document is
 * written from the same table the router serves.
 */
final class Rest {

  /** One route bound to one operation: {@code bodyAs} names the argument the whole body becomes, if any. */
  record Binding(HttpMethod method, String path, Operation operation, int status, String bodyAs, boolean multipart) {

    /** The route's path parameters, in order: {@code /executions/:id} has {@code id}. */
    List<String> pathParams() {
      List<String> out = new ArrayList<>();
      Matcher m = PATH_PARAM.matcher(path);
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    }

    boolean takesBody() {
      return method == HttpMethod.POST || method == HttpMethod.PUT;
    }
  }

  private static final Pattern PATH_PARAM = Pattern.compile(":([A-Za-z_]+)");

  private final Router router;
  private final Operations ops;
  private final String prefix;
  private final List<Binding> bindings = new ArrayList<>();

  Rest(Router router, Operations ops, String prefix) {
    this.router = router;
    this.ops = ops;
    this.prefix = prefix;
  }

  List<Binding> bindings() {
    return Collections.unmodifiableList(bindings);
  }

  Operations operations() {
    return ops;
  }

  /** Each binding may put handlers of its own (a rate limit) in front of the operation. */
  @SafeVarargs
  final void get(String path, String op, Handler<RoutingContext>... before) {
    bind(new Binding(HttpMethod.GET, prefix + path, ops.require(op), 200, null, false), before);
  }

  @SafeVarargs
  final void delete(String path, String op, Handler<RoutingContext>... before) {
    bind(new Binding(HttpMethod.DELETE, prefix + path, ops.require(op), 200, null, false), before);
  }

  @SafeVarargs
  final void post(String path, String op, int status, Handler<RoutingContext>... before) {
    bind(new Binding(HttpMethod.POST, prefix + path, ops.require(op), status, null, false), before);
  }

  @SafeVarargs
  final void put(String path, String op, Handler<RoutingContext>... before) {
    bind(new Binding(HttpMethod.PUT, prefix + path, ops.require(op), 200, null, false), before);
  }

  /** A route whose whole JSON body is one argument, e.g. a configuration's {@code value}. */
  void postBody(String path, String op, int status, String bodyAs) {
    bind(new Binding(HttpMethod.POST, prefix + path, ops.require(op), status, bodyAs, false));
  }

  void putBody(String path, String op, String bodyAs) {
    bind(new Binding(HttpMethod.PUT, prefix + path, ops.require(op), 200, bodyAs, false));
  }

  /** A multipart upload: {@code arguments} turns the form and its file into the operation's arguments. */
  void upload(String path, String op, Function<RoutingContext, Future<JsonObject>> arguments) {
    Binding b = new Binding(HttpMethod.POST, prefix + path, ops.require(op), 201, null, true);
    bindings.add(b);
    router.route(HttpMethod.POST, b.path()).handler(ctx -> {
      // a credential that may not upload is refused before its body is read as an upload
      dev.gauntlet.Problem refused = ops.refusal(b.operation(), Guard.caller(ctx));
      if (refused != null) {
        answer(ctx, b.operation(), b.status(), Future.failedFuture(refused));
        return;
      }
      Future<JsonObject> args = arguments.apply(ctx);
      // a preview stores nothing, so it is a 200, not a 201
      int status = "true".equalsIgnoreCase(ctx.request().getFormAttribute("preview"))
          || "true".equalsIgnoreCase(ctx.request().getFormAttribute("dry_run")) ? 200 : b.status();
      answer(ctx, b.operation(), status, args.compose(a -> ops.run(b.operation(), Guard.caller(ctx), a)));
    });
  }

  @SafeVarargs
  private void bind(Binding b, Handler<RoutingContext>... before) {
    bindings.add(b);
    Route route = router.route(b.method(), b.path());
    for (Handler<RoutingContext> h : before) {
      route.handler(h);
    }
    route.handler(ctx -> serve(ctx, b));
  }

  /** Runs the bound operation for the request's caller with the request's arguments. */
  void serve(RoutingContext ctx, Binding b) {
    JsonObject args = arguments(ctx, b);
    Caller caller = b.operation().isPublic() ? null : Guard.caller(ctx);
    if (b.operation().isPublic() && args.getValue("username") instanceof String login) {
      ctx.put(Guard.AUDIT_ACTOR, login.length() > 64 ? login.substring(0, 64) : login);
    }
    answer(ctx, b.operation(), b.status(), ops.run(b.operation(), caller, args)
        .andThen(done -> named(ctx, b.operation(), done.succeeded() ? done.result() : null)));
  }

  /**
   * Names the resource for the audit log where the result names it ("generator 'target'"), so
   * the log speaks names beside the path's ids.
   */
  private static void named(RoutingContext ctx, Operation op, JsonObject result) {
    String name = result == null || op.output().kind() == Output.Kind.FILE ? null
        : result.getValue("name") instanceof String n ? n : null;
    int dot = op.name().indexOf('.');
    if (name != null && dot > 0) {
      String kind = op.name().substring(0, dot);
      String one = dev.gauntlet.memory.ConfigKind.byTable(kind).map(dev.gauntlet.memory.ConfigKind::singular).orElse(null);
      if (one != null) {
        ctx.put(Guard.AUDIT_DETAIL, one + " '" + (name.length() > 200 ? name.substring(0, 200) : name) + "'");
      }
    }
  }

  static void answer(RoutingContext ctx, Operation op, int status, Future<JsonObject> result) {
    if (op.output().kind() == Output.Kind.FILE) {
      result.onFailure(ctx::fail).onSuccess(done -> Downloads.send(ctx, done));
    } else {
      Http.reply(ctx, status, result);
    }
  }

  /** Path parameters, then the declared query parameters or the body; a parameter given twice is refused. */
  static JsonObject arguments(RoutingContext ctx, Binding b) {
    JsonObject args = new JsonObject();
    if (b.takesBody()) {
      JsonObject body = b.bodyAs() != null ? null : Http.bodyOrEmpty(ctx);
      if (b.bodyAs() != null) {
        args.put(b.bodyAs(), Http.body(ctx));
      } else {
        args.mergeIn(body);
      }
    } else {
      args.mergeIn(query(ctx, b.operation()));
    }
    for (String name : b.pathParams()) {
      args.put(name, ctx.pathParam(name));
    }
    return args;
  }

  /** The operation's declared parameters found in the query string; one given twice is refused rather than one guessed. */
  static JsonObject query(RoutingContext ctx, Operation op) {
    JsonObject args = new JsonObject();
    for (Param p : op.input().params()) {
      List<String> values = ctx.queryParam(p.name());
      if (values.size() > 1) {
        throw Problem.badRequest("invalid_parameter", "'" + p.name() + "' is given more than once");
      }
      if (values.size() == 1 && !values.get(0).isEmpty()) {
        args.put(p.name(), typed(p, values.get(0)));
      }
    }
    return args;
  }

  /**
   * A query value as its parameter's kind: whole numbers and booleans parsed; anything else, or a
   * value that does not parse, stays text, for the operation to refuse with its own message.
   */
  private static Object typed(Param p, String v) {
    return switch (p.kind()) {
      case INTEGER -> v.matches("-?\\d{1,9}") ? (Object) Integer.parseInt(v) : v;
      case BOOLEAN -> v.equals("true") || v.equals("false") ? (Object) Boolean.parseBoolean(v) : v;
      default -> v;
    };
  }
}
