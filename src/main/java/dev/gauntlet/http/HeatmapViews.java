package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * What the heat map and conversation templates show: each rate with its interval and a heat
 * class (red deepening with the attack success rate: red is the attack got through, everywhere),
 * and every number a link to the matrix filtered to the results it counts.
 */
final class HeatmapViews {

  private HeatmapViews() {}

  /** The matrix argument a heat map axis value filters on; null where no filter selects it. */
  static String filterOf(String axis, String value) {
    return switch (axis) {
      case "probe" -> value.equals("no probe") ? null : "probe";
      case "scorer" -> value.equals("no scorer") ? null : "scorer";
      case "chain" -> "chain";
      case "attack" -> value.equals("unknown") ? null : "attack";
      default -> "harm_category";
    };
  }

  /** A heat class 0–5 by attack success rate; "none" when nothing was judged. */
  static String heat(JsonObject figures) {
    if (figures.getLong("rate_denominator", 0L) == 0) {
      return "none";
    }
    return Long.toString(Math.min(5, Math.round(Math.ceil(figures.getDouble("success_rate") * 5))));
  }

  /** A figure's cell: rate, interval, counts, heat, and links to its rows and to its attack successes. */
  static JsonObject cell(JsonObject f, JsonObject query, Object... filter) {
    Object[] successes = new Object[filter.length + 2];
    System.arraycopy(filter, 0, successes, 0, filter.length);
    successes[filter.length] = "outcome";
    successes[filter.length + 1] = "attack_succeeded";
    return new JsonObject().put("rate", MatrixViews.percent(f)).put("interval", DashboardViews.interval(f)).put("heat", heat(f))
        .put("successes", DashboardViews.count(f.getLong("attack_succeeded", 0L))).put("judged", DashboardViews.count(f.getLong("rate_denominator", 0L)))
        .put("results", DashboardViews.count(f.getLong("results", 0L)))
        .put("url", MatrixViews.with("/dashboard/matrix", query, filter))
        .put("successes_url", MatrixViews.with("/dashboard/matrix", query, successes));
  }

  static JsonObject heatmap(JsonObject h) {
    JsonObject query = h.getJsonObject("query").copy();
    query.remove("axis");
    String axis = h.getString("axis");
    Map<String, JsonObject> byKey = new HashMap<>();
    h.getJsonArray("cells").forEach(o -> byKey.put(((JsonObject) o).getString("generator") + "\u001f" + ((JsonObject) o).getString("value"), (JsonObject) o));
    JsonArray values = h.getJsonArray("values");
    JsonArray rows = new JsonArray();
    for (Object g : h.getJsonArray("generators")) {
      JsonArray cells = new JsonArray();
      for (Object v : values) {
        JsonObject f = byKey.get(g + "\u001f" + v);
        String filter = filterOf(axis, (String) v);
        cells.add(f == null ? new JsonObject().put("empty", true)
            : filter == null ? cell(f, query, "generator", g) : cell(f, query, "generator", g, filter, v));
      }
      rows.add(new JsonObject().put("generator", Texts.visible((String) g)).put("cells", cells));
    }
    JsonArray columns = new JsonArray();
    values.forEach(v -> columns.add(Texts.visible((String) v)));
    JsonArray axes = new JsonArray();
    for (String a : java.util.List.of("harm_category", "probe", "scorer", "chain", "attack")) {
      axes.add(new JsonObject().put("label", a.replace('_', ' ')).put("current", a.equals(axis))
          .put("url", MatrixViews.with("/dashboard/heatmap", query, "axis", a.equals("harm_category") ? null : a)));
    }
    JsonArray chains = new JsonArray();
    h.getJsonArray("by_chain").forEach(o -> {
      JsonObject f = (JsonObject) o;
      chains.add(cell(f, query, "chain", f.getString("chain")).put("name", Texts.visible(f.getString("chain"))));
    });
    JsonArray attacks = new JsonArray();
    h.getJsonArray("by_attack").forEach(o -> {
      JsonObject f = (JsonObject) o;
      String a = f.getString("attack");
      attacks.add((a.equals("unknown") ? cell(f, query) : cell(f, query, "attack", a)).put("name", Texts.visible(a)));
    });
    JsonArray runs = new JsonArray();
    h.getJsonArray("by_execution").forEach(o -> {
      JsonObject f = (JsonObject) o;
      JsonObject run = cell(f, query, "execution", f.getString("execution_id")).put("name", Texts.visible(f.getString("name", f.getString("execution_id"))))
          .put("created_at", f.getString("created_at"));
      JsonObject prev = f.getJsonObject("previous");
      if (prev != null) {
        run.put("previous", cell(prev, new JsonObject().put("days", 3650), "execution", prev.getString("execution_id")));
        Double change = f.getDouble("rate_change");
        if (change != null) {
          run.put("change", String.format(java.util.Locale.ROOT, "%+.1f pts", 100 * change)).put("worse", change > 0);
        }
      }
      runs.add(run);
    });
    String unit = h.getString("unit");
    JsonArray buckets = buckets(h.getJsonArray("buckets"), unit, query);
    return new JsonObject().put("axis", axis.replace('_', ' ')).put("axes", axes).put("columns", columns).put("rows", rows)
        .put("chains", chains).put("attacks", attacks).put("runs", runs).put("buckets", buckets).put("unit", unit)
        .put("matrix_url", MatrixViews.with("/dashboard/matrix", query)).put("chips", MatrixViews.chips(query));
  }

