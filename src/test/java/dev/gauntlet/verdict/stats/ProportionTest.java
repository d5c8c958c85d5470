package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProportionTest {

  private static final double Z = 1.959963984540054;

  /**
   * Wilson's bounds are the two roots π of (p − π)² = z²·π(1 − π)/n, i.e. of
   * (1 + z²/n)·π² − (2p + z²/n)·π + p² = 0; solved here by the quadratic formula, a different
   * route from the centre ± half-width form the code uses.
   */
  private static double[] wilsonByQuadratic(long k, long n, double z) {
    double p = (double) k / n;
    double a = 1 + z * z / n;
    double b = -(2 * p + z * z / n);
    double c = p * p;
    double root = Math.sqrt(b * b - 4 * a * c);
    return new double[] {(-b - root) / (2 * a), (-b + root) / (2 * a)};
  }

  @Test
  void eightOfTenHasTheWilsonInterval() {
    Proportion p = Proportion.of(8, 10);
    double[] expected = wilsonByQuadratic(8, 10, Z);
    Interval interval = p.wilson().orElseThrow();

    assertEquals(0.8, p.rate().getAsDouble(), 1e-12);
    assertEquals(expected[0], interval.low(), 1e-9);
    assertEquals(expected[1], interval.high(), 1e-9);
    // to four places, the figures a reader can check: 49.0 % to 94.3 %
    assertEquals(0.4902, interval.low(), 1e-4);
    assertEquals(0.9433, interval.high(), 1e-4);
  }

  @Test
  void zeroOfTwentyStartsAtZeroButIsNotCertain() {
    // with k = 0 the roots are 0 and (z²/n) / (1 + z²/n) = z² / (n + z²)
    Interval interval = Proportion.of(0, 20).wilson().orElseThrow();
    assertEquals(0.0, interval.low());
    assertEquals(Z * Z / (20 + Z * Z), interval.high(), 1e-12);
    assertEquals(0.1611, interval.high(), 1e-4);
  }

  @Test
  void twentyOfTwentyEndsAtOneButIsNotCertain() {
    // with k = n the roots are n / (n + z²) and 1
    Interval interval = Proportion.of(20, 20).wilson().orElseThrow();
    assertEquals(20 / (20 + Z * Z), interval.low(), 1e-12);
    assertEquals(1.0, interval.high());
    assertEquals(0.8389, interval.low(), 1e-4);
  }

  @Test
  void anotherZGivesAnotherConfidenceLevel() {
    double z99 = 2.5758293035489;
    Interval i99 = Proportion.of(8, 10).wilson(z99).orElseThrow();
    Interval i95 = Proportion.of(8, 10).wilson().orElseThrow();
    double[] expected = wilsonByQuadratic(8, 10, z99);

    assertEquals(expected[0], i99.low(), 1e-9);
    assertEquals(expected[1], i99.high(), 1e-9);
    assertTrue(i99.low() < i95.low() && i99.high() > i95.high(), "99 % is wider than 95 %");
  }

  @Test
  void moreResultsNarrowTheInterval() {
    Interval few = Proportion.of(8, 10).wilson().orElseThrow();
    Interval many = Proportion.of(800, 1000).wilson().orElseThrow();
    double[] expected = wilsonByQuadratic(800, 1000, Z);

    assertEquals(expected[0], many.low(), 1e-9);
    assertEquals(expected[1], many.high(), 1e-9);
    assertTrue(many.high() - many.low() < (few.high() - few.low()) / 5);
  }

  @Test
  void noResultsHaveNoRateAndNoInterval() {
    Proportion none = Proportion.of(0, 0);
    assertFalse(none.hasRate());
    assertTrue(none.rate().isEmpty());
    assertTrue(none.wilson().isEmpty());

    JsonObject json = none.toJson();
    assertEquals(0L, json.getLong("denominator"));
    assertTrue(json.containsKey("rate"));
    assertNull(json.getValue("rate"));
    assertNull(json.getValue("low"));
    assertNull(json.getValue("high"));
  }

  @Test
  void jsonCarriesTheRateItsDenominatorAndTheInterval() {
    JsonObject json = Proportion.of(8, 10).toJson();
    double[] expected = wilsonByQuadratic(8, 10, Z);

    assertEquals(java.util.Set.of("successes", "denominator", "rate", "low", "high"), json.fieldNames());
    assertEquals(8L, json.getLong("successes"));
    assertEquals(10L, json.getLong("denominator"));
    assertEquals(0.8, json.getDouble("rate"), 1e-12);
    assertEquals(expected[0], json.getDouble("low"), 1e-9);
    assertEquals(expected[1], json.getDouble("high"), 1e-9);
  }

  @Test
  void impossibleCountsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Proportion.of(11, 10));
    assertThrows(IllegalArgumentException.class, () -> Proportion.of(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> Proportion.of(1, 10).wilson(0));
  }
}
