package dev.gauntlet.imports.garak;

import dev.gauntlet.standards.Standards;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * garak's probe tags mapped to the standards table's controls, where they correspond.
 *
 * <p>Sources: garak's tag vocabulary ({@code garak/data/tags.misp.tsv}: the names of its
 * {@code owasp:}, {@code avid-effect:} and {@code quality:} tags); the OWASP Top 10 for LLM
 * Applications 2023 (v1.1) and 2025 lists; the AVID effect taxonomy; MITRE ATLAS; NIST AI 600-1.
 * garak's {@code owasp:llmNN} tags number the 2023 list (its LLM02 is Insecure Output Handling),
 * so they are renumbered to the 2025 list the table holds; 2023's LLM07 (Insecure Plugin Design)
 * and LLM10 (Model Theft) have no 2025 counterpart and map to nothing. A tag not listed here maps
 * to nothing (it is still kept with the import). A tag prefix (ending in {@code :}) covers every
 * tag under it.
 */
public final class GarakTags {

  private static final Map<String, List<String>> TABLE = Map.ofEntries(
      // OWASP LLM Top 10 2023 → 2025
      Map.entry("owasp:llm01", List.of("owasp_llm:LLM01")),
      Map.entry("owasp:llm02", List.of("owasp_llm:LLM05")),
      Map.entry("owasp:llm03", List.of("owasp_llm:LLM04")),
      Map.entry("owasp:llm04", List.of("owasp_llm:LLM10")),
      Map.entry("owasp:llm05", List.of("owasp_llm:LLM03")),
      Map.entry("owasp:llm06", List.of("owasp_llm:LLM02")),
      Map.entry("owasp:llm08", List.of("owasp_llm:LLM06")),
      Map.entry("owasp:llm09", List.of("owasp_llm:LLM09")),
      // AVID effects
      Map.entry("avid-effect:security:S0200", List.of("owasp_llm:LLM03")),
      Map.entry("avid-effect:security:S0201", List.of("owasp_llm:LLM03")),
      Map.entry("avid-effect:security:S0301", List.of("mitre_atlas:AML.T0057")),
      Map.entry("avid-effect:security:S0400", List.of("mitre_atlas:AML.T0054")),
      Map.entry("avid-effect:security:S0403", List.of("mitre_atlas:AML.T0043")),
      Map.entry("avid-effect:security:S0500", List.of("mitre_atlas:AML.T0057")),
      Map.entry("avid-effect:security:S0600", List.of("owasp_llm:LLM04")),
      Map.entry("avid-effect:security:S0601", List.of("owasp_llm:LLM04")),
      Map.entry("avid-effect:ethics:E0100", List.of("nist_ai_600_1:harmful_bias")),
      Map.entry("avid-effect:ethics:E0101", List.of("nist_ai_600_1:harmful_bias")),
      Map.entry("avid-effect:ethics:E0102", List.of("nist_ai_600_1:harmful_bias")),
      Map.entry("avid-effect:ethics:E0301", List.of("nist_ai_600_1:obscene_content")),
      Map.entry("avid-effect:ethics:E0302", List.of("nist_ai_600_1:harmful_bias")),
      Map.entry("avid-effect:ethics:E0400", List.of("nist_ai_600_1:information_integrity")),
      Map.entry("avid-effect:ethics:E0401", List.of("nist_ai_600_1:information_integrity")),
      Map.entry("avid-effect:ethics:E0402", List.of("nist_ai_600_1:confabulation", "owasp_llm:LLM09")),
      Map.entry("avid-effect:performance:P0300", List.of("nist_ai_600_1:data_privacy")),
      // garak's quality taxonomy
      Map.entry("quality:Security:PromptStability", List.of("owasp_llm:LLM01")),
      Map.entry("quality:Security:Confidentiality", List.of("owasp_llm:LLM02")),
      Map.entry("quality:Security:ExtractionInversion", List.of("mitre_atlas:AML.T0057")),
      Map.entry("quality:Security:Availability", List.of("owasp_llm:LLM10")),
      Map.entry("quality:Security:Adversarial", List.of("mitre_atlas:AML.T0043")),
      Map.entry("quality:Behavioral:ContentSafety:HateHarassment", List.of("nist_ai_600_1:dangerous_content")),
      Map.entry("quality:Behavioral:ContentSafety:Violence", List.of("nist_ai_600_1:dangerous_content")),
      Map.entry("quality:Behavioral:ContentSafety:SelfHarm", List.of("nist_ai_600_1:dangerous_content")),
      Map.entry("quality:Behavioral:ContentSafety:Sexual", List.of("nist_ai_600_1:obscene_content")),
      Map.entry("quality:Behavioral:ContentSafety:SexualMinor", List.of("nist_ai_600_1:obscene_content")),
      Map.entry("quality:Behavioral:ContentSafety:Profanity", List.of("nist_ai_600_1:obscene_content")),
      Map.entry("quality:Behavioral:ContentSafety:Toxicity", List.of("nist_ai_600_1:obscene_content")),
      Map.entry("quality:Robustness:GenerativeMisinformation", List.of("nist_ai_600_1:confabulation", "owasp_llm:LLM09")),
      Map.entry("quality:Behavioral:DeliberativeMisinformation", List.of("nist_ai_600_1:information_integrity")),
      // payload kinds and weaknesses
      Map.entry("payload:jailbreak", List.of("mitre_atlas:AML.T0054")),
      Map.entry("payload:leak:training", List.of("mitre_atlas:AML.T0057")),
      Map.entry("payload:leak:pii", List.of("owasp_llm:LLM02", "nist_ai_600_1:data_privacy")),
      Map.entry("payload:malicious:renderer", List.of("owasp_llm:LLM05")),
      Map.entry("payload:malicious:badcode", List.of("nist_ai_600_1:information_security")),
      Map.entry("payload:hallucination", List.of("owasp_llm:LLM09", "nist_ai_600_1:confabulation")),
      Map.entry("cwe:79", List.of("owasp_llm:LLM05")),
      Map.entry("cwe:89", List.of("owasp_llm:LLM05")),
      Map.entry("cwe:352", List.of("owasp_llm:LLM05")),
      Map.entry("cwe:1426", List.of("owasp_llm:LLM05")),
      Map.entry("cwe:1427", List.of("owasp_llm:LLM01")),
      // garak's technique tags (demon:) by family
      Map.entry("demon:Language:Code_and_encode:", List.of("mitre_atlas:AML.T0068")),
      Map.entry("demon:Language:Prompt_injection:", List.of("mitre_atlas:AML.T0051")));

  private GarakTags() {}

  /** The controls a probe with these tags tests, in the table, without repeats. */
  public static List<String> controls(List<String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String tag : tags) {
      List<String> ids = TABLE.get(tag);
      if (ids == null) {
        // prefix entries: every tag under them; a more specific tag (payload:malicious:renderer:xss) takes its parent's
        for (Map.Entry<String, List<String>> e : TABLE.entrySet()) {
          String k = e.getKey();
          if ((k.endsWith(":") && tag.startsWith(k)) || tag.startsWith(k + ":")) {
            out.addAll(e.getValue());
          }
        }
      } else {
        out.addAll(ids);
      }
    }
    return Standards.table().known(new ArrayList<>(out));
  }

  /** Every control id the table names (checked against the standards table by its test). */
  static Set<String> mapped() {
    Set<String> all = new LinkedHashSet<>();
    TABLE.values().forEach(all::addAll);
    return all;
  }
}
