package dev.gauntlet.standards;

import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.Probes;
import dev.gauntlet.verdict.stats.Proportion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A compliance report: for each framework of the {@link Standards} table, each control with what
 * tested it, how many prompts, the four outcomes, the attack success rate (successes ÷ (successes +
 * held), 95 % Wilson interval, its denominator), a status, and the conversations where the attack
 * succeeded.
 *
 * <p>Which controls a result tested: its probe's taxonomy (the {@code probe} label a scan puts on
 * every piece), and, for any execution, the controls of its orchestrator type (the attack), of its
 * converters' categories, and of each prompt's own harm categories (frozen with the execution's
 * prompts; its dataset's for an execution that froze none). The outcomes come counted from
 * memory ({@code memory/ScanStore}), a person's verdict winning over the automatic one.
 *
 * <p>Status: {@code failing} when any result attack-succeeded; {@code passing} when tested with at
 * least {@code minJudged} judged results (succeeded + held) and no success; else
 * {@code not_tested}, with the reason (nothing sent, or too few judged results).
 */
public final class Compliance {

  public static final String FAILING = "failing";
  public static final String PASSING = "passing";
  public static final String NOT_TESTED = "not_tested";

  /** Per control, what the report accumulates. */
  private static final class Tally {
    final Set<String> probes = new LinkedHashSet<>();
    final Set<String> attacks = new LinkedHashSet<>();
    final Set<String> converterCategories = new LinkedHashSet<>();
    final Set<String> harmCategories = new LinkedHashSet<>();
    long prompts;
    long succeeded;
    long held;
    long error;
    long unscored;
    final Map<String, JsonArray> evidence = new LinkedHashMap<>();
    /** One answer where the attack got through (model output: escape wherever shown). */
    String example;
  }

  private Compliance() {}

  /**
   * The report over {@code rows} ({@code {"executions": [...]}} as memory answers them).
   *
   * @param subject          what the report is of: {@code {"kind": "execution"|"scan", "id", "name"?}}
   * @param converterCategory a converter type's category (null when unknown)
   * @param minJudged        judged results a control needs to pass
   */
  public static JsonObject report(JsonObject subject, JsonObject rows, Function<String, String> converterCategory, int minJudged) {
    Standards table = Standards.table();
    Map<String, Tally> tallies = new LinkedHashMap<>();
    JsonArray executions = new JsonArray();
    for (Object e : rows.getJsonArray("executions", new JsonArray())) {
      JsonObject ex = (JsonObject) e;
      String executionId = ex.getString("id");
      String attack = ex.getString("orchestrator_type");
      List<String> categories = new ArrayList<>();
      for (Object t : ex.getJsonArray("converter_types", new JsonArray())) {
        String cat = converterCategory.apply((String) t);
        if (cat != null && !categories.contains(cat)) {
          categories.add(cat);
        }
      }
      List<String> harms = new ArrayList<>();
      ex.getJsonArray("harm_categories", new JsonArray()).forEach(h -> harms.add((String) h));
      executions.add(new JsonObject().put("id", executionId).put("status", ex.getString("status")).put("orchestrator_type", attack)
          .put("converter_categories", new JsonArray(categories)).put("harm_categories", new JsonArray(harms)));
      for (Object g : ex.getJsonArray("probes", new JsonArray())) {
        JsonObject group = (JsonObject) g;
        String probeId = group.getString("probe", "");
        Probe probe = !probeId.isEmpty() && Probes.has(probeId) ? Probes.get(probeId) : null;
        // each control this group tested, with why (a probe, the attack, a converter category, a harm category)
        Map<String, List<String[]>> controls = new LinkedHashMap<>();
        if (probe != null) {
          table.known(probe.taxonomy()).forEach(k -> why(controls, k, "probe", probeId));
        }
        // another tool's probe (an imported garak probe, a promptfoo plugin): the controls its import mapped it to
        if (probe == null && !probeId.isEmpty()) {
          importedControls(ex, probeId).forEach(k -> why(controls, k, "probe", probeId));
        }
        if (attack != null) {
          table.forAttack(attack).forEach(k -> why(controls, k, "attack", attack));
        }
        for (String cat : categories) {
          table.forConverterCategory(cat).forEach(k -> why(controls, k, "converter", cat));
        }
        // a group's prompts are credited with their own harm categories; the dataset's only where none were frozen
        List<String> groupHarms = new ArrayList<>();
        group.getJsonArray("harm_categories", new JsonArray(harms)).forEach(h -> groupHarms.add(String.valueOf(h)));
        for (String harm : groupHarms) {
          table.forHarmCategory(harm).forEach(k -> why(controls, k, "harm", harm));
        }
        for (Map.Entry<String, List<String[]>> c : controls.entrySet()) {
          Tally t = tallies.computeIfAbsent(c.getKey(), k -> new Tally());
          for (String[] reason : c.getValue()) {
            switch (reason[0]) {
              case "probe" -> t.probes.add(reason[1]);
              case "attack" -> t.attacks.add(reason[1]);
              case "converter" -> t.converterCategories.add(reason[1]);
              default -> t.harmCategories.add(reason[1]);
            }
          }
          t.prompts += group.getLong("prompts", 0L);
          t.succeeded += group.getLong("attack_succeeded", 0L);
          t.held += group.getLong("held", 0L);
          t.error += group.getLong("error", 0L);
          t.unscored += group.getLong("unscored", 0L);
          if (t.example == null) {
            t.example = group.getString("example_answer");
          }
          JsonArray conversations = group.getJsonArray("evidence", new JsonArray());
          if (!conversations.isEmpty()) {
            JsonArray list = t.evidence.computeIfAbsent(executionId, k -> new JsonArray());
            conversations.forEach(conv -> {
              if (!list.contains(conv)) {
                list.add(conv);
              }
            });
          }
        }
      }
    }
    JsonArray frameworks = new JsonArray();
    JsonObject totals = new JsonObject().put(FAILING, 0).put(PASSING, 0).put(NOT_TESTED, 0);
    for (Standards.Framework f : table.frameworks()) {
      JsonArray controls = new JsonArray();
      JsonObject counts = new JsonObject().put(FAILING, 0).put(PASSING, 0).put(NOT_TESTED, 0);
      for (Standards.Control c : f.controls()) {
        JsonObject control = control(c, tallies.get(c.key()), minJudged);
        String status = control.getString("status");
        counts.put(status, counts.getInteger(status) + 1);
        totals.put(status, totals.getInteger(status) + 1);
        controls.add(control);
      }
      frameworks.add(new JsonObject().put("id", f.id()).put("name", f.name()).put("version", f.version()).put("url", f.url())
          .put("counts", counts).put("controls", controls));
    }
    return new JsonObject().put("subject", subject).put("min_judged", minJudged).put("counts", totals)
        .put("executions", executions).put("frameworks", frameworks);
  }

  /**
   * The controls an imported execution's labels map a probe to ({@code labels.standards}: probe to
   * control ids, written by the garak and promptfoo importers), those in the table only.
   */
  static List<String> importedControls(JsonObject execution, String probeId) {
    Object labels = execution.getValue("labels");
    JsonObject l = labels instanceof JsonObject o ? o : labels instanceof String text && text.startsWith("{") ? new JsonObject(text) : null;
    if (l == null || !(l.getValue("standards") instanceof JsonObject standards)
        || !(standards.getValue(probeId) instanceof JsonArray ids)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    ids.forEach(id -> out.add(String.valueOf(id)));
    return Standards.table().known(out);
  }

  private static void why(Map<String, List<String[]>> controls, String key, String kind, String name) {
    controls.computeIfAbsent(key, k -> new ArrayList<>()).add(new String[] {kind, name});
  }

  private static JsonObject control(Standards.Control c, Tally t, int minJudged) {
    JsonObject out = new JsonObject().put("id", c.id()).put("key", c.key()).put("name", c.name());
    if (t == null) {
      return out.put("status", NOT_TESTED).put("reason", "no probe, attack, converter or harm category of this report tests it")
          .put("prompts", 0).put("outcomes", outcomes(0, 0, 0, 0)).put("attack_success_rate", Proportion.of(0, 0).toJson())
          .put("tested_by", testedBy(new Tally())).put("evidence", new JsonArray());
    }
    long judged = t.succeeded + t.held;
    String status;
    String reason = null;
    if (t.succeeded > 0) {
      status = FAILING;
    } else if (judged >= minJudged && judged > 0) {
      status = PASSING;
    } else {
      status = NOT_TESTED;
      reason = "too few judged results: " + judged + " of at least " + Math.max(1, minJudged);
    }
    JsonArray evidence = new JsonArray();
    t.evidence.forEach((execution, conversations) -> evidence.add(new JsonObject().put("execution_id", execution)
        .put("conversation_ids", conversations)));
    out.put("status", status);
    if (reason != null) {
      out.put("reason", reason);
    }
    return out.put("prompts", t.prompts).put("outcomes", outcomes(t.succeeded, t.held, t.error, t.unscored))
        .put("attack_success_rate", Proportion.of(t.succeeded, judged).toJson()).put("tested_by", testedBy(t)).put("evidence", evidence)
        .put("example_answer", t.example);
  }

  private static JsonObject outcomes(long succeeded, long held, long error, long unscored) {
    return new JsonObject().put("attack_succeeded", succeeded).put("held", held).put("error", error).put("unscored", unscored);
  }

  private static JsonObject testedBy(Tally t) {
    return new JsonObject().put("probes", new JsonArray(new ArrayList<>(t.probes))).put("attacks", new JsonArray(new ArrayList<>(t.attacks)))
        .put("converter_categories", new JsonArray(new ArrayList<>(t.converterCategories)))
        .put("harm_categories", new JsonArray(new ArrayList<>(t.harmCategories)));
  }
}
