package dev.gauntlet.standards;

import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.Probes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardsTest {

  private final Standards table = Standards.table();

  @Test
  void everyProbesTaxonomyIdIsInTheTable() {
    assertFalse(Probes.all().isEmpty());
    for (Probe p : Probes.all()) {
      assertFalse(p.taxonomy().isEmpty(), p.id() + " carries no taxonomy ids");
      for (String id : p.taxonomy()) {
        assertTrue(table.has(id), "probe " + p.id() + " names '" + id + "', which the standards table does not hold");
      }
    }
  }

  @Test
  void theTableHoldsEachFrameworksControlsAsPublished() {
    assertEquals(List.of("owasp_llm", "owasp_agentic", "mitre_atlas", "nist_ai_600_1", "eu_ai_act"),
        table.frameworks().stream().map(Standards.Framework::id).toList());
    assertEquals(10, table.framework("owasp_llm").controls().size());
    assertEquals("System Prompt Leakage", table.control("owasp_llm:LLM07").name());
    assertEquals(10, table.framework("owasp_agentic").controls().size());
    assertEquals("Agent Goal Hijack", table.control("owasp_agentic:ASI01").name());
    assertEquals(14, table.framework("mitre_atlas").controls().size());
    assertEquals("LLM Jailbreak", table.control("mitre_atlas:AML.T0054").name());
    assertEquals(12, table.framework("nist_ai_600_1").controls().size());
    assertEquals(List.of("art5", "art9", "art10", "art13", "art14", "art15", "art50", "art55"),
        table.framework("eu_ai_act").controls().stream().map(Standards.Control::id).toList());
    for (Standards.Framework f : table.frameworks()) {
      assertTrue(f.url().startsWith("https://"), f.id() + " cites its source");
      f.controls().forEach(c -> assertFalse(c.name().isBlank() || c.description().isBlank(), c.key()));
    }
  }

  @Test
  void everyAttackAndHarmCategoryMapsToControlsAndAnUnknownConverterCategoryToNothing() {
    for (String attack : List.of("prompt_sending", "many_shot", "skeleton_key", "red_teaming", "crescendo", "tap", "pair", "goat",
        "flip", "context_compliance", "role_play", "multi_prompt", "chunked_request")) {
      assertFalse(table.forAttack(attack).isEmpty(), attack);
    }
    for (String harm : List.of("violent_crime", "weapons_cbrn", "cybercrime", "self_harm", "hate_harassment", "sexual_content",
        "child_safety", "fraud_scams", "privacy", "misinformation", "illegal_drugs", "extremism", "elections", "intellectual_property",
        "specialized_advice")) {
      assertFalse(table.forHarmCategory(harm).isEmpty(), harm);
    }
    for (String category : List.of("encoding", "obfuscation", "llm")) {
      assertTrue(table.forConverterCategory(category).contains("owasp_llm:LLM01"), category);
    }
    assertEquals(List.of(), table.forConverterCategory("no_such_family"));
    assertEquals(List.of(), table.forAttack("no_such_attack"));
  }
}
