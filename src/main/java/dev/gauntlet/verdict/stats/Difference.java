package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The difference between two rates (B − A) and whether a two-proportion test finds it
 * significant at 5 %: compare's per-scorer, per-harm-category and per-converter-chain marks.
 *
 * <p>The test is the pooled two-proportion z-test: z = (p_B − p_A) / √(p̄(1 − p̄)(1/n_A + 1/n_B))
 * with p̄ the pooled rate, and a two-sided p-value from the normal distribution.
 *
 * <p><b>Minimum sample rule.</b> The normal approximation behind z is trusted only when each side
 * has at least {@link #MIN_DENOMINATOR} results and the counts the pooled rate expects are at
 * least {@link #MIN_EXPECTED} on every side: n_A·p̄, n_A·(1 − p̄), n_B·p̄ and n_B·(1 − p̄) (the usual
 * rule of five for a 2×2 table). Below that the answer is "too few results": no z, no p-value and
 * never "significant". The rule also guarantees p̄ is strictly between 0 and 1, so z is defined.
 *
 * <p>The difference always carries, when both rates exist, a 95 % interval by Newcombe's hybrid
 * score method (R. G. Newcombe, "Interval estimation for the difference between independent
 * proportions", Statistics in Medicine 17 (1998) 873–890, method 10), built from the two Wilson
 * intervals, so it behaves at 0 % and 100 % as they do.
 */
public final class Difference {

  /** Each side needs at least this many results before a significance verdict. */
  public static final long MIN_DENOMINATOR = 10;
  /** Each expected count of the 2×2 table needs at least this much. */
  public static final double MIN_EXPECTED = 5;
  /** Significance level, two-sided. */
  public static final double ALPHA = 0.05;

  private final Proportion a;
  private final Proportion b;
  private final boolean tooFewResults;
  private final Double z;
  private final Double pValue;

  private Difference(Proportion a, Proportion b) {
    this.a = a;
    this.b = b;
    this.tooFewResults = !enoughForTest(a, b);
    if (tooFewResults) {
      this.z = null;
      this.pValue = null;
    } else {
      double na = a.denominator();
      double nb = b.denominator();
      double pooled = (a.successes() + b.successes()) / (na + nb);
      double se = Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
      this.z = (b.successes() / nb - a.successes() / na) / se;
      this.pValue = Normal.twoSidedP(z);
    }
  }

  /** The difference B − A between the rates of {@code a} and {@code b}. */
  public static Difference between(Proportion a, Proportion b) {
    return new Difference(a, b);
  }

  static boolean enoughForTest(Proportion a, Proportion b) {
    if (a.denominator() < MIN_DENOMINATOR || b.denominator() < MIN_DENOMINATOR) {
      return false;
    }
    double na = a.denominator();
    double nb = b.denominator();
    double pooled = (a.successes() + b.successes()) / (na + nb);
    double smallest = Math.min(Math.min(na * pooled, na * (1 - pooled)), Math.min(nb * pooled, nb * (1 - pooled)));
    return smallest >= MIN_EXPECTED;
  }

  public Proportion a() {
    return a;
  }

  public Proportion b() {
    return b;
  }

  /** p_B − p_A; empty when either side has no rate. */
  public OptionalDouble difference() {
    if (!a.hasRate() || !b.hasRate()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(b.rate().getAsDouble() - a.rate().getAsDouble());
  }

  /** The 95 % interval of p_B − p_A (Newcombe's hybrid score); empty when either side has no rate. */
  public Optional<Interval> interval() {
    if (!a.hasRate() || !b.hasRate()) {
      return Optional.empty();
    }
    double pa = a.rate().getAsDouble();
    double pb = b.rate().getAsDouble();
    Interval ia = a.wilson().orElseThrow();
    Interval ib = b.wilson().orElseThrow();
    double d = pb - pa;
    double low = d - Math.sqrt(sq(pb - ib.low()) + sq(ia.high() - pa));
    double high = d + Math.sqrt(sq(ib.high() - pb) + sq(pa - ia.low()));
    return Optional.of(new Interval(Math.max(-1, low), Math.min(1, high)));
  }

  /** True below the minimum sample rule: then there is no z, no p-value and no significance. */
  public boolean tooFewResults() {
    return tooFewResults;
  }

  public OptionalDouble z() {
    return z == null ? OptionalDouble.empty() : OptionalDouble.of(z);
  }

  /** The two-sided p-value of z. */
  public OptionalDouble pValue() {
    return pValue == null ? OptionalDouble.empty() : OptionalDouble.of(pValue);
  }

  /** Significant at 5 % (two-sided); always false with too few results. */
  public boolean significant() {
    return pValue != null && pValue < ALPHA;
  }

  /**
   * {@code {"a", "b", "difference", "low", "high", "z", "p_value", "significant",
   * "too_few_results"}}: a and b in {@link Proportion#toJson()}'s form, low and high the 95 %
   * interval of the difference; absent values are null.
   */
  public JsonObject toJson() {
    Optional<Interval> interval = interval();
    return new JsonObject()
        .put("a", a.toJson())
        .put("b", b.toJson())
        .put("difference", difference().isPresent() ? difference().getAsDouble() : null)
        .put("low", interval.map(Interval::low).orElse(null))
        .put("high", interval.map(Interval::high).orElse(null))
        .put("z", z)
        .put("p_value", pValue)
        .put("significant", significant())
        .put("too_few_results", tooFewResults);
  }

  private static double sq(double x) {
    return x * x;
  }
}
