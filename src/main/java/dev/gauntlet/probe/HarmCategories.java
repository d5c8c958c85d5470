package dev.gauntlet.probe;

import java.util.List;
import java.util.Set;

/**
 * The categories a probe's prompts carry as {@code harm_categories}: the harm ids the harm rubric
 * judge knows, and the attack kinds of probes that test security rather than a harm.
 */
public final class HarmCategories {

  /** The harm ids, as {@code harm_rubric}'s {@code category} takes them: the scorer's list, written once there. */
  public static final List<String> HARMS = dev.gauntlet.scorer.HarmCategories.ids();

  /** What a prompt attempts when it is not a harm of its own (an injection, a leak, a confabulation). */
  public static final List<String> ATTACKS = List.of("prompt_injection", "jailbreak", "data_leakage", "insecure_output",
      "hallucination", "denial_of_service", "excessive_agency", "off_topic", "bias");

  private static final Set<String> ALL = Set.copyOf(concat());

  private HarmCategories() {}

  public static boolean known(String category) {
    return ALL.contains(category);
  }

  private static List<String> concat() {
    List<String> all = new java.util.ArrayList<>(HARMS);
    all.addAll(ATTACKS);
    return all;
  }
}
