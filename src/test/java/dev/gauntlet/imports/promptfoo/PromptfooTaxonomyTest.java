package dev.gauntlet.imports.promptfoo;

import dev.gauntlet.standards.Standards;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptfooTaxonomyTest {

  @Test
  void everyMappedControlIsInTheStandardsTable() {
    for (String id : PromptfooTaxonomy.mapped()) {
      assertTrue(Standards.table().has(id), id);
    }
  }

  @Test
  void aPluginAndItsStrategyMapTogetherAndFamiliesCoverTheirMembers() {
    assertEquals(List.of("owasp_llm:LLM01", "mitre_atlas:AML.T0051.001", "mitre_atlas:AML.T0068"),
        PromptfooTaxonomy.controls("indirect-prompt-injection", "base64"));
    assertEquals(List.of("nist_ai_600_1:harmful_bias"), PromptfooTaxonomy.controls("bias:gender", "basic"));
    assertEquals(List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:cbrn"), PromptfooTaxonomy.controls("harmful:chemical-biological-weapons", null));
    assertEquals(List.of("mitre_atlas:AML.T0048", "nist_ai_600_1:dangerous_content"), PromptfooTaxonomy.controls("harmful:violent-crime", null));
    assertEquals(List.of("mitre_atlas:AML.T0054"), PromptfooTaxonomy.controls(null, "jailbreak:tree"));
    assertEquals(List.of(), PromptfooTaxonomy.controls("competitors", "basic"));
  }
}
