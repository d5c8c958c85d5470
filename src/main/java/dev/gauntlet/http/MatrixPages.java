package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.operations.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The results matrix, the heat map and one conversation, rendered on the server from the
 * operations {@code dashboard.matrix}, {@code dashboard.heatmap} and {@code memory.conversations.get}.
 * The view's state is its URL: every link and form on these pages spells the whole query, so a
 * link reproduces the view for the same user. The rows of a running execution's matrix come as a
 * fragment ({@code /dashboard/matrix/rows}) its page fetches again while it runs.
 */
final class MatrixPages {

  private final Pages pages;
  private final Operations ops;

  MatrixPages(Pages pages, Operations ops) {
    this.pages = pages;
    this.ops = ops;
  }

  /**
   * The operation's arguments from the query string; outcome boxes may repeat {@code outcome}
   * (joined with commas), any other repeated parameter is refused as the REST routes refuse it.
   */
  /** An operation's arguments from the page's URL: the outcome checkboxes and the further executions may repeat (joined by commas). */
  JsonObject args(RoutingContext ctx, String operation) {
    JsonObject args = new JsonObject();
    for (Param p : ops.require(operation).input().params()) {
      List<String> values = ctx.queryParam(p.name()).stream().filter(v -> !v.isEmpty()).toList();
      if (values.size() > 1 && !p.name().equals("outcome") && !p.name().equals("more")) {
        throw Problem.badRequest("invalid_parameter", "'" + p.name() + "' is given more than once");
      }
      if (!values.isEmpty()) {
        String v = String.join(",", values);
        args.put(p.name(), p.kind() == Param.Kind.INTEGER && v.matches("\\d{1,9}") ? (Object) Integer.parseInt(v) : v);
      }
    }
    return args;
  }

  void matrix(RoutingContext ctx) {
    long start = System.nanoTime();
    JsonObject args;
    try {
      args = args(ctx, "dashboard.matrix");
    } catch (Problem p) {
      failed(ctx, start, "dashboard-matrix", pages.base(ctx, "Results matrix", "matrix.js").put("nav_dashboard", true), p);
      return;
    }
    ops.run("dashboard.matrix", Guard.caller(ctx), args).onComplete(ar -> {
      JsonObject page = pages.base(ctx, "Results matrix", "matrix.js").put("nav_dashboard", true);
      if (ar.failed()) {
        failed(ctx, start, "dashboard-matrix", page, ar.cause());
        return;
      }
      JsonObject m = ar.result();
      page.put("matrix", MatrixViews.matrix(m)).put("form", MatrixViews.form(m))
          .put("dashboard_url", "/dashboard").put("self_url", MatrixViews.url("/dashboard/matrix", m.getJsonObject("query")));
      pages.render(ctx, 200, "dashboard-matrix", page, start);
    });
  }

  /**
   * Two or more executions' answers side by side for the compare page: {@code a}, {@code b} and
   * {@code more}, or the executions its {@code executions} names, under the matrix's chips from the same URL.
   */
  Future<JsonObject> sideBySide(RoutingContext ctx, String a, String b, String more) {
    JsonObject args;
    try {
      args = args(ctx, "dashboard.matrix");
    } catch (Problem p) {
      return Future.failedFuture(p);
    }
    if (args.getString("executions") == null) {
      args.put("executions", a + "," + b + (more == null ? "" : "," + more));
    }
    args.remove("columns");
    args.remove("sort");
    args.remove("dir");
    if (args.getValue("days") == null) {
      args.put("days", 3650);
    }
    return ops.run("dashboard.matrix", Guard.caller(ctx), args)
        .map(m -> MatrixViews.sideBySide(m, new JsonObject().put("a", a).put("b", b).put("more", more)));
  }

  /** The rows of a matrix alone (an execution's page fetches them again while it runs). */
  void rows(RoutingContext ctx) {
    long start = System.nanoTime();
    JsonObject args;
    try {
      args = args(ctx, "dashboard.matrix");
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    ops.run("dashboard.matrix", Guard.caller(ctx), args).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      JsonObject m = ar.result();
      pages.render(ctx, 200, "dashboard-matrix-rows", new JsonObject().put("matrix", MatrixViews.matrix(m))
          .put("self_url", MatrixViews.url("/dashboard/matrix", m.getJsonObject("query"))), start);
    });
  }

  void heatmap(RoutingContext ctx) {
    long start = System.nanoTime();
    JsonObject args;
    try {
      args = args(ctx, "dashboard.heatmap");
    } catch (Problem p) {
      failed(ctx, start, "dashboard-heatmap", pages.base(ctx, "Heat map", "dashboard.js").put("nav_dashboard", true), p);
      return;
    }
    Caller caller = Guard.caller(ctx);
    ops.run("dashboard.heatmap", caller, args).onComplete(ar -> {
      JsonObject page = pages.base(ctx, "Heat map", "dashboard.js").put("nav_dashboard", true);
      if (ar.failed()) {
        failed(ctx, start, "dashboard-heatmap", page, ar.cause());
        return;
      }
      page.put("heat", HeatmapViews.heatmap(ar.result()));
      pages.render(ctx, 200, "dashboard-heatmap", page, start);
    });
  }

  void conversation(RoutingContext ctx) {
    long start = System.nanoTime();
    String id = ctx.queryParam("id").isEmpty() ? null : ctx.queryParam("id").get(0);
    JsonObject page = pages.base(ctx, "Conversation", null).put("nav_dashboard", true);
    if (id == null || id.isEmpty() || id.length() > 200) {
      failed(ctx, start, "dashboard-conversation", page, Problem.badRequest("invalid_parameter", "'id' must name a conversation"));
      return;
    }
    ops.run("memory.conversations.get", Guard.caller(ctx), new JsonObject().put("id", id)).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, start, "dashboard-conversation", page, ar.cause());
        return;
      }
      page.put("conversation", HeatmapViews.conversation(ar.result()));
      pages.render(ctx, 200, "dashboard-conversation", page, start);
    });
  }

  /** A refused request shows on the page with the server's message; our own faults go to the failure handler. */
  private void failed(RoutingContext ctx, long start, String template, JsonObject page, Throwable t) {
    Problem p = Problem.from(t);
    if (p.status() >= 500) {
      ctx.fail(t);
      return;
    }
    pages.render(ctx, p.status(), template, page.put("error", p.getMessage()), start);
  }

  static JsonArray array(Object o) {
    return o instanceof JsonArray a ? a : new JsonArray();
  }
}
