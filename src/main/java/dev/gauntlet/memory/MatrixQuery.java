package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the results matrix (and its heat map) shows: the dashboard's filter, the matrix's own chips
 * (outcomes, harm category, probe, converter chain, attack, reviewed or not), search words, which
 * executions are columns, what columns stand for, the sort and the page. Values are untrusted:
 * checked here, only ever bound as SQL parameters; the sort picks from fixed lists.
 *
 * <p>Its {@link #toJson} is the view's state as request arguments: the page puts it in its URL,
 * so a link reproduces the view.
 */
public record MatrixQuery(DashboardFilter filter, List<String> outcomes, String harmCategory, String probe, String chain,
                          String attack, Boolean reviewed, List<String> words, String search, List<String> executions,
                          String columns, String sort, boolean descending, int offset, int limit, String axis,
                          java.time.LocalDateTime from, java.time.LocalDateTime to) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  public static final int MAX_OFFSET = 1_000_000;
  /** Search words taken from a query (more are refused). */
  public static final int MAX_WORDS = 8;
  /** Columns compared in a matrix at most (the most recent ones the filter keeps, unless named). */
  public static final int MAX_COLUMNS = 12;
  public static final List<String> OUTCOMES = List.of("attack_succeeded", "held", "unscored", "error");
  public static final List<String> COLUMN_KINDS = List.of("execution", "generator");
  /** What a heat map's second axis may be (the first is the generator). */
  public static final List<String> AXES = List.of("harm_category", "probe", "scorer", "chain", "attack");
  /** Sorts by name; {@code col:<column>} sorts by one column's outcome. */
  public static final Set<String> SORTS = Set.of("natural", "prompt", "successes", "outcomes");

  public static MatrixQuery parse(JsonObject args) {
    DashboardFilter filter = DashboardFilter.parse(args);
    List<String> outcomes = list(args, "outcome", 4);
    for (String o : outcomes) {
      if (!OUTCOMES.contains(o)) {
        throw Problem.badRequest("invalid_parameter", "'outcome' must be among attack_succeeded, held, unscored, error");
      }
    }
    String reviewedText = DashboardFilter.text(args, "reviewed");
    Boolean reviewed = null;
    if (reviewedText != null) {
      if (!reviewedText.equals("yes") && !reviewedText.equals("no")) {
        throw Problem.badRequest("invalid_parameter", "'reviewed' must be yes or no");
      }
      reviewed = reviewedText.equals("yes");
    }
    String search = DashboardFilter.text(args, "q");
    List<String> words = new ArrayList<>();
    if (search != null) {
      for (String w : search.trim().toLowerCase(Locale.ROOT).split("\\s+")) {
        if (!w.isEmpty() && !words.contains(w)) {
          words.add(w);
        }
      }
      if (words.size() > MAX_WORDS) {
        throw Problem.badRequest("invalid_parameter", "'q' has more than " + MAX_WORDS + " words");
      }
      search = words.isEmpty() ? null : search.trim();
    }
    List<String> executions = list(args, "executions", MAX_COLUMNS);
    String columns = DashboardFilter.text(args, "columns");
    if (columns == null) {
      columns = "execution";
    } else if (!COLUMN_KINDS.contains(columns)) {
      throw Problem.badRequest("invalid_parameter", "'columns' must be execution or generator");
    }
    String sort = DashboardFilter.text(args, "sort");
    if (sort == null) {
      sort = "natural";
    } else if (!SORTS.contains(sort) && !sort.startsWith("col:")) {
      throw Problem.badRequest("invalid_parameter", "'sort' must be natural, prompt, successes, outcomes or col:<column>");
    }
    String dir = DashboardFilter.text(args, "dir");
    if (dir != null && !dir.equals("asc") && !dir.equals("desc")) {
      throw Problem.badRequest("invalid_parameter", "'dir' must be asc or desc");
    }
    String axis = DashboardFilter.text(args, "axis");
    if (axis == null) {
      axis = "harm_category";
    } else if (!AXES.contains(axis)) {
      throw Problem.badRequest("invalid_parameter", "'axis' must be one of " + String.join(", ", AXES));
    }
    // natural order reads top to bottom; the others show the most first
    boolean descending = dir == null ? !sort.equals("natural") && !sort.equals("prompt") : dir.equals("desc");
    return new MatrixQuery(filter, outcomes, DashboardFilter.text(args, "harm_category"), DashboardFilter.text(args, "probe"),
        DashboardFilter.text(args, "chain"), DashboardFilter.text(args, "attack"), reviewed, words, search, executions, columns,
        sort, descending, number(args, "offset", 0, MAX_OFFSET, 0), number(args, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT), axis,
        time(args, "from"), time(args, "to"));
  }

  /** A comma-separated list (or a JSON array's strings), each value checked as a filter value is. */
  private static List<String> list(JsonObject args, String name, int max) {
    Object v = args.getValue(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    List<Object> items = new ArrayList<>();
    if (v instanceof io.vertx.core.json.JsonArray a) {
      a.forEach(items::add);
    } else if (v instanceof String s) {
      if (s.length() > max * (DashboardFilter.MAX_VALUE_LENGTH + 1)) {
        throw Problem.badRequest("invalid_parameter", "'" + name + "' is too long");
      }
      items.addAll(List.of(s.split(",")));
    } else {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be a comma-separated list");
    }
    for (Object item : items) {
      String one = DashboardFilter.text(new JsonObject().put(name, item instanceof String s ? s.trim() : item), name);
      if (one != null && !out.contains(one)) {
        out.add(one);
      }
    }
    if (out.size() > max) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' names more than " + max + " values");
    }
    return out;
  }

  /** A time bound (ISO, UTC, as a heat map's bucket links give it); null when absent. */
  private static java.time.LocalDateTime time(JsonObject args, String name) {
    String t = DashboardFilter.text(args, name);
    if (t == null) {
      return null;
    }
    try {
      return java.time.LocalDateTime.parse(t.endsWith("Z") ? t.substring(0, t.length() - 1) : t);
    } catch (java.time.format.DateTimeParseException e) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be a time such as 2026-01-31T13:00:00");
    }
  }

  private static int number(JsonObject args, String name, int min, int max, int fallback) {
    Object v = args.getValue(name);
    if (v == null || "".equals(v)) {
      return fallback;
    }
    Object n = v instanceof String s && s.matches("\\d{1,9}") ? Integer.valueOf(s) : v;
    if (!(n instanceof Integer i) || i < min || i > max) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be a whole number between " + min + " and " + max);
    }
    return i;
  }

  /** The view's state as request arguments (defaults left out), for links and the event bus. */
  public JsonObject toJson() {
    JsonObject j = filter.toJson();
    if (!outcomes.isEmpty()) {
      j.put("outcome", String.join(",", outcomes));
    }
    put(j, "harm_category", harmCategory);
    put(j, "probe", probe);
    put(j, "chain", chain);
    put(j, "attack", attack);
    if (reviewed != null) {
      j.put("reviewed", reviewed ? "yes" : "no");
    }
    put(j, "q", search);
    if (!executions.isEmpty()) {
      j.put("executions", String.join(",", executions));
    }
    if (!columns.equals("execution")) {
      j.put("columns", columns);
    }
    if (!sort.equals("natural")) {
      j.put("sort", sort);
    }
    boolean defaultDescending = !sort.equals("natural") && !sort.equals("prompt");
    if (descending != defaultDescending) {
      j.put("dir", descending ? "desc" : "asc");
    }
    if (offset > 0) {
      j.put("offset", offset);
    }
    if (limit != DEFAULT_LIMIT) {
      j.put("limit", limit);
    }
    if (from != null) {
      j.put("from", from.toString());
    }
    if (to != null) {
      j.put("to", to.toString());
    }
    if (!axis.equals("harm_category")) {
      j.put("axis", axis);
    }
    return j;
  }

  private static void put(JsonObject j, String key, String value) {
    if (value != null) {
      j.put(key, value);
    }
  }
}
