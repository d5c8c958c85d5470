package dev.gauntlet.scorer;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Combines two or more scorers, run concurrently: {@code and}, {@code or} and {@code majority}
 * (more than half) of the members' success give true/false; {@code average} gives the mean of
 * their values as a float scale. An undetermined member decides nothing it could change: the
 * result is undetermined only when the undetermined members, read either way, would change it
 * (an {@code or} with one member true is true whatever the others say); an average over an
 * undetermined member is undetermined.
 */
final class CompositeScorer implements Scorer {

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.reference("scorer_ids", Param.Kind.SCORER_IDS).required().describe("the member scorers, at least 2"),
      Param.choice("mode", "and", "or", "majority", "average").defaultValue("and")
          .describe("and/or/majority (more than half) of the members' success, or the average of their values"),
      Param.string("category").defaultValue("composite").describe("score category recorded with each result"));

  private final List<Member> members;
  private final String mode;
  private final String category;

  private CompositeScorer(List<Member> members, String mode, String category) {
    this.members = members;
    this.mode = mode;
    this.category = category;
  }

  static Scorer create(JsonObject p, ScorerContext context) {
    JsonArray ids = p.getJsonArray("scorer_ids");
    if (ids.size() < 2) {
      throw Problem.badRequest("invalid_parameter", "parameters.scorer_ids must name at least 2 scorers, got " + ids.size());
    }
    Set<String> seen = new HashSet<>();
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.getString(i);
      if (!seen.add(id)) {
        throw Problem.badRequest("invalid_parameter", "parameters.scorer_ids names '" + id + "' twice");
      }
      members.add(Member.of(id, context));
    }
    return new CompositeScorer(List.copyOf(members), p.getString("mode"), p.getString("category"));
  }

  @Override
  public Future<List<ScoreResult>> score(ScoreInput input) {
    List<Future<ScoreResult>> running = members.stream().map(m -> m.first(input)).toList();
    return Future.all(running).map(done -> List.of(combine(running.stream().map(Future::result).toList())));
  }

  private ScoreResult combine(List<ScoreResult> results) {
    JsonObject values = new JsonObject();
    List<String> described = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      values.put(members.get(i).id(), results.get(i).value()); // null when undetermined
      described.add(members.get(i).describe(results.get(i)));
    }
    String each = String.join("; ", described);
    JsonObject metadata = new JsonObject().put("mode", mode).put("members", values);
    long unknown = results.stream().filter(ScoreResult::undetermined).count();
    if (mode.equals("average")) {
      if (unknown > 0) {
        String why = "average of " + results.size() + " scorers: " + unknown + " undetermined: " + each;
        return new ScoreResult(null, ScoreResult.FLOAT_SCALE, category, why, null, metadata.put(ScoreResult.UNDETERMINED, why));
      }
      double mean = Scorers.tidy(results.stream().mapToDouble(ScoreResult::asNumber).average().orElse(0));
      return new ScoreResult(Double.toString(mean), ScoreResult.FLOAT_SCALE, category,
          "average of " + results.size() + " scorers is " + mean + ": " + each, null, metadata);
    }
    long succeeded = results.stream().filter(ScoreResult::success).count();
    boolean value = decide(succeeded, results.size());
    if (unknown > 0 && decide(succeeded + unknown, results.size()) != value) {
      String why = mode + ": " + succeeded + " of " + results.size() + " scorers succeeded, " + unknown
          + " undetermined, which decide it: " + each;
      return new ScoreResult(null, ScoreResult.TRUE_FALSE, category, why, null, metadata.put(ScoreResult.UNDETERMINED, why));
    }
    return new ScoreResult(Boolean.toString(value), ScoreResult.TRUE_FALSE, category,
        mode + ": " + succeeded + " of " + results.size() + " scorers succeeded: " + each, null, metadata);
  }

  /** The mode's verdict when {@code succeeded} of {@code n} members say the attack succeeded. */
  private boolean decide(long succeeded, int n) {
    return switch (mode) {
      case "and" -> succeeded == n;
      case "or" -> succeeded > 0;
      case "majority" -> succeeded * 2 > n;
      default -> throw new IllegalStateException(mode);
    };
  }
}
