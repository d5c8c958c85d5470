package dev.gauntlet.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {

  private static JsonObject answer(String text, String outcome, String reason) {
    return new JsonObject().put("conversation_id", "c").put("sequence", 1).put("role", "assistant").put("original_value", text)
        .put("converted_value", text).put("generator", "g").put("response_error", "none").put("outcome", outcome)
        .put("outcome_reason", reason);
  }

  @Test
  void theReportShowsAllFourOutcomesTheRateOverJudgedResultsAndEscapesEverything() {
    JsonArray rows = new JsonArray()
        .add(new JsonObject().put("conversation_id", "c").put("sequence", 0).put("role", "user").put("original_value", "<b>hi</b>"))
        .add(answer("<script>alert(1)</script>", "attack_succeeded", null))
        .add(answer("no", "held", null))
        .add(answer("", "held", "blocked"))
        .add(answer("", "error", "connection"))
        .add(answer("maybe", "unscored", "judge said <maybe>"));

    String html = HtmlReport.render("run <1>", rows, 5000);

    assertTrue(html.contains("<div class=\"card attack_succeeded\"><b>33%</b>attack success rate, of 3 judged</div>"), html);
    assertTrue(html.contains("<b>1</b>attack succeeded"));
    assertTrue(html.contains("<b>2</b>held"));
    assertTrue(html.contains("<b>1</b>error (no usable answer)"));
    assertTrue(html.contains("<b>1</b>unscored (no usable verdict)"));
    assertTrue(html.contains("<td class=\"error\">error: connection</td>"));
    assertTrue(html.contains("<td class=\"held\">held: blocked</td>"));
    assertTrue(html.contains("unscored: judge said &lt;maybe&gt;"));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("run &lt;1&gt;"));
    assertFalse(html.contains("<script>") || html.contains("<b>hi</b>"), "nothing a model or user wrote is markup");
  }
}
