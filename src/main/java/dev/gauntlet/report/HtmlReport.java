package dev.gauntlet.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A self-contained HTML report of results: totals, then every row. Everything a model answered
 * or a user typed is escaped; the page carries its own CSS and no script, so it can be mailed
 * and opened anywhere.
 */
public final class HtmlReport {

  private HtmlReport() {}

  public static String render(String title, JsonArray rows, int limitedTo) {
    long answers = 0;
    long successes = 0;
    long errors = 0;
    long human = 0;
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      if ("assistant".equals(r.getString("role"))) {
        answers++;
        if (Boolean.TRUE.equals(r.getBoolean("attack_success"))) {
          successes++;
        }
        if (r.getString("human_verdict") != null) {
          human++;
        }
        if (!"none".equals(r.getString("response_error"))) {
          errors++;
        }
      }
    }
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").append(esc(title)).append("</title>")
        .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;width:100%}")
        .append("th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}th{background:#f6f8fa}")
        .append("td.t{white-space:pre-wrap;word-break:break-word;max-width:40rem}.ok{color:#1a7f37}.bad{color:#cf222e}")
        .append(".cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem}")
        .append(".card b{display:block;font-size:1.5rem}</style></head><body>")
        .append("<h1>").append(esc(title)).append("</h1><p>Generated ").append(esc(Instant.now().toString())).append(" by Gauntlet.</p>")
        .append("<div class=\"cards\">")
        .append(card("answers", answers)).append(card("attack successes", successes))
        .append(card("attack success rate", answers == 0 ? "0%" : Math.round(100.0 * successes / answers) + "%"))
        .append(card("target errors", errors)).append(card("human verdicts (they win over the scorers')", human)).append("</div>");
    if (rows.size() >= limitedTo) {
      b.append("<p>Showing the first ").append(limitedTo).append(" pieces; export CSV, JSONL or Parquet for all of them.</p>");
    }
    b.append("<table><thead><tr><th>conversation</th><th>#</th><th>role</th><th>text</th><th>converted</th><th>generator</th>")
        .append("<th>error</th><th>scores</th></tr></thead><tbody>");
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      boolean success = Boolean.TRUE.equals(r.getBoolean("attack_success"));
      b.append("<tr><td>").append(esc(r.getString("conversation_id"))).append("</td><td>").append(r.getValue("sequence"))
          .append("</td><td>").append(esc(r.getString("role"))).append("</td><td class=\"t\">").append(esc(r.getString("original_value")))
          .append("</td><td class=\"t\">").append(esc(sameOrBlank(r))).append("</td><td>").append(esc(r.getString("generator")))
          .append("</td><td>").append(esc(r.getString("response_error"))).append("</td><td class=\"")
          .append(success ? "bad" : "ok").append("\">").append(esc(r.getString("scores"))).append(humanMark(r)).append("</td></tr>");
    }
    return b.append("</tbody></table></body></html>").toString();
  }

  /** A person's verdict on the row, marked as such: it decided the row's outcome (unless not applicable). */
  private static String humanMark(JsonObject r) {
    String verdict = r.getString("human_verdict");
    if (verdict == null) {
      return "";
    }
    String comment = r.getString("human_comment");
    return "<br><b>human verdict: " + esc(verdict) + "</b>" + (comment == null ? "" : " — " + esc(comment));
  }

  private static String sameOrBlank(JsonObject r) {
    String converted = r.getString("converted_value");
    return converted == null || converted.equals(r.getString("original_value")) ? "" : converted;
  }

  private static String card(String label, Object value) {
    return "<div class=\"card\"><b>" + esc(String.valueOf(value)) + "</b>" + esc(label) + "</div>";
  }

  /** HTML-escapes text for element content and attribute values. */
  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
