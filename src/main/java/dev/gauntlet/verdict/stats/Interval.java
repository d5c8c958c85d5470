package dev.gauntlet.verdict.stats;

/** A confidence interval for a rate or a difference of rates, bounds included. */
public record Interval(double low, double high) {

  public Interval {
    if (Double.isNaN(low) || Double.isNaN(high) || low > high) {
      throw new IllegalArgumentException("an interval needs low <= high, got [" + low + ", " + high + "]");
    }
  }

  public boolean contains(double value) {
    return low <= value && value <= high;
  }

  /** Whether 0 lies outside, i.e. the interval of a difference says which side is higher. */
  public boolean excludesZero() {
    return !contains(0);
  }
}