  /**
   * The time buckets as rows, each linking to its results in the matrix: {@code raw} as the heat
   * map operation answers them (start, counts), their size {@code unit} fitting the results' span
   * (minute, hour, day, week or month). The heat map and the dashboard's chart both draw these.
   */
  static JsonArray buckets(JsonArray raw, String unit, JsonObject query) {
    JsonArray buckets = new JsonArray();
    raw.forEach(o -> {
      JsonObject f = (JsonObject) o;
      LocalDateTime from = LocalDateTime.parse(f.getString("start"));
      LocalDateTime to = switch (unit) {
        case "minute" -> from.plusMinutes(1);
        case "hour" -> from.plusHours(1);
        case "day" -> from.plusDays(1);
        case "week" -> from.plusWeeks(1);
        default -> from.plusMonths(1);
      };
      buckets.add(cell(f, query, "from", from.toString(), "to", to.toString()).put("start", f.getString("start") + "Z")
          .put("label", label(from, unit)));
    });
    return buckets;
  }

  /** A bucket's start as its unit reads (UTC): 14:05 for a minute, 2026-12-03 for a day, 2026-12 for a month. */
  static String label(LocalDateTime from, String unit) {
    String day = from.toLocalDate().toString();
    return switch (unit) {
      case "minute" -> day + " " + String.format(java.util.Locale.ROOT, "%02d:%02d", from.getHour(), from.getMinute());
      case "hour" -> day + " " + String.format(java.util.Locale.ROOT, "%02d:00", from.getHour());
      case "week" -> "week of " + day;
      case "month" -> day.substring(0, 7);
      default -> day;
    };
  }

  /** A conversation's pieces in order, each text cut with "show all" and its invisible characters marked, with its scores. */
  static JsonObject conversation(JsonObject c) {
    Map<String, JsonArray> scores = new HashMap<>();
    for (Object o : c.getJsonArray("scores", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      Object scorer = s.getValue("scorer_class_identifier");
      String name = scorer instanceof JsonObject j ? j.getString("name", j.getString("__type__", "scorer"))
          : scorer instanceof String t && t.startsWith("{") ? new JsonObject(t).getString("name", "scorer") : "scorer";
      scores.computeIfAbsent(s.getString("prompt_request_response_id"), k -> new JsonArray())
          .add(new JsonObject().put("scorer", Texts.visible(name)).put("value", s.getString("score_value", "undetermined"))
              .put("rationale", Texts.view(s.getString("score_rationale"), null)));
    }
    JsonArray pieces = new JsonArray();
    for (Object o : c.getJsonArray("pieces")) {
      JsonObject p = (JsonObject) o;
      String original = p.getString("original_value");
      String converted = p.getString("converted_value");
      JsonObject piece = new JsonObject().put("role", p.getString("role")).put("timestamp", iso(p.getString("timestamp")))
          .put("text", Texts.view(converted != null ? converted : original, null))
          .put("error", p.getString("response_error") == null || "none".equals(p.getString("response_error")) ? null : p.getString("response_error"))
          .put("scores", scores.getOrDefault(p.getString("id"), new JsonArray()));
      if (converted != null && original != null && !converted.equals(original)) {
        piece.put("original", Texts.view(original, null));
      }
      pieces.add(piece);
    }
    return new JsonObject().put("id", c.getString("conversation_id")).put("pieces", pieces);
  }

  /** A stored time as ISO UTC with its zone, for {@code <time datetime>}. */
  static String iso(String t) {
    if (t == null) {
      return null;
    }
    return t.endsWith("Z") || t.contains("+") ? t : t + "Z";
  }
}
