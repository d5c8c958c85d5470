package dev.gauntlet.operations;

import dev.gauntlet.auth.Caller;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.verdict.stats.JudgeQuality;
import dev.gauntlet.orchestrator.ScorerIdentity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far each scorer agrees with people: per scorer version, its verdicts on reviewed results set
 * against the reviewers' ({@link JudgeQuality}: agreement, precision and recall of attack succeeded,
 * false positives and negatives, Cohen's kappa, the number of reviews behind them). A version is
 * what {@link ScorerIdentity#version} stamps on each score (it is to delegate to
 * {@code verdict.stats.ScorerVersion.of}), so the current configuration's version matches its scores'.
 */
final class JudgeQualities {

  /** A score made before scores carried their scorer's version, of an execution without a snapshot. */
  static final String UNVERSIONED = "unversioned";

  private final MemoryClient memory;

  JudgeQualities(MemoryClient memory) {
    this.memory = memory;
  }

  /** One scorer's quality per version, newest first; another user's or an unknown scorer is a 404. */
  Future<JsonObject> ofScorer(Caller c, JsonObject a) {
    String id = Args.id(a);
    return memory.configs(c.owner()).get(ConfigKind.SCORERS, id).compose(scorer -> memory.reviews(c.owner()).pairs(id).map(p -> {
      String current = ScorerIdentity.version(scorer.getString("type"), scorer.getJsonObject("parameters"));
      JsonArray versions = new JsonArray();
      for (JsonObject v : byVersion(p.getJsonArray("pairs"))) {
        versions.add(v.put("current", current.equals(v.getString("version"))));
      }
      return new JsonObject().put("scorer_id", id).put("name", scorer.getString("name")).put("current_version", current)
          .put("warn_below_agreement", JudgeQuality.WARN_BELOW_AGREEMENT).put("warn_min_reviews", JudgeQuality.WARN_MIN_REVIEWS)
          .put("versions", versions);
    }));
  }

  /** Every scorer version that has reviewed results, newest first: what the dashboard's warning reads. */
  Future<JsonObject> all(Caller c, JsonObject a) {
    return memory.reviews(c.owner()).pairs(null).map(p -> new JsonObject().put("items", new JsonArray(new ArrayList<>(byVersion(
        p.getJsonArray("pairs"))))));
  }

  /**
   * The pairs counted per scorer version: the version the score carries, else the version of the
   * scorer as its execution's snapshot froze it, else {@link #UNVERSIONED}.
   */
  static List<JsonObject> byVersion(JsonArray pairs) {
    Map<String, JsonObject> versions = new LinkedHashMap<>();
    Map<String, JudgeQuality.Tally> tallies = new LinkedHashMap<>();
    for (Object o : pairs) {
      JsonObject pair = (JsonObject) o;
      String version = versionOf(pair);
      String key = pair.getString("scorer_id") + "\u001f" + version;
      JsonObject v = versions.computeIfAbsent(key, k -> new JsonObject().put("scorer_id", pair.getString("scorer_id"))
          .put("scorer", pair.getString("scorer")).put("version", version));
      String at = pair.getString("scored_at");
      if (at != null && at.compareTo(v.getString("last_scored_at", "")) > 0) {
        v.put("last_scored_at", at);
      }
      tallies.computeIfAbsent(key, k -> JudgeQuality.tally()).add(pair.getString("scorer_verdict"), pair.getString("human_verdict"));
    }
    List<JsonObject> out = new ArrayList<>();
    versions.forEach((key, v) -> out.add(v.put("quality", tallies.get(key).build().toJson())));
    out.sort((x, y) -> y.getString("last_scored_at", "").compareTo(x.getString("last_scored_at", "")));
    return out;
  }

  private static String versionOf(JsonObject pair) {
    String stamped = pair.getString("version");
    if (stamped != null && !stamped.isEmpty()) {
      return stamped;
    }
    String snapshot = pair.getString("snapshot");
    if (snapshot != null) {
      JsonObject config = new JsonObject(snapshot);
      return ScorerIdentity.version(config.getString("type"), config.getJsonObject("parameters"));
    }
    return UNVERSIONED;
  }
}
