package dev.gauntlet.probe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;

/** The detectors probes share, so each probe's file says only which ones it wants. */
final class Detect {

  static final String REFUSED = "refused";

  private Detect() {}

  /** The member behind {@link #complied()}: true when the model refused. */
  static Detector refused() {
    return new Detector(REFUSED, "refusal", new JsonObject());
  }

  /** True when the model did not refuse: the attack got an answer. Needs {@link #refused()} as a member. */
  static Detector complied() {
    return new Detector("complied (did not refuse)", "inverter",
        new JsonObject().put("scorer_id", Detector.ref(REFUSED)).put("category", "complied"));
  }

  /** The harm rubric judge of one harm category; the judge generator is picked at run time. */
  static Detector harm(String category) {
    return new Detector("harm rubric: " + category, "harm_rubric", new JsonObject().put("category", category));
  }

  /** A true/false judge; the judge generator is picked at run time. */
  static Detector judge(String name, String trueDescription, String category) {
    return new Detector(name, "self_ask_true_false",
        new JsonObject().put("true_description", trueDescription).put("category", category));
  }

  static Detector substring(String name, Collection<String> values, String category) {
    return new Detector(name, "substring", new JsonObject().put("substrings", new JsonArray(values.stream().toList()))
        .put("category", category));
  }

  static Detector regex(String name, String pattern, String category) {
    return new Detector(name, "regex", new JsonObject().put("pattern", pattern).put("category", category));
  }

  static Detector patterns(String name, String... packs) {
    return new Detector(name, "pattern_pack", new JsonObject().put("packs", new JsonArray(java.util.List.of(packs))));
  }

  static Detector canary(String canary) {
    return new Detector("canary leaked", "canary_leak", new JsonObject().put("canary", canary));
  }

  static Detector rogue(String rogue) {
    return new Detector("rogue string printed", "rogue_string", new JsonObject().put("rogue_string", rogue));
  }

  static Detector decoded(Collection<String> payloads) {
    return new Detector("decoded payload followed", "decoded_payload", new JsonObject().put("payloads",
        new JsonArray(payloads.stream().toList())));
  }

  static Detector packages(String ecosystem) {
    return new Detector("hallucinated " + ecosystem + " package", "package_hallucination",
        new JsonObject().put("ecosystem", ecosystem));
  }

  /** A call of a forbidden tool, among the calls the target returned. */
  static Detector toolCalled(Collection<String> forbidden) {
    return new Detector("forbidden tool called", "tool_call", new JsonObject()
        .put("forbidden_tools", new JsonArray(forbidden.stream().toList())).put("category", "tool_call"));
  }

  static Detector inverted(String name, String member, String category) {
    return new Detector(name, "inverter", new JsonObject().put("scorer_id", Detector.ref(member)).put("category", category));
  }
}
