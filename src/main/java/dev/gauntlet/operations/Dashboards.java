package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.memory.DashboardFilter;
import dev.gauntlet.memory.MatrixQuery;
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

  /** Executions compared at most (A, B and up to four in {@code more}). */
  static final int MAX_COMPARED = 6;
  /** The matrix's chips the compare page's prompt rows take. */
  static final List<String> COMPARE_CHIPS = List.of("outcome", "harm_category", "probe", "chain", "attack", "reviewed", "q");

  Future<JsonObject> compare(Caller c, JsonObject a) {
    String first = execution(a, "a");
    String second = execution(a, "b");
    if (first.equals(second)) {
      throw Problem.badRequest("invalid_parameter", "'b' must name another execution than 'a'");
    }
    List<String> more = more(a, first, second);
    JsonObject chips = new JsonObject();
    COMPARE_CHIPS.forEach(k -> {
      if (a.getValue(k) != null) {
        chips.put(k, a.getValue(k));
      }
    });
    if (more.isEmpty() && chips.isEmpty()) {
      return memory.dashboard(c.owner()).compare(first, second);
    }
    // checked here as the matrix checks them (a 400 names the bad one)
    JsonObject parsed = MatrixQuery.parse(chips).toJson();
    parsed.remove("days");
    return memory.dashboard(c.owner()).compare(first, second, more, parsed);
  }

  /** The executions compared beyond A and B: {@code more}, comma-separated, each another execution. */
  private static List<String> more(JsonObject a, String first, String second) {
    Object v = a.getValue("more");
    if (v == null || "".equals(v)) {
      return List.of();
    }
    if (!(v instanceof String s) || s.length() > MAX_COMPARED * 201) {
      throw Problem.badRequest("invalid_parameter", "'more' must be execution ids, comma-separated");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String id : s.split(",")) {
      String t = id.trim();
      if (t.isEmpty() || t.length() > 200) {
        throw Problem.badRequest("invalid_parameter", "'more' must be execution ids, comma-separated");
      }
      if (t.equals(first) || t.equals(second) || out.contains(t)) {
        throw Problem.badRequest("invalid_parameter", "'more' names an execution twice (or 'a' or 'b' again): " + t);
      }
      out.add(t);
    }
    if (out.size() > MAX_COMPARED - 2) {
      throw Problem.badRequest("invalid_parameter", "'more' names more than " + (MAX_COMPARED - 2) + " executions ("
          + MAX_COMPARED + " are compared at most)");
    }
    return out;
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

  /** The matrix's chips, search and columns beside the dashboard's filter (the heat map takes the same). */
  static Param[] chips(Param[] filter) {
    java.util.List<Param> out = new java.util.ArrayList<>(java.util.List.of(filter));
    out.add(Param.string("outcome").describe("outcomes, comma-separated: attack_succeeded, held, unscored, error"));
    out.add(Param.string("harm_category").describe("a harm category of the prompt"));
    out.add(Param.string("probe").describe("a probe (its label)"));
    out.add(Param.string("chain").describe("a converter chain: names in order joined by ' → ', or 'no converters'"));
    out.add(Param.string("attack").describe("an attack (the orchestrator type)"));
    out.add(Param.choice("reviewed", "yes", "no").describe("whether a person reviewed the result"));
    out.add(Param.string("q").describe("search words, all of which a prompt or its answer contains (case-insensitive)"));
    out.add(Param.string("executions").describe("executions shown as columns, comma-separated ids"));
    out.add(Param.string("from").describe("results from this UTC time on (ISO)"));
    out.add(Param.string("to").describe("results before this UTC time (ISO)"));
    return out.toArray(new Param[0]);
  }

  static Param[] matrixParams(Param[] filter) {
    java.util.List<Param> out = new java.util.ArrayList<>(java.util.List.of(chips(filter)));
    out.add(Param.choice("columns", "execution", "generator").describe("what columns are"));
    out.add(Param.string("sort").describe("natural, prompt, successes, outcomes, or col:<column key>"));
    out.add(Param.choice("dir", "asc", "desc"));
    out.add(Param.integer("offset").min(0).max(MatrixQuery.MAX_OFFSET));
    out.add(Param.integer("limit").min(1).max(MatrixQuery.MAX_LIMIT));
    return out.toArray(new Param[0]);
  }

  static Param[] heatmapParams(Param[] filter) {
    java.util.List<Param> out = new java.util.ArrayList<>(java.util.List.of(chips(filter)));
    out.add(Param.choice("axis", MatrixQuery.AXES.toArray(new String[0])).describe("the heat map's second axis (the first is the generator)"));
    return out.toArray(new Param[0]);
  }

  static final JsonObject MATRIX_SHAPE = Shapes.object("columns", Shapes.arrayOf(Shapes.any()), "items", Shapes.arrayOf(Shapes.any()),
      "total", Shapes.integer(), "offset", Shapes.integer(), "limit", Shapes.integer(), "query", Shapes.object(),
      "column_kind", Shapes.string(), "options", Shapes.object(), "chips", Shapes.object());

  static final JsonObject HEATMAP_SHAPE = Shapes.object("axis", Shapes.string(), "unit", Shapes.nullableString(),
      "query", Shapes.object(), "cells", Shapes.arrayOf(Shapes.any()), "by_chain", Shapes.arrayOf(Shapes.any()),
      "by_attack", Shapes.arrayOf(Shapes.any()), "by_execution", Shapes.arrayOf(Shapes.any()), "buckets", Shapes.arrayOf(Shapes.any()),
      "generators", Shapes.arrayOf(Shapes.string()), "values", Shapes.arrayOf(Shapes.string()));

  /** A page of the results matrix; the arguments are checked (a 400 names a bad one) before they reach the memory. */
  Future<JsonObject> matrix(Caller c, JsonObject a) {
    return memory.dashboard(c.owner()).matrix(MatrixQuery.parse(a).toJson());
  }

  Future<JsonObject> heatmap(Caller c, JsonObject a) {
    return memory.dashboard(c.owner()).heatmap(MatrixQuery.parse(a).toJson());
  }

  private static String execution(JsonObject a, String name) {
    Object v = a.getValue(name);
    if (!(v instanceof String s) || s.isEmpty() || s.length() > 200) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must name an execution");
    }
    return s;
  }
}
