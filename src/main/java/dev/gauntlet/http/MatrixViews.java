package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * What the matrix, heat map and conversation templates show, built from the operations' JSON:
 * every link's query string encoded here in a fixed order (the view's state is its URL), every
 * text cut and its invisible characters marked ({@link Texts}), outcomes named once.
 */
final class MatrixViews {

  /** The matrix's arguments in the order its links spell them. */
  static final List<String> ORDER = List.of("a", "b", "more", "days", "q", "outcome", "harm_category", "probe", "chain", "attack", "scorer", "generator",
      "label", "execution", "reviewed", "executions", "from", "to", "columns", "axis", "sort", "dir", "offset", "limit");
  static final List<String> OUTCOMES = List.of("attack_succeeded", "held", "unscored", "error");
  /** Chips a user can remove one by one, with the words that name them. */
  static final List<String[]> CHIPS = List.of(new String[] {"q", "search"}, new String[] {"outcome", "outcome"},
      new String[] {"harm_category", "harm category"}, new String[] {"probe", "probe"}, new String[] {"chain", "converters"},
      new String[] {"attack", "attack"}, new String[] {"scorer", "scorer"}, new String[] {"generator", "generator"},
      new String[] {"label", "label"}, new String[] {"execution", "execution"}, new String[] {"reviewed", "reviewed"},
      new String[] {"from", "from"}, new String[] {"to", "before"});

  private MatrixViews() {}

  /** The words users read for an outcome. */
  static String outcomeLabel(String outcome) {
    return switch (outcome) {
      case "attack_succeeded" -> "attack succeeded";
      case "held" -> "held";
      case "unscored" -> "undetermined";
      default -> "error";
    };
  }

