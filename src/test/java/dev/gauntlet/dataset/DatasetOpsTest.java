package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetOpsTest {

  static final List<SeedPrompt> FIRST = List.of(SeedPrompt.of("a", "x"), SeedPrompt.of("b", "y"));
  static final List<SeedPrompt> SECOND = List.of(SeedPrompt.of("b", "z"), SeedPrompt.of("c", "z"));

  static List<String> values(List<SeedPrompt> prompts) {
    return prompts.stream().map(SeedPrompt::value).toList();
  }

  @Test
  void combineKeepsEveryPromptInOrder() {
    assertEquals(List.of("a", "b", "b", "c"), values(DatasetOps.combine(List.of(FIRST, SECOND), false)));
  }

  @Test
  void combineWithDedupeKeepsTheFirstCopy() {
    List<SeedPrompt> out = DatasetOps.combine(List.of(FIRST, SECOND), true);
    assertEquals(List.of("a", "b", "c"), values(out));
    assertEquals(List.of("y"), out.get(1).harmCategories());
  }

  @Test
  void transformFillsEveryPlaceholderAndKeepsCategories() {
    List<SeedPrompt> out = DatasetOps.transform(FIRST, "Story: {{prompt}}. Again: {{prompt}} $1 \\");
    assertEquals("Story: a. Again: a $1 \\", out.get(0).value());
    assertEquals(List.of("x"), out.get(0).harmCategories());
  }

  @Test
  void transformWithoutPlaceholderIsA400() {
    Problem p = assertThrows(Problem.class, () -> DatasetOps.transform(FIRST, "no slot here {{ prompt }}"));
    assertEquals(400, p.status());
  }

  @Test
  void previewReturnsTheFirstN() {
    assertEquals(List.of("a"), values(DatasetOps.preview(FIRST, 1)));
    assertEquals(List.of("a", "b"), values(DatasetOps.preview(FIRST, 10)));
    assertEquals(400, assertThrows(Problem.class, () -> DatasetOps.preview(FIRST, -1)).status());
  }

  @Test
  void sampleIsDeterministicForASeedAndKeepsOriginalOrder() {
    List<SeedPrompt> many = IntStream.range(0, 1000).mapToObj(i -> SeedPrompt.of("p" + i, "c")).toList();
    List<SeedPrompt> one = DatasetOps.sample(many, 25, 42);
    assertEquals(one, DatasetOps.sample(many, 25, 42));
    assertNotEquals(one, DatasetOps.sample(many, 25, 43));
    assertEquals(25, one.stream().distinct().count());
    List<Integer> indices = one.stream().map(many::indexOf).toList();
    assertEquals(indices.stream().sorted().toList(), indices);
    assertEquals(2, DatasetOps.sample(FIRST, 5, 1).size());
  }
}
