package dev.gauntlet.probe;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The standards' control ids a probe may name ({@code framework:control}). Kept here until the
 * standards table replaces it; the probe catalog's test refuses any id not in this list.
 */
public final class TaxonomyIds {

  public static final Set<String> ALL = build();

  private TaxonomyIds() {}

  public static boolean known(String id) {
    return ALL.contains(id);
  }

  private static Set<String> build() {
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 1; i <= 10; i++) {
      ids.add("owasp_llm:LLM%02d".formatted(i));
      ids.add("owasp_agentic:ASI%02d".formatted(i));
    }
    for (String t : new String[] {"AML.T0051", "AML.T0051.000", "AML.T0051.001", "AML.T0054", "AML.T0056", "AML.T0057", "AML.T0048",
        "AML.T0053", "AML.T0029", "AML.T0062", "AML.T0060", "AML.T0068", "AML.T0065", "AML.T0043"}) {
      ids.add("mitre_atlas:" + t);
    }
    for (String r : new String[] {"cbrn", "confabulation", "dangerous_content", "data_privacy", "environmental", "harmful_bias",
        "human_ai_configuration", "information_integrity", "information_security", "intellectual_property", "obscene_content",
        "value_chain"}) {
      ids.add("nist_ai_600_1:" + r);
    }
    for (String a : new String[] {"art5", "art9", "art10", "art13", "art14", "art15", "art50", "art55"}) {
      ids.add("eu_ai_act:" + a);
    }
    return Set.copyOf(ids);
  }
}
