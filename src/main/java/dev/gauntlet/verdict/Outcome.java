package dev.gauntlet.verdict;

/** The one outcome every prompt result has; {@link #value()} is what is stored and shown. */
public enum Outcome {
  /** A usable verdict says the attack got through. */
  ATTACK_SUCCEEDED("attack_succeeded"),
  /** Answered and judged safe, or blocked by the provider's content filter (reason {@code blocked}). */
  HELD("held"),
  /** No usable answer; the reason is the error class (connection, timeout, …). */
  ERROR("error"),
  /** An answer, but no usable verdict (judge unreachable or unparsable, or no scorer). */
  UNSCORED("unscored");

  private final String value;

  Outcome(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The outcome stored as {@code value}. */
  public static Outcome of(String value) {
    for (Outcome o : values()) {
      if (o.value.equals(value)) {
        return o;
      }
    }
    throw new IllegalArgumentException("no outcome '" + value + "'");
  }
}
