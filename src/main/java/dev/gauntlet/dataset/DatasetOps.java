package dev.gauntlet.dataset;

import dev.gauntlet.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** What users do to datasets before a run: combine, wrap in a template, preview and sample. */
public final class DatasetOps {

  public static final String PLACEHOLDER = "{{prompt}}";

  private DatasetOps() {
  }

  /** The datasets one after another; with {@code dedupe}, a value seen before is dropped (the first copy stays). */
  public static List<SeedPrompt> combine(List<List<SeedPrompt>> datasets, boolean dedupe) {
    List<SeedPrompt> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (List<SeedPrompt> dataset : datasets) {
      for (SeedPrompt p : dataset) {
        if (dedupe && !seen.add(p.value())) {
          continue;
        }
        if (out.size() >= DatasetFormats.MAX_PROMPTS) {
          throw Problem.badRequest("too_many_prompts", "a dataset holds at most " + DatasetFormats.MAX_PROMPTS + " prompts");
        }
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Each prompt put into the template wherever it says {@code {{prompt}}}, e.g. inside a
   * jailbreak frame; categories and metadata are kept.
   */
  public static List<SeedPrompt> transform(List<SeedPrompt> prompts, String template) {
    if (template == null || !template.contains(PLACEHOLDER)) {
      throw Problem.badRequest("invalid_template", "the template must contain " + PLACEHOLDER);
    }
    return prompts.stream().map(p -> p.withValue(template.replace(PLACEHOLDER, p.value()))).toList();
  }

  /** The first {@code n} prompts. */
  public static List<SeedPrompt> preview(List<SeedPrompt> prompts, int n) {
    requireCount(n);
    return List.copyOf(prompts.subList(0, Math.min(n, prompts.size())));
  }

  /**
   * {@code n} prompts drawn without replacement, in their original order; the same seed
   * draws the same prompts. Asking for more than there are returns them all.
   */
  public static List<SeedPrompt> sample(List<SeedPrompt> prompts, int n, long seed) {
    requireCount(n);
    if (n >= prompts.size()) {
      return List.copyOf(prompts);
    }
    // a partial Fisher-Yates shuffle of the indices; java.util.Random's sequence is fixed by its spec
    int[] indices = new int[prompts.size()];
    Arrays.setAll(indices, i -> i);
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(indices.length - i);
      int t = indices[i];
      indices[i] = indices[j];
      indices[j] = t;
    }
    int[] chosen = Arrays.copyOf(indices, n);
    Arrays.sort(chosen);
    return Arrays.stream(chosen).mapToObj(prompts::get).toList();
  }

  private static void requireCount(int n) {
    if (n < 0) {
      throw Problem.badRequest("invalid_count", "the number of prompts must not be negative");
    }
  }
}
