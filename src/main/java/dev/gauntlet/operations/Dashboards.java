package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.memory.DashboardFilter;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.ResultsQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;

/**
 * The dashboard: figures under a filter, pages of detailed results, two executions compared,
 * and the filtered results as a file. Arguments are checked before they reach the memory (a 400
 * names the bad one), then bound as SQL parameters there.
 */
final class Dashboards {

  static final List<String> EXPORT_FORMATS = List.of("csv", "jsonl", "parquet");

  private final MemoryClient memory;
  private final Memories memories;

  Dashboards(MemoryClient memory, Memories memories) {
    this.memory = memory;
    this.memories = memories;
  }

  Future<JsonObject> summary(Caller c, JsonObject a) {
    return memory.dashboard(c.owner()).summary(DashboardFilter.parse(a).toJson());
  }

  Future<JsonObject> results(Caller c, JsonObject a) {
    JsonObject args = ResultsQuery.parse(a).toJson();
    for (String cursor : List.of("after", "before")) {
      if (a.getValue(cursor) != null) {
        args.put(cursor, a.getValue(cursor));
      }
    }
    return memory.dashboard(c.owner()).results(args);
  }

  Future<JsonObject> compare(Caller c, JsonObject a) {
    String first = execution(a, "a");
    String second = execution(a, "b");
    if (first.equals(second)) {
      throw Problem.badRequest("invalid_parameter", "'b' must name another execution than 'a'");
    }
    return memory.dashboard(c.owner()).compare(first, second);
  }

  /** Every result the filter keeps, as a file. */
  Future<JsonObject> export(Caller c, JsonObject a) {
    String format = a.getString("format", "csv");
    if (!EXPORT_FORMATS.contains(format)) {
      throw Problem.badRequest("invalid_parameter", "'format' must be one of csv, jsonl, parquet");
    }
    JsonObject filter = DashboardFilter.parse(a).toJson();
    Path file = memories.exportFile(c, format);
    return memory.dashboard(c.owner()).export(filter, format, file)
        .map(done -> new JsonObject().put("file", file.toString()).put("filename", "gauntlet-results." + format)
            .put("content_type", Memories.contentType(format)).put("rows", done.getValue("rows")));
  }

  private static String execution(JsonObject a, String name) {
    Object v = a.getValue(name);
    if (!(v instanceof String s) || s.isEmpty() || s.length() > 200) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must name an execution");
    }
    return s;
  }
}
