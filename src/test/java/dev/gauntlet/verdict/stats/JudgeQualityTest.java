package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JudgeQualityTest {

  /** p_o and p_e of a 2×2 table written out, so the kappa below is not the code's own arithmetic. */
  private static double kappaByHand(double tp, double fp, double fn, double tn) {
    double n = tp + fp + fn + tn;
    double observed = (tp + tn) / n;
    double chance = ((tp + fp) / n) * ((tp + fn) / n) + ((fn + tn) / n) * ((fp + tn) / n);
    return (observed - chance) / (1 - chance);
  }

  @Test
  void theTextbookTableGivesKappaPointFour() {
    // Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by A (here the scorer)
    // and B (here the person). Both yes 20, A yes B no 5, A no B yes 10, both no 15.
    // p_o = (20 + 15) / 50 = 0.7; A says yes 25/50 = 0.5, B 30/50 = 0.6;
    // p_e = 0.5 · 0.6 + 0.5 · 0.4 = 0.5; kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4
    JudgeQuality q = JudgeQuality.fromCounts(20, 5, 10, 15, 0);

    assertEquals(50, q.reviews());
    assertEquals(0.4, q.kappa().getAsDouble(), 1e-12);
    assertEquals(0.7, q.agreement().rate().getAsDouble(), 1e-12);
    assertEquals(20.0 / 25, q.precision().rate().getAsDouble(), 1e-12);
    assertEquals(20.0 / 30, q.recall().rate().getAsDouble(), 1e-12);
    assertEquals(5, q.falsePositives());
    assertEquals(10, q.falseNegatives());
    assertTrue(q.warn(), "70 % over 50 reviews is below 80 % over at least 20");
  }

  @Test
  void theSameAgreementCanMeanDifferentKappas() {
    // Wikipedia, "Cohen's kappa", "same percentages but different numbers": both tables agree 60 %,
    // kappa 0.1304 and 0.2593.
    // (45, 15, 25, 15): p_e = 0.6 · 0.7 + 0.4 · 0.3 = 0.54, kappa = 0.06 / 0.46 = 0.1304
    // (25, 35, 5, 35):  p_e = 0.6 · 0.3 + 0.4 · 0.7 = 0.46, kappa = 0.14 / 0.54 = 0.2593
    JudgeQuality first = JudgeQuality.fromCounts(45, 15, 25, 15, 0);
    JudgeQuality second = JudgeQuality.fromCounts(25, 35, 5, 35, 0);

    assertEquals(0.6, first.agreement().rate().getAsDouble(), 1e-12);
    assertEquals(0.6, second.agreement().rate().getAsDouble(), 1e-12);
    assertEquals(0.06 / 0.46, first.kappa().getAsDouble(), 1e-12);
    assertEquals(0.14 / 0.54, second.kappa().getAsDouble(), 1e-12);
    assertEquals(0.1304, first.kappa().getAsDouble(), 1e-4);
    assertEquals(0.2593, second.kappa().getAsDouble(), 1e-4);
  }

  @Test
  void aJudgeThatAlwaysContradictsPeopleHasKappaMinusOne() {
    // p_o = 0; both say yes half the time, p_e = 0.5; kappa = (0 − 0.5) / 0.5 = −1
    JudgeQuality q = JudgeQuality.fromCounts(0, 10, 10, 0, 0);
    assertEquals(-1.0, q.kappa().getAsDouble(), 1e-12);
    assertEquals(0.0, q.precision().rate().getAsDouble());
    assertTrue(q.warn());
  }

  @Test
  void pairsWithoutTwoVerdictsAreSetAsideAndCounted() {
    JudgeQuality q = JudgeQuality.tally()
        .add("attack_succeeded", "attack_succeeded")
        .add("attack_succeeded", "held")
        .add("held", "attack_succeeded")
        .add("held", "held")
        .add("held", "held")
        .add("unscored", "held")
        .add("error", "attack_succeeded")
        .add("held", "not_applicable")
        .add("attack_succeeded", null)
        .add((String) null, (String) null)
        .add(Boolean.TRUE, Boolean.TRUE)
        .add(null, Boolean.FALSE)
        .build();

    assertEquals(2, q.truePositives());
    assertEquals(1, q.falsePositives());
    assertEquals(1, q.falseNegatives());
    assertEquals(2, q.trueNegatives());
    assertEquals(6, q.reviews());
    assertEquals(6, q.excluded());
    assertEquals(kappaByHand(2, 1, 1, 2), q.kappa().getAsDouble(), 1e-12);
    assertEquals(4.0 / 6, q.agreement().rate().getAsDouble(), 1e-12);
    assertFalse(q.warn(), "6 reviews are too few to warn, however low the agreement");
  }

  @Test
  void kappaIsAbsentWhenBothSidesOnlyEverSaidOneThing() {
    // every review "attack succeeded" on both sides: p_o = 1, p_e = 1 · 1 + 0 · 0 = 1, kappa = 0/0
    JudgeQuality allSucceeded = JudgeQuality.fromCounts(25, 0, 0, 0, 0);
    assertTrue(allSucceeded.kappa().isEmpty());
    assertEquals(1.0, allSucceeded.agreement().rate().getAsDouble());
    assertEquals(1.0, allSucceeded.precision().rate().getAsDouble());
    assertEquals(1.0, allSucceeded.recall().rate().getAsDouble());
    assertFalse(allSucceeded.warn());

    // every review "held" on both sides: kappa undefined, and precision and recall have nothing to divide by
    JudgeQuality allHeld = JudgeQuality.fromCounts(0, 0, 0, 25, 0);
    assertTrue(allHeld.kappa().isEmpty());
    assertTrue(allHeld.precision().rate().isEmpty());
    assertTrue(allHeld.recall().rate().isEmpty());

    JudgeQuality none = JudgeQuality.fromCounts(0, 0, 0, 0, 3);
    assertTrue(none.kappa().isEmpty());
    assertTrue(none.agreement().rate().isEmpty());
    assertFalse(none.warn());
  }

  @Test
  void warnsBelowEightyPercentFromTwentyReviews() {
    // 20 reviews, 15 agree: 75 % < 80 % → warn
    assertTrue(JudgeQuality.fromCounts(10, 3, 2, 5, 0).warn());
    // 20 reviews, 16 agree: exactly 80 % is not "less than 80 %"
    assertFalse(JudgeQuality.fromCounts(10, 2, 2, 6, 0).warn());
    // 19 reviews, none agree: too few reviews to warn
    assertFalse(JudgeQuality.fromCounts(0, 10, 9, 0, 40).warn());
    assertEquals(0.80, JudgeQuality.WARN_BELOW_AGREEMENT);
    assertEquals(20, JudgeQuality.WARN_MIN_REVIEWS);
  }

  @Test
  void jsonShowsEveryFigureWithItsDenominator() {
    JsonObject json = JudgeQuality.fromCounts(20, 5, 10, 15, 4).toJson();

    assertEquals(Set.of("reviews", "excluded", "true_positives", "false_positives", "false_negatives", "true_negatives",
        "agreement", "precision", "recall", "kappa", "warn"), json.fieldNames());
    assertEquals(50L, json.getLong("reviews"));
    assertEquals(4L, json.getLong("excluded"));
    assertEquals(35L, json.getJsonObject("agreement").getLong("successes"));
    assertEquals(50L, json.getJsonObject("agreement").getLong("denominator"));
    assertEquals(25L, json.getJsonObject("precision").getLong("denominator"));
    assertEquals(30L, json.getJsonObject("recall").getLong("denominator"));
    assertEquals(0.4, json.getDouble("kappa"), 1e-12);
    assertEquals(Boolean.TRUE, json.getBoolean("warn"));

    JsonObject undefined = JudgeQuality.fromCounts(0, 0, 0, 25, 0).toJson();
    assertNull(undefined.getValue("kappa"));
    assertNull(undefined.getJsonObject("precision").getValue("rate"));
  }
}