  static String url(String path, JsonObject args) {
    StringJoiner q = new StringJoiner("&");
    for (String name : ORDER) {
      Object v = args.getValue(name);
      if (v != null && !"".equals(v)) {
        q.add(name + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
      }
    }
    return q.length() == 0 ? path : path + "?" + q;
  }

  /** The matrix under {@code query} with {@code changes} applied (a null value removes the argument), from its first page. */
  static String with(String path, JsonObject query, Object... changes) {
    JsonObject args = query.copy();
    args.remove("offset");
    for (int i = 0; i < changes.length; i += 2) {
      if (changes[i + 1] == null) {
        args.remove((String) changes[i]);
      } else {
        args.put((String) changes[i], changes[i + 1]);
      }
    }
    return url(path, args);
  }

  /** The active filters as chips, each with the link that removes it. */
  static JsonArray chips(JsonObject query) {
    JsonArray out = new JsonArray();
    for (String[] chip : CHIPS) {
      Object v = query.getValue(chip[0]);
      if (v != null) {
        String value = chip[0].equals("outcome") ? String.join(", ", java.util.Arrays.stream(v.toString().split(","))
            .map(MatrixViews::outcomeLabel).toList()) : v.toString();
        out.add(new JsonObject().put("name", chip[1]).put("value", Texts.visible(value)).put("remove", with("/dashboard/matrix", query, chip[0], null)));
      }
    }
    return out;
  }

  /** The matrix page's model: form, chips, columns with their sort links, rows of cells, pager. */
  static JsonObject matrix(JsonObject m) {
    JsonObject query = m.getJsonObject("query");
    JsonArray columns = new JsonArray();
    String sort = query.getString("sort", "natural");
    for (Object o : m.getJsonArray("columns")) {
      JsonObject c = (JsonObject) o;
      String key = c.getString("key");
      boolean sorted = sort.equals("col:" + key);
      columns.add(new JsonObject().put("key", key).put("name", Texts.visible(c.getString("name", key)))
          .put("type", c.getString("type")).put("successes", DashboardViews.count(c.getLong("attack_succeeded", 0L)))
          .put("results", DashboardViews.count(c.getLong("results", 0L)))
          .put("rate", DashboardViews.percent(c.getLong("rate_denominator", 0L) == 0 ? null : c.getDouble("success_rate")))
          .put("interval", DashboardViews.interval(c)).put("sorted", sorted)
          .put("sort_url", with("/dashboard/matrix", query, "sort", "col:" + key, "dir", sorted && !"asc".equals(query.getString("dir")) ? "asc" : null))
          .put("only_url", with("/dashboard/matrix", query, m.getString("column_kind").equals("generator") ? "generator" : "execution", key)));
    }
    JsonArray rows = new JsonArray();
    long offset = m.getLong("offset", 0L);
    int n = 0;
    for (Object o : m.getJsonArray("items")) {
      JsonObject r = (JsonObject) o;
      JsonArray cells = new JsonArray();
      for (Object co : r.getJsonArray("cells")) {
        JsonObject c = (JsonObject) co;
        String outcome = c.getString("outcome");
        if (outcome == null) {
          cells.add(new JsonObject().put("empty", true));
          continue;
        }
        cells.add(new JsonObject().put("outcome", outcome).put("label", outcomeLabel(outcome))
            .put("answer", Texts.view(c.getString("answer"), (Number) c.getValue("answer_length")))
            .put("conversation_url", "/dashboard/conversation?id=" + URLEncoder.encode(c.getString("conversation_id", ""), StandardCharsets.UTF_8))
            .put("results", c.getLong("results", 1L) > 1 ? c.getLong("results") : null).put("reviewed", c.getBoolean("reviewed", false)));
      }
      rows.add(new JsonObject().put("number", offset + ++n)
          .put("prompt", Texts.view(r.getString("prompt"), (Number) r.getValue("prompt_length")))
          .put("categories", String.join(", ", r.getJsonArray("harm_categories", new JsonArray()).stream().map(Object::toString).toList()))
          .put("chain", r.getString("chain")).put("probe", r.getString("probe", "")).put("cells", cells));
    }
    long total = m.getLong("total", 0L);
    long limit = m.getLong("limit", 50L);
    JsonObject page = new JsonObject().put("from", total == 0 ? 0 : offset + 1).put("to", offset + rows.size()).put("total", total);
    if (offset > 0) {
      page.put("prev_url", url("/dashboard/matrix", query.copy().put("offset", Math.max(0, offset - limit) == 0 ? null : Math.max(0, offset - limit))));
    }
    if (offset + limit < total) {
      page.put("next_url", url("/dashboard/matrix", query.copy().put("offset", offset + limit)));
    }
    return new JsonObject().put("columns", columns).put("rows", rows).put("page", page).put("chips", chips(query))
        .put("sorts", new JsonArray().add(sortLink(query, "natural", "prompt order")).add(sortLink(query, "prompt", "prompt text"))
            .add(sortLink(query, "successes", "most attack successes")))
        .put("compare_url", columns.size() >= 2 && m.getString("column_kind").equals("execution")
            ? compareUrl(query, columns.stream().limit(6).map(c -> ((JsonObject) c).getString("key")).toList())
            : null)
        .put("heatmap_url", with("/dashboard/heatmap", query, "sort", null, "dir", null, "columns", null))
        .put("column_kind", m.getString("column_kind"));
  }

  /**
   * Answers side by side (compare): per prompt in natural order, each execution's outcome and
   * answer, the words that differ from the other answer marked; a row differs when its outcomes
   * or answers do. {@code base} is the compare page's own arguments (a, b), kept in its links.
   */
  static JsonObject sideBySide(JsonObject m, JsonObject base) {
    JsonObject query = m.getJsonObject("query").copy().mergeIn(base);
    JsonArray columns = new JsonArray();
    m.getJsonArray("columns").forEach(o -> columns.add(Texts.visible(((JsonObject) o).getString("name", ((JsonObject) o).getString("key")))));
    JsonArray rows = new JsonArray();
    long differing = 0;
    for (Object o : m.getJsonArray("items")) {
      JsonObject r = (JsonObject) o;
      JsonArray cells = r.getJsonArray("cells");
      List<String> answers = new java.util.ArrayList<>();
      java.util.Set<String> outcomes = new java.util.HashSet<>();
      for (Object co : cells) {
        JsonObject c = (JsonObject) co;
        answers.add(c.getString("answer") == null ? "" : Texts.visible(c.getString("answer")));
        outcomes.add(String.valueOf(c.getString("outcome")));
      }
      JsonArray shown = new JsonArray();
      for (int i = 0; i < cells.size(); i++) {
        JsonObject c = cells.getJsonObject(i);
        if (c.getString("outcome") == null) {
          shown.add(new JsonObject().put("empty", true));
          continue;
        }
        String other = answers.get(i == 0 && answers.size() > 1 ? 1 : 0);
        shown.add(new JsonObject().put("outcome", c.getString("outcome")).put("label", outcomeLabel(c.getString("outcome")))
            .put("parts", WordDiff.against(answers.get(i), other))
            .put("cut", c.getLong("answer_length", 0L) > answers.get(i).length() ? c.getLong("answer_length") : null)
            .put("conversation_url", "/dashboard/conversation?id=" + URLEncoder.encode(c.getString("conversation_id", ""), StandardCharsets.UTF_8)));
      }
      boolean differs = outcomes.size() > 1 || answers.stream().distinct().count() > 1;
      differing += differs ? 1 : 0;
      rows.add(new JsonObject().put("prompt", Texts.view(r.getString("prompt"), (Number) r.getValue("prompt_length")))
          .put("differs", differs).put("cells", shown));
    }
    long total = m.getLong("total", 0L);
    long offset = m.getLong("offset", 0L);
    long limit = m.getLong("limit", 50L);
    JsonObject page = new JsonObject().put("from", total == 0 ? 0 : offset + 1).put("to", offset + rows.size()).put("total", total)
        .put("differing", differing);
    if (offset > 0) {
      page.put("prev_url", url("/dashboard/compare", query.copy().put("offset", offset - limit <= 0 ? null : offset - limit)));
    }
    if (offset + limit < total) {
      page.put("next_url", url("/dashboard/compare", query.copy().put("offset", offset + limit)));
    }
    return new JsonObject().put("columns", columns).put("rows", rows).put("page", page).put("chips", chips(m.getJsonObject("query")))
        .put("form", form(m)).put("matrix_url", url("/dashboard/matrix", m.getJsonObject("query")))
        .put("a", base.getString("a")).put("b", base.getString("b")).put("more", base.getString("more"));
  }

  /** The compare page for the matrix's first columns (A, B, then more), under the same chips. */
  private static String compareUrl(JsonObject query, List<String> keys) {
    return with("/dashboard/compare", query, "a", keys.get(0), "b", keys.get(1),
        "more", keys.size() > 2 ? String.join(",", keys.subList(2, keys.size())) : null, "executions", null, "sort", null, "dir", null, "columns", null);
  }

  private static JsonObject sortLink(JsonObject query, String sort, String label) {
    boolean current = query.getString("sort", "natural").equals(sort);
    return new JsonObject().put("label", label).put("current", current)
        .put("url", with("/dashboard/matrix", query, "sort", sort.equals("natural") ? null : sort, "dir", null));
  }

  /** The search and chips form: each select's options with the current value selected. */
  static JsonObject form(JsonObject m) {
    JsonObject query = m.getJsonObject("query");
    JsonObject chips = m.getJsonObject("chips", new JsonObject());
    JsonObject options = m.getJsonObject("options", new JsonObject());
    List<String> outcomes = query.getString("outcome") == null ? List.of() : List.of(query.getString("outcome").split(","));
    JsonArray outcomeBoxes = new JsonArray();
    for (String o : OUTCOMES) {
      outcomeBoxes.add(new JsonObject().put("value", o).put("label", outcomeLabel(o)).put("checked", outcomes.contains(o)));
    }
    JsonObject form = new JsonObject().put("q", query.getString("q")).put("outcomes", outcomeBoxes)
        .put("harm_categories", choices(chips.getJsonArray("harm_category"), query.getString("harm_category")))
        .put("probes", choices(chips.getJsonArray("probe"), query.getString("probe")))
        .put("chains", choices(chips.getJsonArray("chain"), query.getString("chain")))
        .put("attacks", choices(chips.getJsonArray("attack"), query.getString("attack")))
        .put("scorers", choices(options.getJsonArray("scorers"), query.getString("scorer")))
        .put("generators", choices(options.getJsonArray("generators"), query.getString("generator")))
        .put("labels", choices(options.getJsonArray("labels"), query.getString("label")))
        .put("reviewed", new JsonArray().add(option("", "reviewed or not", query.getString("reviewed") == null))
            .add(option("yes", "reviewed", "yes".equals(query.getString("reviewed"))))
            .add(option("no", "not reviewed", "no".equals(query.getString("reviewed")))))
        .put("columns", new JsonArray().add(option("execution", "executions", !"generator".equals(query.getString("columns"))))
            .add(option("generator", "generators", "generator".equals(query.getString("columns")))));
    JsonArray days = new JsonArray();
    int current = query.getInteger("days", 30);
    for (int d : DashboardViews.DAYS) {
      days.add(option(Integer.toString(d), d == 1 ? "today" : d == 3650 ? "all time" : "last " + d + " days", d == current));
    }
    form.put("days", days);
    // what the form does not show travels hidden, so applying it keeps the rest of the view
    JsonArray hidden = new JsonArray();
    for (String k : List.of("execution", "executions", "from", "to", "sort", "dir", "limit")) {
      if (query.getValue(k) != null) {
        hidden.add(new JsonObject().put("name", k).put("value", query.getValue(k).toString()));
      }
    }
    return form.put("hidden", hidden);
  }

  static JsonArray choices(JsonArray values, String current) {
    JsonArray out = new JsonArray();
    boolean found = false;
    for (Object v : values == null ? new JsonArray() : values) {
      found |= v.equals(current);
      out.add(option((String) v, Texts.visible((String) v), v.equals(current)));
    }
    if (current != null && !found) {
      out.add(option(current, Texts.visible(current), true));
    }
    return out;
  }

  static JsonObject option(String value, String label, boolean selected) {
    return new JsonObject().put("value", value).put("label", label).put("selected", selected);
  }

  static String percent(JsonObject figures) {
    return figures.getLong("rate_denominator", 0L) == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * figures.getDouble("success_rate"));
  }
}
