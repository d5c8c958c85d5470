package dev.gauntlet.report;

import dev.gauntlet.review.HumanVerdicts;

import dev.gauntlet.verdict.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A self-contained HTML report of results: the four outcomes and the attack success rate with its
 * denominator, then every row with its outcome and reason. Everything a model answered
 * or a user typed is escaped; the page carries its own CSS and no script, so it can be mailed
 * and opened anywhere.
 */
public final class HtmlReport {

  private HtmlReport() {}

  public static String render(String title, JsonArray rows, int limitedTo) {
    // each answer's outcome as the export decided it (verdict/Outcomes); the rate is succeeded ÷ (succeeded + held)
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      outcomes.put(o.value(), 0L);
    }
    for (Object o : rows) {
      String outcome = ((JsonObject) o).getString("outcome");
      if (outcome != null) {
        outcomes.merge(outcome, 1L, Long::sum);
      }
    }
    long succeeded = outcomes.get(Outcome.ATTACK_SUCCEEDED.value());
    long judged = succeeded + outcomes.get(Outcome.HELD.value());
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").append(esc(title)).append("</title>")
        .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;width:100%}")
        .append("th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}th{background:#f6f8fa}")
        .append("td.t{white-space:pre-wrap;word-break:break-word;max-width:40rem}")
        // one meaning per colour: red the attack got through, green it held, amber no verdict (error or unscored)
        .append(".attack_succeeded{color:#cf222e}.held{color:#1a7f37}.error,.unscored{color:#9a6700}")
        .append(".cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem}")
        .append(".card b{display:block;font-size:1.5rem}</style></head><body>")
        .append("<h1>").append(esc(title)).append("</h1><p>Generated ").append(esc(Instant.now().toString())).append(" by Gauntlet.</p>")
        .append("<div class=\"cards\">")
        .append(card("attack success rate, of " + judged + " judged", judged == 0 ? "n/a" : Math.round(100.0 * succeeded / judged) + "%"
            + interval(succeeded, judged), "attack_succeeded"))
        .append(card("attack succeeded", succeeded, "attack_succeeded"))
        .append(card("held", outcomes.get(Outcome.HELD.value()), "held"))
        .append(card("error (no usable answer)", outcomes.get(Outcome.ERROR.value()), "error"))
        .append(card("unscored (no usable verdict)", outcomes.get(Outcome.UNSCORED.value()), "unscored"))
        .append(card("human verdicts (they win over the scorers')", rows.stream().filter(o -> HumanVerdicts.decides(((JsonObject) o)
            .getString("human_verdict"))).count(), "human")).append("</div>");
    if (rows.size() >= limitedTo) {
      b.append("<p>Showing the first ").append(limitedTo).append(" pieces; export CSV, JSONL or Parquet for all of them.</p>");
    }
    b.append("<table><thead><tr><th>conversation</th><th>#</th><th>role</th><th>text</th><th>converted</th><th>generator</th>")
        .append("<th>error</th><th>scores</th><th>outcome</th></tr></thead><tbody>");
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      String outcome = r.getString("outcome");
      String css = outcome == null ? "" : " class=\"" + esc(outcome) + "\"";
      b.append("<tr><td>").append(esc(r.getString("conversation_id"))).append("</td><td>").append(r.getValue("sequence"))
          .append("</td><td>").append(esc(r.getString("role"))).append("</td><td class=\"t\">").append(esc(r.getString("original_value")))
          .append("</td><td class=\"t\">").append(esc(sameOrBlank(r))).append("</td><td>").append(esc(r.getString("generator")))
          .append("</td><td>").append(esc(r.getString("response_error"))).append("</td><td>").append(esc(r.getString("scores")))
          .append("</td><td").append(css).append(">").append(esc(outcome))
          .append(r.getString("outcome_reason") == null ? "" : ": " + esc(r.getString("outcome_reason"))).append(humanMark(r)).append("</td></tr>");
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

  private static String card(String label, Object value, String outcome) {
    return "<div class=\"card " + outcome + "\"><b>" + esc(String.valueOf(value)) + "</b>" + esc(label) + "</div>";
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

  /** " (95% CI 12–41%)": the rate's Wilson interval, so a rate over a few results is read as such. */
  static String interval(long succeeded, long judged) {
    return dev.gauntlet.verdict.stats.Proportion.of(succeeded, judged).wilson()
        .map(i -> " (95% CI " + Math.round(100 * i.low()) + "–" + Math.round(100 * i.high()) + "%)").orElse("");
  }
}
