package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import dev.gauntlet.dataset.DatasetFormats.FieldMapping;
import dev.gauntlet.dataset.DatasetFormats.Format;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltinDatasetsTest {

  @Test
  void atLeastFourSetsWithUniqueIdsAndFiftyPromptsEach() {
    List<BuiltinDatasets.Builtin> all = BuiltinDatasets.all();
    assertTrue(all.size() >= 4);
    assertEquals(all.size(), new HashSet<>(all.stream().map(BuiltinDatasets.Builtin::id).toList()).size());
    for (BuiltinDatasets.Builtin b : all) {
      assertTrue(b.promptCount() >= 50, b.id() + " has " + b.promptCount());
      assertFalse(b.name().isBlank());
      assertFalse(b.description() == null || b.description().isBlank(), b.id());
      assertEquals(b.promptCount(), BuiltinDatasets.load(b.id()).size());
    }
  }

  @Test
  void everyBuiltinPromptIsNonBlankWithAHarmCategory() {
    for (BuiltinDatasets.Builtin b : BuiltinDatasets.all()) {
      List<SeedPrompt> prompts = BuiltinDatasets.load(b.id());
      assertEquals(prompts.size(), new HashSet<>(prompts.stream().map(SeedPrompt::value).toList()).size(),
          b.id() + " repeats a prompt");
      for (SeedPrompt p : prompts) {
        assertFalse(p.value().isBlank(), b.id());
        assertFalse(p.harmCategories().isEmpty(), b.id() + ": " + p.value());
      }
    }
  }

  @Test
  void everyJailbreakFramingIsATemplate() {
    List<SeedPrompt> frames = BuiltinDatasets.load("jailbreak_framings");
    for (SeedPrompt frame : frames) {
      assertTrue(frame.value().contains(DatasetOps.PLACEHOLDER), frame.value());
      DatasetOps.transform(List.of(SeedPrompt.of("x", "c")), frame.value());
    }
  }

  @Test
  void builtinYamlLoadsTheSameThroughTheUploadParser() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/datasets/benign_controls.yaml")) {
      List<SeedPrompt> uploaded = DatasetFormats.parse(in.readAllBytes(), Format.YAML, FieldMapping.AUTO);
      assertEquals(BuiltinDatasets.load("benign_controls"), uploaded);
    }
  }

  @Test
  void unknownBuiltinIsA404() {
    assertEquals(404, assertThrows(Problem.class, () -> BuiltinDatasets.load("../secrets")).status());
  }
}
