package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.memory.DashboardFilter;
import dev.gauntlet.operations.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The dashboard's pages, rendered on the server from the same operations the REST API serves:
 * figures and tables, a page of detailed results, two executions compared. The chart's data
 * travels in a {@code data-chart} attribute (escaped like every value); the page script draws
 * it. Each page says how long it took in {@code Server-Timing}.
 */
final class DashboardPages {

  private final Pages pages;
  private final Operations ops;

  DashboardPages(Pages pages, Operations ops) {
    this.pages = pages;
    this.ops = ops;
  }

  void dashboard(RoutingContext ctx) {
    long start = System.nanoTime();
    JsonObject args = Rest.query(ctx, ops.require("dashboard.summary"));
    Future<JsonObject> summary = ops.run("dashboard.summary", Guard.caller(ctx), args);
    // a judge quality warning never keeps the dashboard from showing
    Future<JsonObject> quality = ops.run("reviews.quality", Guard.caller(ctx), new JsonObject()).otherwise(new JsonObject());
    // the chart's time buckets are the heat map's, fitted to the results' span (the filter's arguments are the heat map's too)
    Future<JsonObject> heat = ops.run("dashboard.heatmap", Guard.caller(ctx), args);
    Future.all(summary, quality, heat).onComplete(ar -> {
      JsonObject page = pages.base(ctx, "Dashboard", "dashboard.js");
      if (ar.failed()) {
        failed(ctx, start, "dashboard", page, ar.cause());
        return;
      }
      JsonObject s = summary.result();
      page.put("outcomes", DashboardViews.outcomes(s.getJsonObject("outcomes")))
          .put("quality_warnings", DashboardViews.qualityWarnings(quality.result().getJsonArray("items"), s.getJsonArray("by_scorer")));
      String query = DashboardViews.query(s.getJsonObject("filters"));
      page.put("filters", DashboardViews.filterForm("/dashboard", s.getJsonObject("filters"), s.getJsonObject("options"), null))
          .put("summary", DashboardViews.figures(s))
          .put("by_scorer", DashboardViews.rows(s.getJsonArray("by_scorer"), "scorer"))
          .put("by_generator", DashboardViews.rows(s.getJsonArray("by_generator"), "generator"))
          .put("by_execution", DashboardViews.executionRows(s.getJsonArray("by_execution"), s.getJsonObject("options")))
          .put("by_day", DashboardViews.rows(s.getJsonArray("by_day"), "day"))
          .put("chart", DashboardViews.overTime(heat.result().getJsonArray("buckets"), heat.result().getString("unit")).encode())
          .put("unit", heat.result().getString("unit") == null ? "day" : heat.result().getString("unit"))
          .put("buckets", HeatmapViews.buckets(heat.result().getJsonArray("buckets"), heat.result().getString("unit"), bucketQuery(heat.result())))
          .put("results_url", "/dashboard/results?" + query)
          .put("export_url", "/api/v1/dashboard/export?format=csv&" + query)
          .put("compare_url", "/dashboard/compare");
      render(ctx, start, 200, "dashboard", page);
    });
  }

  void results(RoutingContext ctx) {
    long start = System.nanoTime();
    JsonObject args = Rest.query(ctx, ops.require("dashboard.results"));
    ops.run("dashboard.results", Guard.caller(ctx), args).onComplete(ar -> {
      JsonObject page = pages.base(ctx, "Results", "dashboard.js").put("nav_dashboard", true);
      if (ar.failed()) {
        failed(ctx, start, "dashboard-results", page, ar.cause());
        return;
      }
      JsonObject r = ar.result();
      JsonObject paging = new JsonObject().put("sort", r.getString("sort")).put("dir", r.getString("dir"))
          .put("limit", r.getInteger("limit"));
      JsonObject all = r.getJsonObject("filters").copy().mergeIn(paging);
      String query = DashboardViews.query(r.getJsonObject("filters"));
      page.put("filters", DashboardViews.filterForm("/dashboard/results", r.getJsonObject("filters"), r.getJsonObject("options"), paging))
          .put("page", DashboardViews.resultsPage(r, all))
          .put("dashboard_url", "/dashboard?" + query)
          .put("export_url", "/api/v1/dashboard/export?format=csv&" + query);
      render(ctx, start, 200, "dashboard-results", page);
    });
  }

  void compare(RoutingContext ctx) {
    long start = System.nanoTime();
    Caller caller = Guard.caller(ctx);
    JsonObject args;
    try {
      args = new MatrixPages(pages, ops).args(ctx, "dashboard.compare");
    } catch (Problem p) {
      failed(ctx, start, "dashboard-compare", pages.base(ctx, "Compare executions", "dashboard.js").put("nav_dashboard", true)
          .put("form", DashboardViews.compareForm(new JsonObject(), new JsonObject())), p);
      return;
    }
    Future<JsonObject> options = ops.run("dashboard.summary", caller, new JsonObject().put("days", DashboardFilter.MAX_DAYS))
        .map(s -> s.getJsonObject("options"));
    boolean both = args.getString("a") != null && args.getString("b") != null;
    Future<JsonObject> compared = both ? ops.run("dashboard.compare", caller, args) : Future.succeededFuture(null);
    Future<JsonObject> side = both ? new MatrixPages(pages, ops).sideBySide(ctx, args.getString("a"), args.getString("b"), args.getString("more"))
        : Future.succeededFuture(null);
    Future.all(options, compared, side).onComplete(ar -> {
      JsonObject page = pages.base(ctx, "Compare executions", "dashboard.js").put("nav_dashboard", true);
      if (ar.failed()) {
        failed(ctx, start, "dashboard-compare", page.put("form", DashboardViews.compareForm(
            options.succeeded() ? options.result() : new JsonObject(), args)), ar.cause());
        return;
      }
      page.put("form", DashboardViews.compareForm(options.result(), args));
      if (compared.result() != null) {
        page.put("compared", DashboardViews.comparison(compared.result())).put("side", side.result());
      }
      render(ctx, start, 200, "dashboard-compare", page);
    });
  }

  /** The heat map's query without its axis: what a bucket's link to the matrix keeps. */
  private static JsonObject bucketQuery(JsonObject heat) {
    JsonObject query = heat.getJsonObject("query").copy();
    query.remove("axis");
    return query;
  }

  /** A refused filter shows on the page with the server's message; our own faults go to the failure handler. */
  private void failed(RoutingContext ctx, long start, String template, JsonObject page, Throwable t) {
    Problem p = Problem.from(t);
    if (p.status() >= 500) {
      ctx.fail(t);
      return;
    }
    render(ctx, start, p.status(), template, page.put("error", p.getMessage()));
  }

  private void render(RoutingContext ctx, long start, int status, String template, JsonObject data) {
    pages.render(ctx, status, template, data, start);
  }

  static JsonArray array(Object o) {
    return o instanceof JsonArray a ? a : new JsonArray();
  }
}
