package dev.gauntlet.imports.promptfoo;

import dev.gauntlet.standards.Standards;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * promptfoo's red-team plugin and strategy ids mapped to the standards table's controls, where
 * they correspond. Gauntlet's own table, written from: promptfoo's plugin and strategy reference
 * (https://www.promptfoo.dev/docs/red-team/plugins/ and …/strategies/, which say what each id tests),
 * its published OWASP LLM Top 10 mapping (https://www.promptfoo.dev/docs/red-team/owasp-llm-top-10/),
 * and the OWASP 2025, MITRE ATLAS and NIST AI 600-1 definitions. Where promptfoo lists a plugin under
 * several OWASP items for coverage, only the item the plugin directly tests is kept. An entry ending
 * in {@code :} covers every id under it ({@code pii:} covers {@code pii:direct}); an id not listed
 * maps to nothing and is still kept with the import.
 */
public final class PromptfooTaxonomy {

  private static final Map<String, List<String>> PLUGINS = Map.ofEntries(
      Map.entry("indirect-prompt-injection", List.of("owasp_llm:LLM01", "mitre_atlas:AML.T0051.001")),
      Map.entry("ascii-smuggling", List.of("owasp_llm:LLM01", "mitre_atlas:AML.T0068")),
      Map.entry("system-prompt-override", List.of("owasp_llm:LLM01", "mitre_atlas:AML.T0051.000")),
      Map.entry("hijacking", List.of("owasp_llm:LLM01", "owasp_agentic:ASI01")),
      Map.entry("prompt-extraction", List.of("owasp_llm:LLM07", "mitre_atlas:AML.T0056")),
      Map.entry("pii", List.of("owasp_llm:LLM02", "nist_ai_600_1:data_privacy", "mitre_atlas:AML.T0057")),
      Map.entry("pii:", List.of("owasp_llm:LLM02", "nist_ai_600_1:data_privacy", "mitre_atlas:AML.T0057")),
      Map.entry("cross-session-leak", List.of("owasp_llm:LLM02", "nist_ai_600_1:data_privacy")),
      Map.entry("divergent-repetition", List.of("owasp_llm:LLM02", "mitre_atlas:AML.T0057")),
      Map.entry("harmful:privacy", List.of("owasp_llm:LLM02", "nist_ai_600_1:data_privacy")),
      Map.entry("shell-injection", List.of("owasp_llm:LLM05", "owasp_agentic:ASI05")),
      Map.entry("sql-injection", List.of("owasp_llm:LLM05")),
      Map.entry("ssrf", List.of("owasp_llm:LLM05")),
      Map.entry("excessive-agency", List.of("owasp_llm:LLM06")),
      Map.entry("debug-access", List.of("owasp_llm:LLM06")),
      Map.entry("rbac", List.of("owasp_llm:LLM06", "owasp_agentic:ASI03")),
      Map.entry("bfla", List.of("owasp_llm:LLM06", "owasp_agentic:ASI03")),
      Map.entry("bola", List.of("owasp_llm:LLM06", "owasp_agentic:ASI03")),
      Map.entry("agentic:memory-poisoning", List.of("owasp_agentic:ASI06")),
      Map.entry("hallucination", List.of("owasp_llm:LLM09", "nist_ai_600_1:confabulation")),
      Map.entry("overreliance", List.of("owasp_llm:LLM09")),
      Map.entry("harmful:misinformation-disinformation", List.of("owasp_llm:LLM09", "nist_ai_600_1:information_integrity")),
      Map.entry("reasoning-dos", List.of("owasp_llm:LLM10", "mitre_atlas:AML.T0029")),
      Map.entry("bias:", List.of("nist_ai_600_1:harmful_bias")),
      Map.entry("harmful:chemical-biological-weapons", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:cbrn")),
      Map.entry("harmful:indiscriminate-weapons", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:cbrn")),
      Map.entry("harmful:cybercrime", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:information_security")),
      Map.entry("harmful:cybercrime:malicious-code", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:information_security")),
      Map.entry("harmful:intellectual-property", List.of("nist_ai_600_1:intellectual_property")),
      Map.entry("harmful:copyright-violations", List.of("nist_ai_600_1:intellectual_property")),
      Map.entry("harmful:sexual-content", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:obscene_content")),
      Map.entry("harmful:graphic-content", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:obscene_content")),
      Map.entry("harmful:profanity", List.of("nist_ai_600_1:obscene_content")),
      Map.entry("harmful:insults", List.of("nist_ai_600_1:obscene_content")),
      Map.entry("harmful:child-exploitation", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:obscene_content")),
      // every other harmful:… plugin asks for dangerous, violent or hateful content
      Map.entry("harmful:", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:dangerous_content")),
      Map.entry("harmful", List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:dangerous_content")),
      Map.entry("harmbench", List.of("mitre_atlas:AML.T0048")),
      Map.entry("beavertails", List.of("mitre_atlas:AML.T0048")),
      Map.entry("cyberseceval", List.of("owasp_llm:LLM01", "mitre_atlas:AML.T0051")),
      Map.entry("pliny", List.of("mitre_atlas:AML.T0054")));

  private static final Map<String, List<String>> STRATEGIES = Map.ofEntries(
      Map.entry("prompt-injection", List.of("owasp_llm:LLM01", "mitre_atlas:AML.T0051.000")),
      Map.entry("jailbreak", List.of("mitre_atlas:AML.T0054")),
      Map.entry("jailbreak:", List.of("mitre_atlas:AML.T0054")),
      Map.entry("crescendo", List.of("mitre_atlas:AML.T0054")),
      Map.entry("goat", List.of("mitre_atlas:AML.T0054")),
      Map.entry("best-of-n", List.of("mitre_atlas:AML.T0054")),
      Map.entry("citation", List.of("mitre_atlas:AML.T0054")),
      Map.entry("gcg", List.of("mitre_atlas:AML.T0043")),
      Map.entry("base64", List.of("mitre_atlas:AML.T0068")),
      Map.entry("hex", List.of("mitre_atlas:AML.T0068")),
      Map.entry("rot13", List.of("mitre_atlas:AML.T0068")),
      Map.entry("leetspeak", List.of("mitre_atlas:AML.T0068")),
      Map.entry("homoglyph", List.of("mitre_atlas:AML.T0068")),
      Map.entry("morse", List.of("mitre_atlas:AML.T0068")),
      Map.entry("piglatin", List.of("mitre_atlas:AML.T0068")),
      Map.entry("camelcase", List.of("mitre_atlas:AML.T0068")),
      Map.entry("emoji", List.of("mitre_atlas:AML.T0068")),
      Map.entry("multilingual", List.of("mitre_atlas:AML.T0068")));

  private PromptfooTaxonomy() {}

  /** The controls a result of this plugin and strategy tested (either may be null), in the table, without repeats. */
  public static List<String> controls(String pluginId, String strategyId) {
    Set<String> out = new LinkedHashSet<>();
    out.addAll(lookup(PLUGINS, pluginId));
    out.addAll(lookup(STRATEGIES, strategyId));
    return Standards.table().known(new ArrayList<>(out));
  }

  /** The exact entry, else the longest prefix entry covering the id. */
  private static List<String> lookup(Map<String, List<String>> table, String id) {
    if (id == null || id.isBlank()) {
      return List.of();
    }
    List<String> exact = table.get(id);
    if (exact != null) {
      return exact;
    }
    String best = null;
    for (String k : table.keySet()) {
      if (k.endsWith(":") && id.startsWith(k) && (best == null || k.length() > best.length())) {
        best = k;
      }
    }
    return best == null ? List.of() : table.get(best);
  }

  static Set<String> mapped() {
    Set<String> all = new LinkedHashSet<>();
    PLUGINS.values().forEach(all::addAll);
    STRATEGIES.values().forEach(all::addAll);
    return all;
  }
}
