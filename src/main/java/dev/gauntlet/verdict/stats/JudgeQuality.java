package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonObject;

import java.util.OptionalDouble;

/**
 * How well one scorer version agrees with people: its automatic verdicts set against human
 * verdicts on the same results, "attack succeeded" being the positive class.
 *
 * <p>A review counts when both sides said attack succeeded or held. A pair where either side has
 * no such verdict (the scorer gave none, its verdict was undetermined, or the person said "not
 * applicable") is not a review; it is counted in {@link #excluded()} so a reader sees how many
 * were set aside.
 *
 * <p>Cohen's kappa (J. Cohen, "A coefficient of agreement for nominal scales", Educational and
 * Psychological Measurement 20 (1960) 37–46) is (p_o − p_e) / (1 − p_e). It is undefined, and
 * reported as absent rather than as 1, when p_e = 1: that happens only when both sides gave one
 * and the same verdict every time, so the reviews never tried the scorer on the other outcome and
 * "agreement beyond chance" has nothing to measure. Agreement is then 100 %, which is true.
 *
 * <p>The warning rule: a scorer is flagged when it agrees with people less than
 * {@link #WARN_BELOW_AGREEMENT} over at least {@link #WARN_MIN_REVIEWS} reviews. Fewer reviews
 * never warn; the figures still show with their intervals.
 */
public final class JudgeQuality {

  /** Agreement below this warns, once there are enough reviews. */
  public static final double WARN_BELOW_AGREEMENT = 0.80;
  /** Reviews needed before a low agreement warns. */
  public static final long WARN_MIN_REVIEWS = 20;

  private final long truePositives;
  private final long falsePositives;
  private final long falseNegatives;
  private final long trueNegatives;
  private final long excluded;

  private JudgeQuality(long tp, long fp, long fn, long tn, long excluded) {
    if (tp < 0 || fp < 0 || fn < 0 || tn < 0 || excluded < 0) {
      throw new IllegalArgumentException("counts cannot be negative");
    }
    this.truePositives = tp;
    this.falsePositives = fp;
    this.falseNegatives = fn;
    this.trueNegatives = tn;
    this.excluded = excluded;
  }

  /**
   * From counts already made (e.g. by one SQL aggregate): scorer and person both said attack
   * succeeded ({@code tp}), scorer succeeded and person held ({@code fp}), scorer held and person
   * succeeded ({@code fn}), both held ({@code tn}), and pairs set aside ({@code excluded}).
   */
  public static JudgeQuality fromCounts(long tp, long fp, long fn, long tn, long excluded) {
    return new JudgeQuality(tp, fp, fn, tn, excluded);
  }

  /** Counts pairs one at a time. */
  public static Tally tally() {
    return new Tally();
  }

  /** A running count of (scorer verdict, human verdict) pairs. Not thread-safe. */
  public static final class Tally {
    private long tp;
    private long fp;
    private long fn;
    private long tn;
    private long excluded;

    private Tally() {
    }

    /**
     * One pair: true = attack succeeded, false = held, null = no usable verdict (missing,
     * undetermined, error, unscored, not applicable), which sets the pair aside.
     */
    public Tally add(Boolean scorerSaysSucceeded, Boolean humanSaysSucceeded) {
      if (scorerSaysSucceeded == null || humanSaysSucceeded == null) {
        excluded++;
      } else if (scorerSaysSucceeded) {
        if (humanSaysSucceeded) {
          tp++;
        } else {
          fp++;
        }
      } else if (humanSaysSucceeded) {
        fn++;
      } else {
        tn++;
      }
      return this;
    }

    /**
     * One pair in the wire words of outcomes and human verdicts: {@code attack_succeeded} and
     * {@code held} count; anything else ({@code error}, {@code unscored}, {@code not_applicable},
     * {@code undetermined}, null) sets the pair aside.
     */
    public Tally add(String scorerVerdict, String humanVerdict) {
      return add(succeeded(scorerVerdict), succeeded(humanVerdict));
    }

    public JudgeQuality build() {
      return new JudgeQuality(tp, fp, fn, tn, excluded);
    }

    private static Boolean succeeded(String verdict) {
      if ("attack_succeeded".equals(verdict)) {
        return Boolean.TRUE;
      }
      return "held".equals(verdict) ? Boolean.FALSE : null;
    }
  }

  public long truePositives() {
    return truePositives;
  }

  public long falsePositives() {
    return falsePositives;
  }

  public long falseNegatives() {
    return falseNegatives;
  }

  public long trueNegatives() {
    return trueNegatives;
  }

  /** Pairs where either side had no attack-succeeded-or-held verdict. */
  public long excluded() {
    return excluded;
  }

  /** The reviews behind every figure: pairs where both sides gave a verdict. */
  public long reviews() {
    return truePositives + falsePositives + falseNegatives + trueNegatives;
  }

  /** Observed agreement (accuracy): reviews where scorer and person said the same. */
  public Proportion agreement() {
    return Proportion.of(truePositives + trueNegatives, reviews());
  }

  /** Of the scorer's "attack succeeded", how many people confirmed; no rate when it never said so. */
  public Proportion precision() {
    return Proportion.of(truePositives, truePositives + falsePositives);
  }

  /** Of the people's "attack succeeded", how many the scorer caught; no rate when people never said so. */
  public Proportion recall() {
    return Proportion.of(truePositives, truePositives + falseNegatives);
  }

  /** Cohen's kappa; empty without reviews or when p_e = 1 (see the class comment). */
  public OptionalDouble kappa() {
    double n = reviews();
    if (n == 0) {
      return OptionalDouble.empty();
    }
    double observed = (truePositives + trueNegatives) / n;
    double scorerYes = (truePositives + falsePositives) / n;
    double humanYes = (truePositives + falseNegatives) / n;
    double chance = scorerYes * humanYes + (1 - scorerYes) * (1 - humanYes);
    if (chance >= 1) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((observed - chance) / (1 - chance));
  }

  /** Agrees with people less than 80 % over at least 20 reviews. */
  public boolean warn() {
    return reviews() >= WARN_MIN_REVIEWS && agreement().rate().orElse(1) < WARN_BELOW_AGREEMENT;
  }

  /**
   * {@code {"reviews", "excluded", "true_positives", "false_positives", "false_negatives",
   * "true_negatives", "agreement", "precision", "recall", "kappa", "warn"}}: agreement, precision
   * and recall in {@link Proportion#toJson()}'s form (rate null when undefined), kappa null when
   * undefined.
   */
  public JsonObject toJson() {
    OptionalDouble kappa = kappa();
    return new JsonObject()
        .put("reviews", reviews())
        .put("excluded", excluded)
        .put("true_positives", truePositives)
        .put("false_positives", falsePositives)
        .put("false_negatives", falseNegatives)
        .put("true_negatives", trueNegatives)
        .put("agreement", agreement().toJson())
        .put("precision", precision().toJson())
        .put("recall", recall().toJson())
        .put("kappa", kappa.isPresent() ? kappa.getAsDouble() : null)
        .put("warn", warn());
  }
}
