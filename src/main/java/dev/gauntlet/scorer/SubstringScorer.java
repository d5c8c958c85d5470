package dev.gauntlet.scorer;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** True when the response contains any (or all) of the substrings. */
final class SubstringScorer implements Scorer {

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.strings("substrings").required().describe("texts to look for in the response"),
      Param.choice("match", "any", "all").defaultValue("any").describe("true when any substring is found, or only when all are"),
      Param.bool("case_sensitive").defaultValue(false).describe("whether letter case must match"),
      Param.string("category").defaultValue("substring").describe("score category recorded with each result"));

  private final List<String> substrings;
  private final boolean all;
  private final boolean caseSensitive;
  private final String category;

  /** The substrings as compared (folded once, not for every answer), and the rationale when none is found. */
  private final List<String> folded;
  private final String noneFound;

  private SubstringScorer(List<String> substrings, boolean all, boolean caseSensitive, String category) {
    this.substrings = substrings;
    this.all = all;
    this.caseSensitive = caseSensitive;
    this.category = category;
    this.folded = substrings.stream().map(this::fold).toList();
    this.noneFound = "none of " + quoted(substrings) + " found";
  }

  static Scorer create(JsonObject p, ScorerContext context) {
    return new SubstringScorer(Scorers.nonEmptyStrings(p, "substrings"), "all".equals(p.getString("match")),
        p.getBoolean("case_sensitive"), p.getString("category"));
  }

  @Override
  public Future<List<ScoreResult>> score(ScoreInput input) {
    String text = fold(Scorers.responseOf(input));
    List<String> found = new ArrayList<>(substrings.size());
    for (int i = 0; i < substrings.size(); i++) {
      if (text.contains(folded.get(i))) {
        found.add(substrings.get(i));
      }
    }
    List<String> missing = found.size() == substrings.size() ? List.of() : substrings.stream().filter(s -> !found.contains(s)).toList();
    boolean value = all ? missing.isEmpty() : !found.isEmpty();
    String rationale;
    if (found.isEmpty()) {
      rationale = noneFound;
    } else if (missing.isEmpty()) {
      rationale = "found " + quoted(found);
    } else {
      rationale = "found " + quoted(found) + "; missing " + quoted(missing);
    }
    return Future.succeededFuture(List.of(ScoreResult.trueFalse(value, category, rationale)));
  }

  private String fold(String s) {
    return caseSensitive ? s : s.toLowerCase(Locale.ROOT);
  }

  private static String quoted(List<String> list) {
    return list.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
  }
}
