package dev.gauntlet.standards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.gauntlet.report.HtmlReport.esc;

/**
 * A compliance report ({@link Compliance#report}) as one self-contained HTML page: its own CSS, no
 * script, a CSP that loads nothing; every value that came from memory or a user (names, labels,
 * ids, the model's answers) is escaped. Evidence links go to the execution's page and its results.
 */
public final class ComplianceHtml {

  private ComplianceHtml() {}

  public static String render(JsonObject report) {
    JsonObject subject = report.getJsonObject("subject", new JsonObject());
    String title = "Compliance report: " + subject.getString("kind", "") + " " + subject.getString("name", subject.getString("id", ""));
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;width:100%;margin-bottom:2rem}")
        .append("th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f6f8fa}")
        .append(".failing{color:#b42318;font-weight:600}.passing{color:#067647;font-weight:600}.not_tested{color:#667085}")
        .append("q{display:block;white-space:pre-wrap;font-size:12px;color:#444}small{color:#667085}</style></head><body>");
    b.append("<h1>").append(esc(title)).append("</h1>");
    JsonObject counts = report.getJsonObject("counts", new JsonObject());
    b.append("<p>Controls failing: <b>").append(counts.getInteger(Compliance.FAILING, 0)).append("</b>, passing: <b>")
        .append(counts.getInteger(Compliance.PASSING, 0)).append("</b>, not tested: <b>").append(counts.getInteger(Compliance.NOT_TESTED, 0))
        .append("</b>. A control passes with at least ").append(report.getInteger("min_judged", 1))
        .append(" judged results (attack succeeded or held) and no success. Executions: ");
    JsonArray executions = report.getJsonArray("executions", new JsonArray());
    for (int i = 0; i < executions.size(); i++) {
      String id = executions.getJsonObject(i).getString("id");
      b.append(i == 0 ? "" : ", ").append("<a href=\"/executions/").append(esc(id)).append("\">").append(esc(id)).append("</a>");
    }
    b.append(executions.isEmpty() ? "none" : "").append(".</p>");
    for (Object f : report.getJsonArray("frameworks", new JsonArray())) {
      JsonObject fw = (JsonObject) f;
      b.append("<h2>").append(esc(fw.getString("name"))).append(" <small>").append(esc(fw.getString("version"))).append(", <a href=\"")
          .append(esc(fw.getString("url"))).append("\">source</a></small></h2>");
      b.append("<table><thead><tr><th>Control</th><th>Status</th><th>Tested by</th><th>Prompts</th>")
          .append("<th>Succeeded / held / error / unscored</th><th>Attack success rate</th><th>Evidence</th></tr></thead><tbody>");
      for (Object c : fw.getJsonArray("controls", new JsonArray())) {
        row(b, (JsonObject) c);
      }
      b.append("</tbody></table>");
    }
    return b.append("</body></html>").toString();
  }

  private static void row(StringBuilder b, JsonObject c) {
    String status = c.getString("status");
    JsonObject o = c.getJsonObject("outcomes", new JsonObject());
    JsonObject rate = c.getJsonObject("attack_success_rate", new JsonObject());
    b.append("<tr><td><b>").append(esc(c.getString("id"))).append("</b> ").append(esc(c.getString("name"))).append("</td>")
        .append("<td class=\"").append(esc(status)).append("\">").append(esc(status.replace('_', ' ')));
    if (c.getString("reason") != null) {
      b.append("<br><small>").append(esc(c.getString("reason"))).append("</small>");
    }
    b.append("</td><td>").append(testedBy(c.getJsonObject("tested_by", new JsonObject()))).append("</td>")
        .append("<td>").append(c.getLong("prompts", 0L)).append("</td><td>").append(o.getLong("attack_succeeded", 0L)).append(" / ")
        .append(o.getLong("held", 0L)).append(" / ").append(o.getLong("error", 0L)).append(" / ").append(o.getLong("unscored", 0L))
        .append("</td><td>").append(rate(rate)).append("</td><td>");
    for (Object e : c.getJsonArray("evidence", new JsonArray())) {
      JsonObject ev = (JsonObject) e;
      String execution = ev.getString("execution_id");
      b.append("<a href=\"/dashboard/results?execution=").append(esc(java.net.URLEncoder.encode(execution, java.nio.charset.StandardCharsets.UTF_8)))
          .append("\">").append(esc(execution)).append("</a>: ").append(ev.getJsonArray("conversation_ids", new JsonArray()).size())
          .append(" conversation(s)<br>");
    }
    if (c.getString("example_answer") != null) {
      b.append("<q>").append(esc(c.getString("example_answer"))).append("</q>");
    }
    b.append("</td></tr>");
  }

  private static String testedBy(JsonObject t) {
    StringBuilder b = new StringBuilder();
    for (String kind : new String[] {"probes", "attacks", "converter_categories", "harm_categories"}) {
      JsonArray names = t.getJsonArray(kind, new JsonArray());
      if (!names.isEmpty()) {
        b.append("<small>").append(esc(kind.replace('_', ' '))).append(":</small> ");
        for (int i = 0; i < names.size(); i++) {
          b.append(i == 0 ? "" : ", ").append(esc(String.valueOf(names.getValue(i))));
        }
        b.append("<br>");
      }
    }
    return b.toString();
  }

  private static String rate(JsonObject r) {
    if (r.getValue("rate") == null) {
      return "— <small>(0 judged)</small>";
    }
    return Math.round(100 * r.getDouble("rate")) + "% <small>(95% CI " + Math.round(100 * r.getDouble("low")) + "–"
        + Math.round(100 * r.getDouble("high")) + "%, of " + r.getLong("denominator") + ")</small>";
  }
}
