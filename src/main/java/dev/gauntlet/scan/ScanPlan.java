package dev.gauntlet.scan;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.orchestrator.Orchestrators;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.standards.Standards;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a scan will send, before anything is: per probe × generator × strategy × converter chain,
 * the prompts, the requests to the target (single-turn: one per prompt, two with a priming turn;
 * multi-turn: up to {@code max_turns} per objective, said as "up to"), an estimate of tokens
 * (prompt characters ÷ 4 in, {@code answer_tokens} out per request) and of cost from the
 * generator's prices, and the controls of the standards table the scan covers.
 */
public final class ScanPlan {

  public static final String PRICE_IN = "price_per_1k_input_tokens";
  public static final String PRICE_OUT = "price_per_1k_output_tokens";

  private ScanPlan() {}

  /** The plan of {@code r} against {@code generators} (id → stored configuration: name, type, parameters). */
  public static JsonObject of(ScanRequest r, Map<String, JsonObject> generators) {
    JsonArray items = new JsonArray();
    long prompts = 0;
    long requests = 0;
    long tokensIn = 0;
    long tokensOut = 0;
    double cost = 0;
    boolean costKnown = true;
    boolean upTo = false;
    Set<String> controls = new LinkedHashSet<>();
    for (Probe probe : r.probes()) {
      int count = r.counts().get(probe.id());
      List<SeedPrompt> generated = probe.prompts(count, r.seed());
      long chars = 0;
      for (SeedPrompt p : generated) {
        chars += p.value().length();
      }
      controls.addAll(Standards.table().known(probe.taxonomy()));
      for (String generatorId : r.generatorIds()) {
        JsonObject generator = generators.get(generatorId);
        double[] price = price(generator, r.prices().getJsonObject(generatorId));
        for (String strategy : r.strategies()) {
          controls.addAll(Standards.table().forAttack(strategy));
          boolean multi = ScanRequest.multiTurn(strategy);
          int perPrompt = multi ? maxTurns(strategy) : "skeleton_key".equals(strategy) ? 2 : 1;
          for (List<String> chain : r.chains()) {
            long n = generated.size();
            long req = n * perPrompt;
            // a request carries its prompt; later turns of a conversation carry the turns before too, ignored here
            long in = (chars + 3) / 4 * perPrompt;
            long out = req * r.answerTokens();
            JsonObject item = new JsonObject().put("probe", probe.id()).put("generator_id", generatorId)
                .put("generator", generator == null ? null : generator.getString("name")).put("strategy", strategy)
                .put("converter_ids", new JsonArray(chain)).put("prompts", n).put("requests", req).put("requests_up_to", multi)
                .put("input_tokens", in).put("output_tokens", out);
            if (price == null) {
              item.put("cost", "unknown");
              costKnown = false;
            } else {
              double c = in / 1000.0 * price[0] + out / 1000.0 * price[1];
              item.put("cost", round(c));
              cost += c;
            }
            items.add(item);
            prompts += n;
            requests += req;
            tokensIn += in;
            tokensOut += out;
            upTo |= multi;
          }
        }
      }
    }
    JsonObject coverage = new JsonObject();
    for (Standards.Framework f : Standards.table().frameworks()) {
      JsonArray ids = new JsonArray();
      f.controls().stream().filter(c -> controls.contains(c.key())).forEach(c -> ids.add(c.id()));
      coverage.put(f.id(), ids);
    }
    return new JsonObject().put("items", items).put("totals", new JsonObject().put("prompts", prompts).put("requests", requests)
            .put("requests_up_to", upTo).put("input_tokens", tokensIn).put("output_tokens", tokensOut)
            .put("cost", costKnown ? round(cost) : "unknown"))
        .put("answer_tokens", r.answerTokens()).put("controls", new JsonArray(List.copyOf(controls))).put("coverage", coverage)
        .put("note", "tokens are estimated as prompt characters / 4 plus answer_tokens per request; converters, many-shot framing, "
            + "LLM converters' and judges' own requests are not counted");
  }

  /** Input and output price per 1,000 tokens: the generator's own parameters, else the scan's {@code prices}; null when neither. */
  static double[] price(JsonObject generator, JsonObject given) {
    JsonObject params = generator == null ? new JsonObject() : generator.getJsonObject("parameters", new JsonObject());
    for (JsonObject source : new JsonObject[] {params, given}) {
      if (source != null && source.getValue(PRICE_IN) instanceof Number in && source.getValue(PRICE_OUT) instanceof Number out) {
        return new double[] {in.doubleValue(), out.doubleValue()};
      }
    }
    return null;
  }

  private static int maxTurns(String strategy) {
    for (Param p : Orchestrators.catalog().get(strategy).schema().params()) {
      if (p.name().equals("max_turns") && p.defaultValue() instanceof Number n) {
        return n.intValue();
      }
    }
    return 1;
  }

  private static double round(double v) {
    return Math.round(v * 1_000_000) / 1_000_000.0;
  }
}
