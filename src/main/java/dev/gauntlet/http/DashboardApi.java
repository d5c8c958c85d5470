package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.memory.DashboardFilter;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOp;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.ResultsQuery;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The dashboard over REST and the event bus: figures under a filter, pages of detailed results,
 * two executions compared, and the filtered results as a file. Arguments are checked before
 * they reach the memory (a 400 names the bad one), then bound as SQL parameters there.
 */
final class DashboardApi {

  static final List<String> FILTERS = List.of("days", "scorer", "generator", "label", "execution");
  static final List<String> PAGING = List.of("sort", "dir", "limit", "after", "before");

  private final Vertx vertx;
  private final ApiOperations ops;
  private final MemoryClient memory;
  private final MemoryPaths paths;
  private final Path filesDir;

  DashboardApi(Vertx vertx, ApiOperations ops, MemoryClient memory, MemoryPaths paths, Path filesDir) {
    this.vertx = vertx;
    this.ops = ops;
    this.memory = memory;
    this.paths = paths;
    this.filesDir = filesDir;
  }

  /** The operations, by name, for REST and the bridge alike. */
  static void register(ApiOperations ops, MemoryClient memory) {
    ops.add("dashboard.summary", Caller.READ, (c, a) -> memory.call(c.owner(), MemoryOp.SCORE_SUMMARY,
        DashboardFilter.parse(a).toJson()));
    ops.add("dashboard.results", Caller.READ, (c, a) -> {
      JsonObject args = ResultsQuery.parse(a).toJson();
      for (String cursor : List.of("after", "before")) {
        if (a.getValue(cursor) != null) {
          args.put(cursor, a.getValue(cursor));
        }
      }
      return memory.call(c.owner(), MemoryOp.DASHBOARD_RESULTS, args);
    });
    ops.add("dashboard.compare", Caller.READ, (c, a) -> {
      String first = execution(a, "a");
      String second = execution(a, "b");
      if (first.equals(second)) {
        throw Problem.badRequest("invalid_parameter", "'b' must name another execution than 'a'");
      }
      return memory.call(c.owner(), MemoryOp.DASHBOARD_COMPARE, new JsonObject().put("a", first).put("b", second));
    });
  }

  private static String execution(JsonObject a, String name) {
    Object v = a.getValue(name);
    if (!(v instanceof String s) || s.isEmpty() || s.length() > 200) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must name an execution");
    }
    return s;
  }

  void summary(RoutingContext ctx) {
    Http.reply(ctx, 200, ops.run("dashboard.summary", Guard.caller(ctx), args(ctx, FILTERS)));
  }

  void results(RoutingContext ctx) {
    Http.reply(ctx, 200, ops.run("dashboard.results", Guard.caller(ctx), args(ctx, FILTERS, PAGING)));
  }

  void compare(RoutingContext ctx) {
    Http.reply(ctx, 200, ops.run("dashboard.compare", Guard.caller(ctx), args(ctx, List.of("a", "b"))));
  }

  /** {@code GET /dashboard/export?format=csv|jsonl|parquet&<filters>}: every result the filter keeps, as a file. */
  void export(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    if (!caller.can(Caller.READ)) {
      throw Problem.forbidden("this credential lacks the 'read' scope");
    }
    JsonObject args = args(ctx, FILTERS, List.of("format"));
    String format = args.getString("format", "csv");
    if (!List.of("csv", "jsonl", "parquet").contains(format)) {
      throw Problem.badRequest("invalid_parameter", "'format' must be one of csv, jsonl, parquet");
    }
    JsonObject filter = DashboardFilter.parse(args).toJson();
    Path file = filesDir.resolve(paths.userHash(caller.username())).resolve("exports").resolve(UUID.randomUUID() + "." + format);
    memory.call(caller.owner(), MemoryOp.DASHBOARD_EXPORT,
            new JsonObject().put("filter", filter).put("format", format).put("path", file.toString()))
        .onFailure(ctx::fail)
        .onSuccess(done -> ctx.response()
            .putHeader("Content-Disposition", "attachment; filename=\"gauntlet-results." + format + "\"")
            .putHeader("X-Gauntlet-Rows", String.valueOf(done.getValue("rows")))
            .putHeader("Content-Type", switch (format) {
              case "csv" -> "text/csv; charset=utf-8";
              case "jsonl" -> "application/x-ndjson";
              default -> "application/vnd.apache.parquet";
            })
            .sendFile(file.toString()).onComplete(sent -> vertx.fileSystem().delete(file.toString())));
  }

  /** The named query parameters as strings; one given twice is refused rather than one of them guessed. */
  @SafeVarargs
  static JsonObject args(RoutingContext ctx, List<String>... names) {
    JsonObject args = new JsonObject();
    for (List<String> group : names) {
      for (String name : group) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
          throw Problem.badRequest("invalid_parameter", "'" + name + "' is given more than once");
        }
        if (values.size() == 1) {
          args.put(name, values.get(0));
        }
      }
    }
    return args;
  }
}
