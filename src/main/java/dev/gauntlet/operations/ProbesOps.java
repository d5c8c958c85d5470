package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.probe.Detector;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.ProbeScorers;
import dev.gauntlet.probe.Probes;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.gauntlet.operations.Args.bounded;
import static dev.gauntlet.operations.Args.string;

/** The probe catalog: what each probe sends and detects, a preview of its prompts, and a dataset with its scorers made from it. */
final class ProbesOps {

  private final Configurations configurations;
  private final Datasets datasets;

  ProbesOps(Configurations configurations, Datasets datasets) {
    this.configurations = configurations;
    this.datasets = datasets;
  }

  Future<JsonObject> list(Caller c, JsonObject a) {
    String family = Args.optional(a, "family");
    JsonArray items = new JsonArray();
    Probes.all().stream().filter(p -> family == null || p.family().equals(family)).forEach(p -> items.add(summary(p)));
    return Future.succeededFuture(new JsonObject().put("items", items));
  }

  Future<JsonObject> get(Caller c, JsonObject a) {
    Probe p = Probes.get(string(a, "probe_id"));
    JsonArray members = new JsonArray();
    p.members(0).forEach(d -> members.add(d.toJson()));
    return Future.succeededFuture(summary(p).put("members", members));
  }

  Future<JsonObject> prompts(Caller c, JsonObject a) {
    Probe p = Probes.get(string(a, "probe_id"));
    int count = count(p, a);
    long seed = bounded(a, "seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    JsonArray prompts = new JsonArray();
    p.prompts(count, seed).forEach(s -> prompts.add(s.toJson()));
    return Future.succeededFuture(new JsonObject().put("probe_id", p.id()).put("seed", seed).put("count", prompts.size())
        .put("prompts", prompts));
  }

  /**
   * A dataset of the probe's prompts in the caller's memory, and its detectors as scorers. Judges are
   * left out (the user picks the judge generator) and so are detector types this build lacks; both
   * are listed under {@code skipped} with the reason.
   */
  Future<JsonObject> dataset(Caller c, JsonObject a) {
    Probe p = Probes.get(string(a, "probe_id"));
    int count = count(p, a);
    long seed = bounded(a, "seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    String name = Args.optional(a, "name");
    List<SeedPrompt> prompts = p.prompts(count, seed);
    String description = "probe " + p.id() + ": " + prompts.size() + " prompts, seed " + seed;
    return datasets.create(c.owner(), name == null ? p.id() + " (seed " + seed + ")" : name, description, prompts,
        name == null ? dev.gauntlet.memory.ConfigNaming.NEXT_FREE : dev.gauntlet.memory.ConfigNaming.STRICT).compose(d -> {
      JsonObject out = d.put("dataset_id", d.getString("id")).put("probe_id", p.id()).put("seed", seed).put("count", prompts.size())
          .put("scorer_ids", new JsonArray()).put("member_scorer_ids", new JsonArray()).put("skipped", new JsonArray());
      Set<String> verdicts = new java.util.HashSet<>(p.detectors(seed).stream().map(Detector::name).toList());
      Map<String, String> ids = new HashMap<>();
      Future<Void> chain = Future.succeededFuture();
      for (Detector det : ProbeScorers.plan(p, seed)) {
        chain = chain.compose(v -> createScorer(c.owner(), p, det, ids, out, verdicts.contains(det.name())));
      }
      return chain.map(v -> out);
    });
  }

  private Future<Void> createScorer(MemoryOwner owner, Probe p, Detector d, Map<String, String> ids, JsonObject out, boolean verdict) {
    String reason = d.needsJudge() ? "needs a judge generator: create it as a " + d.scorerType() + " scorer with your judge's generator_id"
        : !Scorers.catalog().has(d.scorerType()) ? "scorer type '" + d.scorerType() + "' is not available in this build"
        : d.references().stream().filter(r -> !ids.containsKey(r)).findFirst().map(r -> "builds on '" + r + "', which was skipped")
        .orElse(null);
    if (reason != null) {
      out.getJsonArray("skipped").add(d.toJson().put("reason", reason));
      return Future.succeededFuture();
    }
    // named after the dataset they judge (its seed is in its default name: a canary or planted value differs from one seed to the
    // next), so a second dataset of the same probe under another name gets scorers of its own names
    JsonObject value = new JsonObject().put("name", out.getString("name") + ": " + d.name()).put("type", d.scorerType())
        .put("parameters", ProbeScorers.resolve(d, ids));
    return configurations.create(owner, ConfigKind.SCORERS, value, dev.gauntlet.memory.ConfigNaming.NEXT_FREE).map(s -> {
      ids.put(d.name(), s.getString("id"));
      out.getJsonArray(verdict ? "scorer_ids" : "member_scorer_ids").add(s.getString("id"));
      return null;
    });
  }

  /** The count asked for, the probe's default when absent; above the probe's maximum is a 400 naming it. */
  private static int count(Probe p, JsonObject a) {
    Object v = a.getValue("count");
    if (v instanceof Integer n && n > p.maxCount()) {
      throw Problem.badRequest("count_too_large", "'count' must be at most " + p.maxCount() + " for probe '" + p.id()
          + "' (it has no more distinct prompts)");
    }
    return bounded(a, "count", p.defaultCount(), 1, p.maxCount());
  }

  static JsonObject summary(Probe p) {
    JsonArray detectors = new JsonArray();
    p.detectors(0).forEach(d -> detectors.add(d.toJson()));
    return new JsonObject().put("id", p.id()).put("family", p.family()).put("description", p.description())
        .put("taxonomy", new JsonArray(p.taxonomy())).put("default_count", p.defaultCount()).put("max_count", p.maxCount())
        .put("detectors", detectors);
  }
}
