package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What the dashboard templates show, built from the operations' JSON: numbers and rates
 * formatted once here, links with their query strings encoded, every option marked selected or
 * not, so the templates stay plain Handlebars that escape every value they print.
 */
final class DashboardViews {

  static final int[] DAYS = {1, 7, 30, 90, 365, 3650};
  static final List<String> QUERY_ORDER = List.of("days", "scorer", "generator", "label", "execution", "sort", "dir", "limit",
      "after", "before", "a", "b");

  private DashboardViews() {}

  /** A query string of the given arguments, in a fixed order, each value URL-encoded. */
  static String query(JsonObject args) {
    StringJoiner q = new StringJoiner("&");
    for (String name : QUERY_ORDER) {
      Object v = args.getValue(name);
      if (v != null) {
        q.add(name + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
      }
    }
    return q.toString();
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String percent(Double rate) {
    return rate == null ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
  }

  /** {@code 2026-01-31T10:00:00.123456Z} as {@code 2026-01-31 10:00:00 UTC}. */
  static String time(String iso) {
    if (iso == null || iso.length() < 19) {
      return iso;
    }
    return iso.substring(0, 10) + " " + iso.substring(11, 19) + " UTC";
  }

  // --- filters ------------------------------------------------------------------------------

  /** The filter form: each select's options, the current value selected (offered even when absent from the data). */
  static JsonObject filterForm(String action, JsonObject filters, JsonObject options, JsonObject paging) {
    JsonArray days = new JsonArray();
    int current = filters.getInteger("days");
    boolean listed = false;
    for (int d : DAYS) {
      listed |= d == current;
      days.add(option(Integer.toString(d), d == 1 ? "today" : d == 3650 ? "all time (10 years)" : "last " + d + " days", d == current));
    }
    if (!listed) {
      days.add(option(Integer.toString(current), "last " + current + " days", true));
    }
    JsonArray executions = new JsonArray();
    String execution = filters.getString("execution");
    boolean found = false;
    for (Object o : DashboardPages.array(options.getValue("executions"))) {
      JsonObject e = (JsonObject) o;
      found |= e.getString("id").equals(execution);
      executions.add(option(e.getString("id"), executionLabel(e), e.getString("id").equals(execution)));
    }
    if (execution != null && !found) {
      executions.add(option(execution, execution, true));
    }
    JsonObject form = new JsonObject().put("action", action).put("days", days)
        .put("scorers", choices(options.getValue("scorers"), filters.getString("scorer")))
        .put("generators", choices(options.getValue("generators"), filters.getString("generator")))
        .put("labels", choices(options.getValue("labels"), filters.getString("label")))
        .put("executions", executions);
    if (paging != null) {
      form.put("paging", true).put("limit", paging.getInteger("limit"))
          .put("sorts", new JsonArray(List.of(option("time", "time", "time".equals(paging.getString("sort"))),
              option("generator", "generator", "generator".equals(paging.getString("sort"))),
              option("execution", "execution", "execution".equals(paging.getString("sort"))),
              option("success", "attack successes", "success".equals(paging.getString("sort"))))))
          .put("dirs", new JsonArray(List.of(option("desc", "descending", "desc".equals(paging.getString("dir"))),
              option("asc", "ascending", "asc".equals(paging.getString("dir"))))));
    }
    return form;
  }

  static String executionLabel(JsonObject e) {
    String id = e.getString("id");
    String name = e.getString("name", id);
    String created = e.getString("created_at");
    String shortId = id.length() > 8 ? id.substring(0, 8) : id;
    return name.equals(id) ? id : name + " · " + (created == null ? "" : time(created) + " · ") + shortId;
  }

  private static JsonArray choices(Object values, String current) {
    JsonArray out = new JsonArray();
    boolean found = false;
    for (Object v : DashboardPages.array(values)) {
      found |= v.equals(current);
      out.add(option((String) v, (String) v, v.equals(current)));
    }
    if (current != null && !found) {
      out.add(option(current, current, true));
    }
    return out;
  }

  private static JsonObject option(String value, String label, boolean selected) {
    return new JsonObject().put("value", value).put("label", label).put("selected", selected);
  }

  // --- figures ------------------------------------------------------------------------------

  /**
   * The executive summary's tiles: the attack success rate over judged results (succeeded + held)
   * with that denominator, and errors and unscored beside it with their shares, never in it.
   */
  static JsonObject figures(JsonObject s) {
    long judged = s.getLong("rate_denominator", 0L);
    return new JsonObject().put("executions", count(s.getLong("executions"))).put("prompts", count(s.getLong("prompts")))
        .put("responses", count(s.getLong("responses"))).put("scores", count(s.getLong("scores")))
        .put("successes", count(s.getLong("successes"))).put("held", count(s.getLong("held", 0L)))
        .put("errors", count(s.getLong("errors", 0L))).put("unscored", count(s.getLong("unscored", 0L)))
        .put("denominator", count(judged))
        .put("success_rate", percent(judged == 0 ? null : s.getDouble("success_rate"))).put("interval", interval(s))
        .put("error_rate", percent(s.getDouble("error_rate", 0.0))).put("unscored_rate", percent(s.getDouble("unscored_rate", 0.0)))
        .put("defense_score", percent(s.getDouble("defense_score")));
  }

  /** The results by outcome, people's verdicts winning, as the page shows them. */
  static JsonObject outcomes(JsonObject o) {
    if (o == null) {
      return null;
    }
    return new JsonObject().put("results", count(o.getLong("results"))).put("attack_succeeded", count(o.getLong("attack_succeeded")))
        .put("held", count(o.getLong("held"))).put("unscored", count(o.getLong("unscored")))
        .put("human_verdicts", count(o.getLong("human_verdicts"))).put("human_overrides", count(o.getLong("human_overrides")))
        .put("rate", percent(o.getDouble("attack_success_rate")));
  }

  /**
   * The scorers in view (by name, any version) whose verdicts agree with people's less than 80% of
   * the time over at least 20 reviews ({@code JudgeQuality.warn}), one line each.
   */
  static JsonArray qualityWarnings(JsonArray qualities, JsonArray byScorer) {
    java.util.Set<String> inView = new java.util.HashSet<>();
    for (Object o : byScorer == null ? new JsonArray() : byScorer) {
      String name = ((JsonObject) o).getString("scorer", "");
      inView.add(name);
      inView.add(name.replaceFirst("@[0-9a-f]+$", ""));
    }
    JsonArray out = new JsonArray();
    for (Object o : qualities == null ? new JsonArray() : qualities) {
      JsonObject v = (JsonObject) o;
      JsonObject q = v.getJsonObject("quality");
      if (q != null && q.getBoolean("warn", false) && inView.contains(v.getString("scorer"))) {
        Double agreement = q.getJsonObject("agreement").getDouble("rate");
        out.add(new JsonObject().put("scorer", v.getString("scorer")).put("scorer_id", v.getString("scorer_id"))
            .put("version", v.getString("version")).put("agreement", percent(agreement)).put("reviews", count(q.getLong("reviews"))));
      }
    }
    return out;
  }

  /** Table rows named by {@code key}, with counts and the rate as text and as a fraction (for a meter). */
  static JsonArray rows(JsonArray figures, String key) {
    JsonArray out = new JsonArray();
    for (Object o : figures) {
      JsonObject f = (JsonObject) o;
      long judged = f.getLong("rate_denominator", 0L);
      out.add(new JsonObject().put("name", f.getString(key)).put("prompts", count(f.getLong("prompts")))
          .put("responses", count(f.getLong("responses"))).put("scores", count(f.getLong("scores")))
          .put("successes", count(f.getLong("successes"))).put("held", count(f.getLong("held", 0L)))
          .put("errors", count(f.getLong("errors", 0L))).put("unscored", count(f.getLong("unscored", 0L)))
          .put("denominator", count(judged))
          .put("rate", percent(judged == 0 ? null : f.getDouble("success_rate"))).put("interval", interval(f))
          .put("fraction", judged == 0 ? 0.0 : f.getDouble("success_rate")));
    }
    return out;
  }

  /** The rate's 95% Wilson interval as text ("95% CI 12.0%–41.5%"), empty when nothing was judged. */
  static String interval(JsonObject figures) {
    JsonObject i = figures.getJsonObject("success_interval");
    if (i == null || i.getValue("low") == null) {
      return "";
    }
    return "95% CI " + percent(i.getDouble("low")) + "–" + percent(i.getDouble("high"));
  }

  /** The per-execution rows, each named as the execution filter names it. */
  static JsonArray executionRows(JsonArray figures, JsonObject options) {
    Map<String, JsonObject> known = new java.util.HashMap<>();
    DashboardPages.array(options.getValue("executions")).forEach(o -> known.put(((JsonObject) o).getString("id"), (JsonObject) o));
    JsonArray out = rows(figures, "execution_id");
    for (int i = 0; i < out.size(); i++) {
      String id = out.getJsonObject(i).getString("name");
      JsonObject e = known.get(id);
      out.getJsonObject(i).put("id", id).put("name", e == null ? id : executionLabel(e));
    }
    return out;
  }

  /** The outcome colours (as in app.css): red attack succeeded, green held, amber error or unscored. */
  static final String RED = "#cf222e";
  static final String GREEN = "#1a7f37";
  static final String AMBER = "#bf8700";

  /**
   * The chart of attack successes over time, as the page script hands it to Chart.js: one group of
   * bars a time bucket of the heat map operation's (its start and counts), the bucket as long as the
   * results' span asks (a minute to a month), so a first day's runs spread over minutes, not one
   * pair of bars; the same buckets as rows are {@link HeatmapViews#buckets}.
   */
  static JsonObject overTime(JsonArray buckets, String unit) {
    JsonArray labels = new JsonArray();
    JsonArray successes = new JsonArray();
    JsonArray held = new JsonArray();
    JsonArray noVerdict = new JsonArray();
    JsonArray rates = new JsonArray();
    for (Object o : buckets) {
      JsonObject d = (JsonObject) o;
      labels.add(HeatmapViews.label(java.time.LocalDateTime.parse(d.getString("start")), unit));
      successes.add(d.getLong("successes"));
      held.add(d.getLong("held", 0L));
      noVerdict.add(d.getLong("errors", 0L) + d.getLong("unscored", 0L));
      rates.add(d.getLong("rate_denominator", 0L) == 0 ? null : Math.round(1000 * d.getDouble("success_rate")) / 10.0);
    }
    // one meaning per colour everywhere: red the attack got through, green it held, amber no verdict
    return new JsonObject().put("type", "bar").put("labels", labels).put("datasets", new JsonArray()
        .add(new JsonObject().put("label", "attack succeeded").put("data", successes).put("backgroundColor", RED))
        .add(new JsonObject().put("label", "held").put("data", held).put("backgroundColor", GREEN))
        .add(new JsonObject().put("label", "error or unscored").put("data", noVerdict).put("backgroundColor", AMBER))
        .add(new JsonObject().put("label", "success rate %").put("data", rates).put("type", "line").put("yAxisID", "rate")
            .put("borderColor", RED)));
  }

  // --- detailed results ---------------------------------------------------------------------

  /** A page of results with links to the pages on either side, keeping filters and sort. */
  static JsonObject resultsPage(JsonObject r, JsonObject args) {
    JsonArray rows = new JsonArray();
    Map<String, JsonObject> known = new java.util.HashMap<>();
    DashboardPages.array(r.getJsonObject("options").getValue("executions"))
        .forEach(o -> known.put(((JsonObject) o).getString("id"), (JsonObject) o));
    for (Object o : r.getJsonArray("items")) {
      JsonObject item = (JsonObject) o;
      JsonObject prompt = item.getJsonObject("prompt");
      JsonObject response = item.getJsonObject("response");
      String original = prompt == null ? null : prompt.getString("original_value");
      String converted = prompt == null ? null : prompt.getString("converted_value");
      JsonArray scores = new JsonArray();
      DashboardPages.array(item.getValue("scores")).forEach(s -> {
        JsonObject score = (JsonObject) s;
        scores.add(new JsonObject().put("scorer", score.getString("scorer")).put("value", score.getString("score_value"))
            .put("success", score.getBoolean("success")));
      });
      List<String> labels = new ArrayList<>();
      item.getJsonObject("labels").forEach(e -> {
        if (!e.getKey().equals("execution_id")) { // the execution column names it
          labels.add(e.getKey() + "=" + e.getValue());
        }
      });
      String execution = item.getString("execution_id");
      JsonObject e = known.get(execution);
      rows.add(new JsonObject().put("time", time(item.getString("timestamp"))).put("iso", HeatmapViews.iso(item.getString("timestamp")))
          .put("generator", item.getString("generator"))
          .put("execution", execution.isEmpty() ? null : e != null ? executionLabel(e) : execution)
          .put("execution_url", e != null && e.getString("status") != null ? "/executions/" + execution : null)
          .put("labels", String.join(", ", labels)).put("prompt", original)
          .put("converted", converted != null && !converted.equals(original) ? converted : null)
          .put("outcome", item.getString("outcome"))
          .put("response", response == null ? null : response.getString("value"))
          .put("error", response == null || "none".equals(response.getString("error")) ? null : response.getString("error"))
          .put("scores", scores).put("success", item.getBoolean("attack_success"))
          .put("human_verdict", item.getString("human_verdict") == null ? null : item.getString("human_verdict").replace('_', ' '))
          .put("review_url", "/review?piece_id=" + item.getString("piece_id")));
    }
    long total = r.getLong("total");
    long offset = r.getLong("offset");
    JsonObject page = new JsonObject().put("rows", rows).put("total", count(total))
        .put("from", count(rows.isEmpty() ? 0 : offset + 1)).put("to", count(offset + rows.size())).put("empty", rows.isEmpty());
    if (r.getString("next") != null) {
      page.put("next_url", "/dashboard/results?" + query(args.copy().put("after", r.getString("next"))));
    }
    if (r.getString("prev") != null) {
      page.put("prev_url", "/dashboard/results?" + query(args.copy().put("before", r.getString("prev"))));
      page.put("first_url", "/dashboard/results?" + query(args));
    }
    return page;
  }

  // --- comparison ---------------------------------------------------------------------------

  static JsonObject compareForm(JsonObject options, JsonObject args) {
    JsonArray executions = new JsonArray();
    List<String> more = args.getString("more") == null ? List.of() : List.of(args.getString("more").split(","));
    for (Object o : DashboardPages.array(options.getValue("executions"))) {
      JsonObject e = (JsonObject) o;
      executions.add(new JsonObject().put("value", e.getString("id")).put("label", executionLabel(e))
          .put("selected_a", e.getString("id").equals(args.getString("a")))
          .put("selected_b", e.getString("id").equals(args.getString("b"))).put("selected_more", more.contains(e.getString("id"))));
    }
    return new JsonObject().put("executions", executions).put("enough", executions.size() >= 2);
  }

  /** What the two-proportion test says of a difference, in words. */
  static String significance(JsonObject test) {
    if (test == null || test.getBoolean("too_few_results", true)) {
      return "too few results";
    }
    return (test.getBoolean("significant", false) ? "significant" : "not significant")
        + String.format(Locale.ROOT, " (p %.3f)", test.getDouble("p_value"));
  }

  /** One scorer compared: each side's rate over its judged results, the difference, and whether it is more than chance. */
  static JsonObject scorerRow(JsonObject s) {
    JsonObject a = s.getJsonObject("a");
    JsonObject b = s.getJsonObject("b");
    return new JsonObject().put("scorer", s.getString("scorer"))
        .put("a_rate", percent(a.getLong("rate_denominator") == 0 ? null : a.getDouble("success_rate")))
        .put("a_judged", count(a.getLong("rate_denominator")))
        .put("b_rate", percent(b.getLong("rate_denominator") == 0 ? null : b.getDouble("success_rate")))
        .put("b_judged", count(b.getLong("rate_denominator")))
        .put("difference", String.format(Locale.ROOT, "%+.1f pts", 100 * s.getDouble("difference")))
        .put("verdict", significance(s.getJsonObject("test")));
  }

  /**
   * One harm category or converter chain compared: each side's rate over its judged results with
   * its 95% interval, errors and unscored beside it, the difference, and the test's verdict.
   */
  static JsonObject groupRow(JsonObject g) {
    JsonObject a = g.getJsonObject("a");
    JsonObject b = g.getJsonObject("b");
    return new JsonObject().put("name", g.getString("name"))
        .put("a_rate", percent(a.getLong("rate_denominator") == 0 ? null : a.getDouble("success_rate"))).put("a_interval", interval(a))
        .put("a_judged", count(a.getLong("rate_denominator"))).put("a_other", count(a.getLong("errors") + a.getLong("unscored")))
        .put("b_rate", percent(b.getLong("rate_denominator") == 0 ? null : b.getDouble("success_rate"))).put("b_interval", interval(b))
        .put("b_judged", count(b.getLong("rate_denominator"))).put("b_other", count(b.getLong("errors") + b.getLong("unscored")))
        .put("difference", String.format(Locale.ROOT, "%+.1f pts", 100 * g.getDouble("difference")))
        .put("verdict", significance(g.getJsonObject("test"))).put("significant", g.getJsonObject("test").getBoolean("significant", false));
  }

  private static JsonArray groupRows(JsonArray groups) {
    JsonArray out = new JsonArray();
    DashboardPages.array(groups).forEach(o -> out.add(groupRow((JsonObject) o)));
    return out;
  }

  /**
   * A prompt both executions sent: its outcome in each, in words and as the outcome class that
   * colours it (red, green, amber), "human verdict" where a person decided it.
   */
  static JsonObject comparedPrompt(JsonObject item) {
    String a = item.getString("a_outcome");
    String b = item.getString("b_outcome");
    return new JsonObject().put("prompt", item.getString("prompt"))
        .put("a", a.replace('_', ' ')).put("a_outcome", a).put("a_by_human", item.getBoolean("a_by_human", false))
        .put("b", b.replace('_', ' ')).put("b_outcome", b).put("b_by_human", item.getBoolean("b_by_human", false))
        .put("differs", !a.equals(b));
  }

  static JsonObject comparison(JsonObject c) {
    JsonArray scorers = new JsonArray();
    JsonArray labels = new JsonArray();
    JsonArray aRates = new JsonArray();
    JsonArray bRates = new JsonArray();
    for (Object o : c.getJsonArray("scorers")) {
      JsonObject s = (JsonObject) o;
      JsonObject a = s.getJsonObject("a");
      JsonObject b = s.getJsonObject("b");
      scorers.add(scorerRow(s));
      labels.add(s.getString("scorer"));
      aRates.add(Math.round(1000 * a.getDouble("success_rate")) / 10.0);
      bRates.add(Math.round(1000 * b.getDouble("success_rate")) / 10.0);
    }
    JsonObject p = c.getJsonObject("prompts");
    JsonArray prompts = new JsonArray();
    for (Object o : p.getJsonArray("items")) {
      JsonObject item = (JsonObject) o;
      prompts.add(comparedPrompt(item));
    }
    JsonObject chart = new JsonObject().put("type", "bar").put("labels", labels).put("datasets", new JsonArray()
        .add(new JsonObject().put("label", "A: attack success rate %").put("data", aRates))
        .add(new JsonObject().put("label", "B: attack success rate %").put("data", bRates)));
    JsonArray others = new JsonArray();
    c.getJsonArray("others", new JsonArray()).forEach(o -> others.add(side((JsonObject) o)));
    return new JsonObject().put("a", side(c.getJsonObject("a"))).put("b", side(c.getJsonObject("b"))).put("others", others).put("scorers", scorers)
        .put("groupings", new JsonArray()
            .add(new JsonObject().put("title", "Per harm category").put("id", "compare-harm-categories").put("column", "harm category")
                .put("rows", groupRows(c.getJsonArray("harm_categories"))))
            .add(new JsonObject().put("title", "Per converter chain").put("id", "compare-converter-chains").put("column", "converter chain")
                .put("rows", groupRows(c.getJsonArray("converter_chains")))))
        .put("shared", count(p.getLong("shared"))).put("same", count(p.getLong("same")))
        .put("only_a", count(p.getLong("only_a"))).put("only_b", count(p.getLong("only_b")))
        .put("prompts", prompts).put("listed", count(prompts.size())).put("chart", chart.encode());
  }

  private static JsonObject side(JsonObject s) {
    return new JsonObject().put("id", s.getString("id")).put("label", executionLabel(s)).put("status", s.getString("status"))
        .put("created", time(s.getString("created_at"))).put("url", s.getString("status") != null ? "/executions/" + s.getString("id") : null)
        .put("figures", figures(s.copy().put("executions", 1L)));
  }
}
