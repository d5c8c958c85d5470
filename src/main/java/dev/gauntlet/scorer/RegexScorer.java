package dev.gauntlet.scorer;

import dev.gauntlet.TimedText;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** True when the pattern is found anywhere in the response. */
final class RegexScorer implements Scorer {

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.regex("pattern").required().describe("Java regular expression searched for in the response"),
      Param.bool("case_insensitive").defaultValue(true).describe("whether letter case is ignored"),
      Param.string("category").defaultValue("regex").describe("score category recorded with each result"));

  /** Scoring runs on the event loop: a pattern that backtracks catastrophically is stopped after this long. */
  static final long BUDGET_MS = 1_000;

  private final Pattern pattern;
  private final String category;

  private RegexScorer(Pattern pattern, String category) {
    this.pattern = pattern;
    this.category = category;
  }

  static Scorer create(JsonObject p, ScorerContext context) {
    int flags = p.getBoolean("case_insensitive") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    return new RegexScorer(Pattern.compile(p.getString("pattern"), flags), p.getString("category"));
  }

  @Override
  public Future<List<ScoreResult>> score(ScoreInput input) {
    String text = Scorers.responseOf(input);
    try {
      Matcher m = pattern.matcher(new TimedText(text, System.nanoTime() + BUDGET_MS * 1_000_000));
      ScoreResult result = m.find()
          ? ScoreResult.trueFalse(true, category, "pattern /" + pattern.pattern() + "/ matched " + Scorers.quote(m.group(), 120))
          : ScoreResult.trueFalse(false, category, "pattern /" + pattern.pattern() + "/ not found");
      return Future.succeededFuture(List.of(result));
    } catch (TimedText.Expired e) {
      return Future.failedFuture("pattern /" + pattern.pattern() + "/ took longer than " + BUDGET_MS
          + " ms on a response of " + text.length() + " characters");
    }
  }
}
