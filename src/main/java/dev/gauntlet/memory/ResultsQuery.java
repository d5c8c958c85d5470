package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A page of the dashboard's detailed results: the filter, a sort from a fixed list, and a
 * keyset cursor (the sort key of the row the page starts after or ends before), so a page deep
 * in a large memory costs what the first page costs.
 */
public record ResultsQuery(DashboardFilter filter, Sort sort, boolean descending, List<Object> after,
                           List<Object> before, int limit) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /** The sorts offered: a name users see, and the column it reads (never taken from the request). */
  public enum Sort {
    TIME("time", "timestamp"), GENERATOR("generator", "generator"), EXECUTION("execution", "execution_id"),
    SUCCESS("success", "success_rank");

    final String name;
    final String column;

    Sort(String name, String column) {
      this.name = name;
      this.column = column;
    }

    public String label() {
      return name;
    }

    /** The columns a row is ordered by, most significant first; the piece id breaks ties. */
    List<String> key() {
      return this == TIME ? List.of("timestamp", "piece_id") : List.of(column, "timestamp", "piece_id");
    }

    static final Map<String, Sort> BY_NAME = Map.of("time", TIME, "generator", GENERATOR, "execution", EXECUTION,
        "success", SUCCESS);
  }

  public static ResultsQuery parse(JsonObject args) {
    DashboardFilter filter = DashboardFilter.parse(args);
    String sortName = DashboardFilter.text(args, "sort");
    Sort sort = sortName == null ? Sort.TIME : Sort.BY_NAME.get(sortName);
    if (sort == null) {
      throw Problem.badRequest("invalid_parameter", "'sort' must be one of time, generator, execution, success");
    }
    String dir = DashboardFilter.text(args, "dir");
    if (dir != null && !dir.equals("asc") && !dir.equals("desc")) {
      throw Problem.badRequest("invalid_parameter", "'dir' must be asc or desc");
    }
    int limit = limit(args.getValue("limit"));
    List<Object> after = cursor(args, "after", sort);
    List<Object> before = cursor(args, "before", sort);
    if (after != null && before != null) {
      throw Problem.badRequest("invalid_parameter", "give 'after' or 'before', not both");
    }
    return new ResultsQuery(filter, sort, !"asc".equals(dir), after, before, limit);
  }

  private static int limit(Object v) {
    if (v == null || "".equals(v)) {
      return DEFAULT_LIMIT;
    }
    Object n = v instanceof String s && s.matches("\\d{1,4}") ? Integer.valueOf(s) : v;
    if (!(n instanceof Integer i) || i < 1 || i > MAX_LIMIT) {
      throw Problem.badRequest("invalid_parameter", "'limit' must be a whole number between 1 and " + MAX_LIMIT);
    }
    return i;
  }

  /** A cursor is base64url of the JSON array of a row's sort key; anything else is refused. */
  private static List<Object> cursor(JsonObject args, String name, Sort sort) {
    String token = DashboardFilter.text(args, name);
    if (token == null) {
      return null;
    }
    Problem bad = Problem.badRequest("invalid_parameter", "'" + name + "' is not a cursor of this sort; use the page's own links");
    JsonArray key;
    try {
      key = new JsonArray(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException e) {
      throw bad;
    }
    List<String> columns = sort.key();
    if (key.size() != columns.size()) {
      throw bad;
    }
    List<Object> values = new ArrayList<>();
    try {
      for (int i = 0; i < columns.size(); i++) {
        Object v = key.getValue(i);
        values.add(switch (columns.get(i)) {
          case "timestamp" -> LocalDateTime.parse((String) v);
          case "piece_id" -> UUID.fromString((String) v);
          case "success_rank" -> (Integer) v;
          default -> (String) v;
        });
        if (values.get(i) == null) {
          throw bad;
        }
      }
    } catch (ClassCastException | DateTimeParseException | IllegalArgumentException e) {
      throw bad;
    }
    return values;
  }

  /** The cursor token of a row's key, as {@link #parse} reads it back. */
  static String token(List<Object> key) {
    JsonArray a = new JsonArray();
    key.forEach(v -> a.add(v instanceof Integer || v instanceof String ? v : v.toString()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(a.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The request arguments of this query without a cursor, for links. */
  public JsonObject toJson() {
    JsonObject j = filter.toJson().put("limit", limit);
    if (sort != Sort.TIME) {
      j.put("sort", sort.name);
    }
    if (!descending) {
      j.put("dir", "asc");
    }
    return j;
  }
}
