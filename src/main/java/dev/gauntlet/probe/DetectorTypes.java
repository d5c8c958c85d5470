package dev.gauntlet.probe;

import java.util.Set;

/**
 * The scorer types probes may name: the scorer catalog's, and the detectors being added to it
 * beside the probes ({@code pattern_pack} … {@code harm_rubric}), which count as known before they land.
 */
public final class DetectorTypes {

  public static final Set<String> KNOWN = Set.of("substring", "regex", "refusal", "self_ask_true_false", "likert", "category",
      "composite", "inverter", "threshold", "pattern_pack", "canary_leak", "decoded_payload", "rogue_string", "package_hallucination",
      "harm_rubric", "tool_call");

  /** The types that ask a judge generator ({@code generator_id}). */
  public static final Set<String> JUDGED = Set.of("self_ask_true_false", "likert", "category", "harm_rubric");

  /** The regex packs {@code pattern_pack} offers. */
  public static final Set<String> PATTERN_PACKS = Set.of("xss", "sql_injection", "shell_command", "path_traversal", "ssrf_url",
      "credentials", "markdown_exfiltration", "ansi_escape");

  private DetectorTypes() {}
}
