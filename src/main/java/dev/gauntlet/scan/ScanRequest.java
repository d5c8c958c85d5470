package dev.gauntlet.scan;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.orchestrator.Orchestrators;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.Probes;
import dev.gauntlet.standards.Standards;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user asks a scan to run, checked: probes (hand-picked, or a preset), generators,
 * attack strategies (orchestrator types), converter chains, a count per probe and a seed. Every
 * fault is a 400 naming the field. Which generators and converters exist is checked against the
 * caller's memory by the operation, not here.
 */
public record ScanRequest(String name, List<Probe> probes, Map<String, Integer> counts, List<String> generatorIds,
                          List<String> strategies, List<List<String>> chains, long seed, int answerTokens,
                          String attackerGeneratorId, String judgeGeneratorId, JsonObject prices) {

  public static final List<String> PRESETS = List.of("owasp_llm_top10", "quick", "full");
  /** Probes a quick scan takes, and prompts from each. */
  static final int QUICK_PROBES = 6;
  static final int QUICK_COUNT = 4;
  /** The most prompts one scan may plan, over every probe × generator × strategy × chain. */
  public static final int MAX_PROMPTS = 200_000;

  public static ScanRequest parse(JsonObject a) {
    String preset = a.getString("preset");
    Object probeIds = a.getValue("probes");
    if ((preset == null) == (probeIds == null)) {
      throw Problem.badRequest("invalid_field", "give either 'preset' (" + String.join(", ", PRESETS) + ") or 'probes' (probe ids)");
    }
    List<Probe> probes = preset != null ? preset(preset) : picked(probeIds);
    Integer count = a.getInteger("count");
    if (count != null && count < 1) {
      throw Problem.badRequest("invalid_field", "'count' must be at least 1");
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Probe p : probes) {
      int n = count != null ? count : "quick".equals(preset) ? Math.min(QUICK_COUNT, p.defaultCount()) : p.defaultCount();
      counts.put(p.id(), Math.min(n, p.maxCount()));
    }
    List<String> generators = strings(a, "generator_ids", true);
    List<String> strategies = a.getValue("strategies") == null ? List.of("prompt_sending") : strings(a, "strategies", true);
    String attacker = a.getString("attacker_generator_id");
    for (String s : strategies) {
      if (!Orchestrators.catalog().has(s)) {
        throw Problem.badRequest("unknown_strategy", "strategies: no orchestrator type '" + s + "'");
      }
      if (multiTurn(s) && attacker == null) {
        throw Problem.badRequest("invalid_field", "strategy '" + s + "' is multi-turn: give 'attacker_generator_id'");
      }
    }
    List<List<String>> chains = new ArrayList<>();
    Object rawChains = a.getValue("converter_chains");
    if (rawChains == null) {
      chains.add(List.of());
    } else if (!(rawChains instanceof JsonArray arr) || arr.isEmpty()) {
      throw Problem.badRequest("invalid_field", "'converter_chains' must be a non-empty array of {\"converter_ids\": [...]}");
    } else {
      for (int i = 0; i < arr.size(); i++) {
        if (!(arr.getValue(i) instanceof JsonObject chain) || !(chain.getValue("converter_ids", new JsonArray()) instanceof JsonArray ids)
            || !ids.stream().allMatch(x -> x instanceof String)) {
          throw Problem.badRequest("invalid_field", "converter_chains[" + i + "] must be {\"converter_ids\": [converter ids]}");
        }
        chains.add(ids.stream().map(Object::toString).toList());
      }
    }
    Object prices = a.getValue("prices");
    if (prices != null && !(prices instanceof JsonObject)) {
      throw Problem.badRequest("invalid_field", "'prices' must be an object: generator id -> {price_per_1k_input_tokens, price_per_1k_output_tokens}");
    }
    long seed = a.getValue("seed") instanceof Number n ? n.longValue() : 0L;
    int answerTokens = a.getInteger("answer_tokens", 256);
    String name = a.getString("name");
    ScanRequest r = new ScanRequest(name == null || name.isBlank() ? (preset != null ? preset : "scan") : name, probes, counts, generators,
        strategies, chains, seed, answerTokens, attacker, a.getString("judge_generator_id"),
        prices == null ? new JsonObject() : (JsonObject) prices);
    long total = (long) counts.values().stream().mapToInt(Integer::intValue).sum() * generators.size() * strategies.size() * chains.size();
    if (total > MAX_PROMPTS) {
      throw Problem.badRequest("scan_too_large", "this scan would send " + total + " prompts; at most " + MAX_PROMPTS);
    }
    return r;
  }

  /** Whether an orchestrator type converses over several turns (its catalog category). */
  public static boolean multiTurn(String type) {
    if (!Orchestrators.catalog().has(type)) {
      return false;
    }
    TypeSpec<?> spec = Orchestrators.catalog().get(type);
    return spec.category() != null && spec.category().startsWith("multi");
  }

  /** The probes of a preset. */
  static List<Probe> preset(String preset) {
    List<Probe> all = new ArrayList<>(Probes.all());
    return switch (preset) {
      case "full" -> all;
      case "owasp_llm_top10" -> {
        // every probe that tests some OWASP LLM control, so each control any probe covers is covered
        List<Probe> out = new ArrayList<>();
        for (Probe p : all) {
          if (p.taxonomy().stream().anyMatch(t -> t.startsWith("owasp_llm:") && Standards.table().has(t))) {
            out.add(p);
          }
        }
        yield out;
      }
      case "quick" -> {
        // one probe per family, the first few families: a handful of prompts that touch different weaknesses
        List<Probe> out = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (Probe p : all) {
          if (out.size() < QUICK_PROBES && !families.contains(p.family())) {
            families.add(p.family());
            out.add(p);
          }
        }
        yield out;
      }
      default -> throw Problem.badRequest("unknown_preset", "preset must be one of " + String.join(", ", PRESETS) + ", not '" + preset + "'");
    };
  }

  private static List<Probe> picked(Object ids) {
    if (!(ids instanceof JsonArray arr) || arr.isEmpty() || !arr.stream().allMatch(x -> x instanceof String)) {
      throw Problem.badRequest("invalid_field", "'probes' must be a non-empty array of probe ids");
    }
    List<Probe> out = new ArrayList<>();
    for (Object id : arr) {
      if (!Probes.has((String) id)) {
        throw Problem.badRequest("unknown_probe", "probes: no probe '" + id + "'");
      }
      Probe p = Probes.get((String) id);
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static List<String> strings(JsonObject a, String field, boolean required) {
    Object v = a.getValue(field);
    if (!(v instanceof JsonArray arr) || (required && arr.isEmpty()) || !arr.stream().allMatch(x -> x instanceof String s && !s.isEmpty())) {
      throw Problem.badRequest("invalid_field", "'" + field + "' must be a non-empty array of ids");
    }
    return arr.stream().map(Object::toString).distinct().toList();
  }
}
