package dev.gauntlet.imports.garak;

import dev.gauntlet.standards.Standards;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GarakTagsTest {

  @Test
  void everyMappedControlIsInTheStandardsTable() {
    for (String id : GarakTags.mapped()) {
      assertTrue(Standards.table().has(id), id);
    }
  }

  @Test
  void garaksOwasp2023NumbersAreRenumberedToThe2025List() {
    assertEquals(List.of("owasp_llm:LLM01"), GarakTags.controls(List.of("owasp:llm01")));
    assertEquals(List.of("owasp_llm:LLM05"), GarakTags.controls(List.of("owasp:llm02")), "2023 LLM02 Insecure Output Handling");
    assertEquals(List.of("owasp_llm:LLM02"), GarakTags.controls(List.of("owasp:llm06")), "2023 LLM06 Sensitive Information Disclosure");
    assertEquals(List.of(), GarakTags.controls(List.of("owasp:llm07", "owasp:llm10")), "no 2025 counterpart");
  }

  @Test
  void aDanProbesTagsMapToPromptInjectionJailbreakAndAdversarialData() {
    assertEquals(List.of("mitre_atlas:AML.T0043", "owasp_llm:LLM01", "mitre_atlas:AML.T0054"),
        GarakTags.controls(List.of("avid-effect:security:S0403", "owasp:llm01", "quality:Security:PromptStability", "payload:jailbreak")));
  }

  @Test
  void aMoreSpecificTagTakesItsFamilysControlsAndUnknownTagsNone() {
    assertEquals(List.of("owasp_llm:LLM05"), GarakTags.controls(List.of("payload:malicious:renderer:xss")));
    assertEquals(List.of("mitre_atlas:AML.T0068"), GarakTags.controls(List.of("demon:Language:Code_and_encode:Token")));
    assertEquals(List.of(), GarakTags.controls(List.of("risk-cards:lmrc:profanity", "made:up")));
  }
}
