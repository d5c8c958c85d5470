package dev.gauntlet.probe;

import dev.gauntlet.dataset.SeedPrompt;

import java.util.List;

/**
 * A probe: a generator of attack prompts of one family (parameterised by count and seed, so the
 * same count and seed give the same prompts), the detectors that decide whether an answer shows
 * the attack got through, and the standards' controls it tests ({@code framework:control} ids of
 * the table in {@code standards/}).
 */
public interface Probe {

  /** Stable id, e.g. {@code prompt_hijack}; the key of the catalog and of scan plans. */
  String id();

  /** The family it belongs to, e.g. {@code prompt_injection}. */
  String family();

  String description();

  /** Ids such as {@code owasp_llm:LLM01}, {@code mitre_atlas:AML.T0051}, {@code nist_ai_600_1:information_security}. */
  List<String> taxonomy();

  /** How many prompts a scan takes when it is not told. */
  int defaultCount();

  /** The largest count this probe can generate without repeating itself. */
  int maxCount();

  /** {@code count} prompts for {@code seed}; deterministic. Each prompt's harm categories and metadata are set. */
  List<SeedPrompt> prompts(int count, long seed);

  /** The scorers (type and parameters) that detect this probe's success for prompts made with {@code seed}. */
  List<Detector> detectors(long seed);

  /**
   * Scorers the detectors build on (named by {@code detector:<name>} in a combinator's parameters),
   * which are not verdicts themselves, e.g. a refusal scorer an inverter turns into "complied".
   */
  default List<Detector> members(long seed) {
    return List.of();
  }
}
