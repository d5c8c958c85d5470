package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardViewsTest {

  static JsonObject version(String scorer, String version, boolean warn, double agreement, long reviews) {
    return new JsonObject().put("scorer_id", "id-" + scorer).put("scorer", scorer).put("version", version)
        .put("quality", new JsonObject().put("warn", warn).put("reviews", reviews)
            .put("agreement", new JsonObject().put("rate", agreement)));
  }

  static JsonObject bucket(String start, long succeeded, long held) {
    long judged = succeeded + held;
    return new JsonObject().put("start", start).put("successes", succeeded).put("attack_succeeded", succeeded).put("held", held)
        .put("errors", 0L).put("unscored", 0L).put("results", judged).put("rate_denominator", judged)
        .put("success_rate", judged == 0 ? 0.0 : (double) succeeded / judged)
        .put("success_interval", new JsonObject().put("rate", null).put("low", null).put("high", null).put("denominator", judged));
  }

  @Test
  void theDashboardsChartHasABarGroupPerBucketOfTheSpansSizeNotOnePerDay() {
    // three minutes of one day's first runs: three groups of bars, each named by its minute
    JsonArray minutes = new JsonArray().add(bucket("2026-12-03T14:05:00", 3, 1)).add(bucket("2026-12-03T14:06:00", 0, 2))
        .add(bucket("2026-12-03T14:09:00", 1, 0));
    JsonObject chart = DashboardViews.overTime(minutes, "minute");
    assertEquals(List.of("2026-12-03 14:05", "2026-12-03 14:06", "2026-12-03 14:09"), chart.getJsonArray("labels").getList());
    JsonArray datasets = chart.getJsonArray("datasets");
    assertEquals(List.of(3L, 0L, 1L), datasets.getJsonObject(0).getJsonArray("data").getList(), "attack successes a minute");
    assertEquals(DashboardViews.RED, datasets.getJsonObject(0).getString("backgroundColor"), "got through is red");
    assertEquals(List.of(1L, 2L, 0L), datasets.getJsonObject(1).getJsonArray("data").getList(), "held a minute");
    assertEquals(List.of(75.0, 0.0, 100.0), datasets.getJsonObject(3).getJsonArray("data").getList(), "the rate a minute, in %");

    // the same buckets as rows: each links to its minute's results in the matrix, the filters kept
    JsonArray rows = HeatmapViews.buckets(minutes, "minute", new JsonObject().put("days", 30));
    assertEquals("2026-12-03 14:05", rows.getJsonObject(0).getString("label"));
    String url = rows.getJsonObject(0).getString("url");
    assertTrue(url.startsWith("/dashboard/matrix?") && url.contains("days=30") && url.contains("from=2026-12-03T14%3A05")
        && url.contains("to=2026-12-03T14%3A06"), url);

    // longer spans read as their unit does
    java.time.LocalDateTime at = java.time.LocalDateTime.parse("2026-11-30T09:00:00");
    assertEquals("2026-11-30 09:00", HeatmapViews.label(at, "hour"));
    assertEquals("2026-11-30", HeatmapViews.label(at, "day"));
    assertEquals("week of 2026-11-30", HeatmapViews.label(at, "week"));
    assertEquals("2026-11", HeatmapViews.label(at, "month"));
    assertEquals(0, DashboardViews.overTime(new JsonArray(), null).getJsonArray("labels").size(), "no results, no bars");
  }

  @Test
  void onlyScorersInViewWhoseQualityWarnsAreFlagged() {
    JsonArray qualities = new JsonArray(List.of(
        version("judge", "v2", true, 0.76, 25),
        version("judge", "v1", false, 0.95, 40),
        version("regex", "r1", false, 0.5, 10),
        version("elsewhere", "e1", true, 0.5, 30)));
    // the dashboard may name a scorer with its version (name@version): any version of it is in view
    JsonArray byScorer = new JsonArray().add(new JsonObject().put("scorer", "judge@0123456789ab")).add(new JsonObject().put("scorer", "regex"));
    JsonArray warnings = DashboardViews.qualityWarnings(qualities, byScorer);
    assertEquals(1, warnings.size(), warnings.encode());
    JsonObject w = warnings.getJsonObject(0);
    assertEquals(List.of("judge", "v2", "25"), List.of(w.getString("scorer"), w.getString("version"), w.getString("reviews")));
    assertEquals(DashboardViews.percent(0.76), w.getString("agreement"));
    assertEquals(0, DashboardViews.qualityWarnings(null, byScorer).size(), "no quality figures, no warning");
  }

  @Test
  void comparedScorerRatesAreOverTheirJudgedResultsAndSayWhetherTheyDiffer() {
    // 5 scores of which 3 judged (2 undetermined): the rate's denominator is 3, not 5
    JsonObject a = new JsonObject().put("scores", 5L).put("rate_denominator", 3L).put("success_rate", 2 / 3.0);
    JsonObject b = new JsonObject().put("scores", 0L).put("rate_denominator", 0L).put("success_rate", 0.0);
    JsonObject row = DashboardViews.scorerRow(new JsonObject().put("scorer", "judge").put("a", a).put("b", b)
        .put("difference", -2 / 3.0).put("test", new JsonObject().put("too_few_results", true)));
    assertEquals(List.of("66.7%", "3", "–", "0", "too few results"), List.of(row.getString("a_rate"), row.getString("a_judged"),
        row.getString("b_rate"), row.getString("b_judged"), row.getString("verdict")));
    assertEquals("significant (p 0.029)", DashboardViews.significance(new JsonObject().put("too_few_results", false)
        .put("significant", true).put("p_value", 0.0285)));
  }

  @Test
  void aComparedHarmCategoryShowsBothRatesWithIntervalsDenominatorsAndTheTestsVerdict() {
    JsonObject a = new JsonObject().put("rate_denominator", 31L).put("success_rate", 4 / 31.0).put("errors", 1L).put("unscored", 0L)
        .put("success_interval", new JsonObject().put("low", 0.0513).put("high", 0.2891).put("denominator", 31L));
    JsonObject b = new JsonObject().put("rate_denominator", 0L).put("success_rate", 0.0).put("errors", 2L).put("unscored", 3L)
        .put("success_interval", new JsonObject().putNull("low").putNull("high").put("denominator", 0L));
    JsonObject row = DashboardViews.groupRow(new JsonObject().put("name", "violence").put("a", a).put("b", b).put("difference", -4 / 31.0)
        .put("test", new JsonObject().put("too_few_results", true).put("significant", false)));
    assertEquals(List.of("violence", "12.9%", "95% CI 5.1%–28.9%", "31", "1", "–", "", "0", "5", "-12.9 pts", "too few results"),
        List.of(row.getString("name"), row.getString("a_rate"), row.getString("a_interval"), row.getString("a_judged"), row.getString("a_other"),
            row.getString("b_rate"), row.getString("b_interval"), row.getString("b_judged"), row.getString("b_other"),
            row.getString("difference"), row.getString("verdict")));
  }

  @Test
  void aComparedPromptShowsEachSidesOutcomeColouredAndMarksAPersonsVerdict() {
    JsonObject row = DashboardViews.comparedPrompt(new JsonObject().put("prompt", "p").put("a_outcome", "error").put("a_by_human", false)
        .put("b_outcome", "attack_succeeded").put("b_by_human", true));
    assertEquals(List.of("error", "error", "attack succeeded", "attack_succeeded"),
        List.of(row.getString("a"), row.getString("a_outcome"), row.getString("b"), row.getString("b_outcome")));
    assertEquals(List.of(false, true, true), List.of(row.getBoolean("a_by_human"), row.getBoolean("b_by_human"), row.getBoolean("differs")));
    JsonObject same = DashboardViews.comparedPrompt(new JsonObject().put("prompt", "p").put("a_outcome", "unscored")
        .put("b_outcome", "unscored"));
    assertFalse(same.getBoolean("differs"));
  }
}
