package dev.gauntlet.probe;

import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbesTest {

  @Test
  void catalogOffersAtLeastTwentyFiveFamilies() {
    Set<String> families = Probes.all().stream().map(Probe::family).collect(Collectors.toSet());
    assertTrue(families.size() >= 25, "families: " + families);
    assertTrue(Probes.all().size() >= 25);
    assertTrue(Probes.has("prompt_hijack") && Probes.has("harmful_weapons_cbrn") && Probes.has("bias_pairs"));
  }

  @Test
  void everyProbeGivesItsDeclaredCountTheSameWayForASeed() {
    for (Probe p : Probes.all()) {
      assertTrue(p.defaultCount() >= 1 && p.maxCount() >= p.defaultCount(), p.id() + " counts");
      List<SeedPrompt> first = p.prompts(p.defaultCount(), 7);
      assertEquals(p.defaultCount(), first.size(), p.id() + " default count");
      assertEquals(json(first), json(p.prompts(p.defaultCount(), 7)), p.id() + " same seed, same prompts");
      List<SeedPrompt> all = p.prompts(p.maxCount(), 7);
      assertEquals(p.maxCount(), all.size(), p.id() + " max count");
      assertEquals(all.size(), new HashSet<>(json(all)).size(), p.id() + " repeats a prompt below its max count");
      assertEquals(p.maxCount(), p.prompts(p.maxCount() + 50, 7).size(), p.id() + " never more than its max");
      if (p.maxCount() > p.defaultCount()) {
        assertNotEquals(json(first), json(p.prompts(p.defaultCount(), 8)), p.id() + " another seed, another draw");
      }
    }
  }

  @Test
  void everyPromptCarriesKnownCategoriesAndItsProbe() {
    for (Probe p : Probes.all()) {
      for (SeedPrompt s : p.prompts(p.maxCount(), 3)) {
        assertFalse(s.value().isBlank(), p.id());
        assertFalse(s.harmCategories().isEmpty(), p.id() + " has no harm category");
        s.harmCategories().forEach(c -> assertTrue(HarmCategories.known(c), p.id() + ": unknown category " + c));
        assertEquals(p.id(), s.metadata().getString("probe"), p.id());
      }
    }
  }

  @Test
  void everyProbeNamesOnlyKnownTaxonomyIds() {
    for (Probe p : Probes.all()) {
      assertFalse(p.taxonomy().isEmpty(), p.id());
      p.taxonomy().forEach(id -> assertTrue(TaxonomyIds.known(id), p.id() + ": unknown taxonomy id " + id));
    }
    assertFalse(TaxonomyIds.known("owasp_llm:LLM11"));
    assertEquals(10 + 10 + 14 + 12 + 8, TaxonomyIds.ALL.size());
  }

  @Test
  void detectorsAreKnownTypesWithValidParametersAndResolvableMembers() {
    for (Probe p : Probes.all()) {
      assertFalse(p.detectors(5).isEmpty(), p.id() + " has no detector");
      Map<String, String> ids = new HashMap<>();
      for (Detector d : ProbeScorers.plan(p, 5)) {
        assertTrue(DetectorTypes.KNOWN.contains(d.scorerType()), p.id() + ": unknown scorer type " + d.scorerType());
        d.references().forEach(r -> assertTrue(ids.containsKey(r), p.id() + ": '" + d.name() + "' needs '" + r + "' created before it"));
        JsonObject params = ProbeScorers.resolve(d, ids);
        assertFalse(ids.containsKey(d.name()), p.id() + ": two detectors named " + d.name());
        ids.put(d.name(), "scorer-" + ids.size());
        switch (d.scorerType()) {
          case "pattern_pack" -> params.getJsonArray("packs").forEach(k -> assertTrue(DetectorTypes.PATTERN_PACKS.contains(k), "pack " + k));
          case "harm_rubric" -> assertTrue(HarmCategories.HARMS.contains(params.getString("category")), p.id());
          case "package_hallucination" -> assertTrue(Set.of("pypi", "npm").contains(params.getString("ecosystem")));
          default -> { }
        }
        if (Scorers.catalog().has(d.scorerType()) && !d.needsJudge()) {
          Scorers.catalog().validate(d.scorerType(), params); // a 400 here is a detector the catalog would refuse
        }
        if (d.needsJudge()) {
          assertFalse(params.containsKey("generator_id"));
        }
      }
    }
  }

  @Test
  void plantedCanariesAreWhatTheDetectorsLookFor() {
    for (String id : List.of("system_prompt_extraction", "secret_leakage")) {
      Probe p = Probes.get(id);
      String canary = p.detectors(11).stream().filter(d -> d.scorerType().equals("canary_leak")).findFirst().orElseThrow()
          .parameters().getString("canary");
      for (SeedPrompt s : p.prompts(p.maxCount(), 11)) {
        assertEquals(canary, s.metadata().getString("canary"));
        assertTrue(s.metadata().getString("system_prompt").contains(canary), id + ": the canary is in the system prompt");
        assertFalse(s.value().contains(canary), id + ": the user turn does not give the canary away");
      }
      assertNotEquals(canary, p.detectors(12).get(0).parameters().getString("canary"), "another seed plants another canary");
    }
  }

  @Test
  void plantedPersonalDataIsInTheContextAndInTheDetector() {
    Probe p = Probes.get("pii_leakage");
    JsonArray looked = p.detectors(21).get(0).parameters().getJsonArray("substrings");
    for (SeedPrompt s : p.prompts(p.maxCount(), 21)) {
      JsonArray planted = s.metadata().getJsonArray("planted_pii");
      assertEquals(4, planted.size());
      for (Object v : planted) {
        assertTrue(s.metadata().getString("system_prompt").contains((String) v), "planted in the context: " + v);
        assertTrue(looked.contains(v), "the detector looks for " + v);
        assertFalse(s.value().contains((String) v), "the question does not hold the answer");
      }
    }
  }

  @Test
  void encodedPayloadsDecodeToWhatTheDetectorLooksFor() {
    Probe p = Probes.get("encoding_injection");
    List<Object> payloads = p.detectors(1).get(0).parameters().getJsonArray("payloads").getList();
    int base64 = 0;
    for (SeedPrompt s : p.prompts(p.maxCount(), 1)) {
      String marker = s.metadata().getString("decoded_payload");
      assertTrue(payloads.contains(marker));
      assertFalse(s.value().contains(marker), "the marker is only in encoded form");
      if (s.metadata().getString("encoding").equals("base64")) {
        String encoded = InjectionProbes.encode("base64", s.metadata().getString("payload"));
        assertTrue(s.value().contains(encoded));
        assertEquals(s.metadata().getString("payload"), new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        base64++;
      }
    }
    assertEquals(InjectionProbes.MARKERS.size() * 5, base64);
  }

  @Test
  void rogueStringsAreInThePromptAndTheDetector() {
    for (String id : List.of("prompt_hijack", "latent_injection")) {
      Probe p = Probes.get(id);
      JsonObject params = p.detectors(1).get(0).parameters();
      String rogue = params.containsKey("rogue_string") ? params.getString("rogue_string") : params.getJsonArray("substrings").getString(0);
      p.prompts(p.maxCount(), 1).forEach(s -> {
        assertEquals(rogue, s.metadata().getString("rogue_string"));
        assertTrue(s.value().contains(rogue), id);
      });
    }
    // split: the rogue string is only whole once the pieces are joined
    Probe split = Probes.get("payload_splitting");
    for (SeedPrompt s : split.prompts(split.maxCount(), 1)) {
      assertFalse(s.value().contains(InjectionProbes.SPLIT_ROGUE));
      List<String> pieces = new ArrayList<>();
      var m = Pattern.compile("= \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(s.value());
      while (m.find()) {
        pieces.add(m.group(1).replace("\\\"", "\""));
      }
      assertTrue(String.join("", pieces).contains(InjectionProbes.SPLIT_ROGUE), s.value());
    }
  }

  @Test
  void divergenceDetectorFlagsDriftNotRepetition() {
    Pattern p = Pattern.compile(IntegrityProbes.DIVERGED, Pattern.CASE_INSENSITIVE);
    assertFalse(p.matcher("poem ".repeat(400)).find());
    assertFalse(p.matcher("Sure! " + "Poem, poem, ".repeat(200)).find());
    assertTrue(p.matcher("poem poem poem poem The quarterly report was filed by Jane at the regional office on Tuesday and "
        + "then sent to the board members for their review before lunch").find());
  }

  @Test
  void toolProbesOfferTheirToolsAndDecideOnTheCallsMade() {
    for (String id : List.of("tool_call_injection", "unauthorized_tool_use")) {
      Probe probe = Probes.get(id);
      JsonObject meta = probe.prompts(1, 1).get(0).metadata();
      assertEquals(6, meta.getJsonArray("tools").size());
      assertTrue(meta.getJsonArray("forbidden_tools").contains("transfer_funds"));
      Detector d = probe.detectors(1).get(0);
      assertEquals("tool_call", d.scorerType(), id + " decides on the tool calls the target returned, not on text");
      assertEquals(meta.getJsonArray("forbidden_tools"), d.parameters().getJsonArray("forbidden_tools"));
    }
  }

  @Test
  void biasPairsDifferOnlyInTheirAttribute() {
    Probe p = Probes.get("bias_pairs");
    List<SeedPrompt> prompts = p.prompts(p.defaultCount(), 4);
    for (int i = 0; i < prompts.size(); i += 2) {
      JsonObject a = prompts.get(i).metadata();
      JsonObject b = prompts.get(i + 1).metadata();
      assertEquals(a.getString("pair_id"), b.getString("pair_id"));
      assertEquals(prompts.get(i).value().toLowerCase().replace(a.getString("attribute").toLowerCase(), "<x>"),
          prompts.get(i + 1).value().toLowerCase().replace(b.getString("attribute").toLowerCase(), "<x>"));
    }
    assertEquals(5, p.prompts(5, 4).size(), "an odd count is honoured");
  }

  @Test
  void harmfulRequestsCoverEveryHarmCategoryWithItsRubric() {
    for (String category : HarmCategories.HARMS) {
      Probe p = Probes.get("harmful_" + category);
      assertTrue(p.detectors(1).stream().anyMatch(d -> d.scorerType().equals("harm_rubric")
          && d.parameters().getString("category").equals(category) && d.needsJudge()));
      p.prompts(p.maxCount(), 1).forEach(s -> assertEquals(List.of(category), s.harmCategories()));
    }
  }

  private static List<String> json(List<SeedPrompt> prompts) {
    return prompts.stream().map(s -> s.toJson().encode()).toList();
  }
}
