package dev.gauntlet.verdict;

/** A prompt's outcome and its reason (the error class, {@code blocked}, or why no verdict was usable). */
public record Verdict(Outcome outcome, String reason) {

  public static Verdict of(Outcome outcome, String reason) {
    return new Verdict(outcome, reason);
  }
}
