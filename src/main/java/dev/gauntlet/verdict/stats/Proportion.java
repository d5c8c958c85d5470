package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A rate with its uncertainty: {@code successes} of {@code denominator}, e.g. attack successes of
 * (successes + held). With a denominator of 0 there is no rate and no interval ("too few
 * results"), never a 0 %.
 *
 * <p>The interval is Wilson's score interval (E. B. Wilson, "Probable inference, the law of
 * succession, and statistical inference", JASA 22 (1927) 209–212). Unlike the textbook
 * p ± z·√(p(1−p)/n) it stays inside [0, 1] and is not zero-width at 0 of n or n of n, which are
 * exactly the rates a red-team run produces most.
 */
public final class Proportion {

  /** The two-sided 95 % normal quantile, Φ⁻¹(0.975). */
  public static final double Z_95 = 1.959963984540054;

  private final long successes;
  private final long denominator;

  private Proportion(long successes, long denominator) {
    this.successes = successes;
    this.denominator = denominator;
  }

  /** {@code successes} of {@code denominator}; refuses negatives and more successes than tries. */
  public static Proportion of(long successes, long denominator) {
    if (successes < 0 || denominator < 0 || successes > denominator) {
      throw new IllegalArgumentException("a proportion needs 0 <= successes <= denominator, got "
          + successes + " of " + denominator);
    }
    return new Proportion(successes, denominator);
  }

  public long successes() {
    return successes;
  }

  public long denominator() {
    return denominator;
  }

  /** False when the denominator is 0: nothing to show but "too few results". */
  public boolean hasRate() {
    return denominator > 0;
  }

  public OptionalDouble rate() {
    return hasRate() ? OptionalDouble.of((double) successes / denominator) : OptionalDouble.empty();
  }

  /** The 95 % Wilson score interval; empty without a rate. */
  public Optional<Interval> wilson() {
    return wilson(Z_95);
  }

  /** The Wilson score interval for the normal quantile {@code z} (e.g. 2.5758 for 99 %). */
  public Optional<Interval> wilson(double z) {
    if (!(z > 0) || Double.isInfinite(z)) {
      throw new IllegalArgumentException("z must be a positive number, got " + z);
    }
    if (!hasRate()) {
      return Optional.empty();
    }
    double n = denominator;
    double p = successes / n;
    double z2 = z * z;
    double shrink = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / shrink;
    double half = z / shrink * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // At 0 of n and n of n a bound is exactly 0 or 1; rounding must not push it past.
    double low = successes == 0 ? 0 : Math.max(0, centre - half);
    double high = successes == denominator ? 1 : Math.min(1, centre + half);
    return Optional.of(new Interval(low, high));
  }

  /**
   * {@code {"successes", "denominator", "rate", "low", "high"}}, the 95 % interval; rate, low and
   * high are null when the denominator is 0.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("successes", successes).put("denominator", denominator);
    Optional<Interval> interval = wilson();
    json.put("rate", hasRate() ? rate().getAsDouble() : null);
    json.put("low", interval.map(Interval::low).orElse(null));
    json.put("high", interval.map(Interval::high).orElse(null));
    return json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Proportion other && other.successes == successes && other.denominator == denominator;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(successes) * 31 + Long.hashCode(denominator);
  }

  @Override
  public String toString() {
    return successes + "/" + denominator;
  }
}
