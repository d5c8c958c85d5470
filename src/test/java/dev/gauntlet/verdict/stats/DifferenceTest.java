package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DifferenceTest {

  @Test
  void aFifteenPointDropOnAHundredEachIsSignificant() {
    // A: 45 of 100 attacks got through; B: 30 of 100.
    // pooled p̄ = 75 / 200 = 0.375; SE = √(0.375 · 0.625 · (1/100 + 1/100)) = √0.0046875 = 0.0684653
    // z = (0.30 − 0.45) / 0.0684653 = −2.19089
    // table: Φ(2.19) = 0.98574, Φ(2.20) = 0.98610, so Φ(2.19089) ≈ 0.98577 and p = 2 · (1 − 0.98577) = 0.0285
    Difference d = Difference.between(Proportion.of(45, 100), Proportion.of(30, 100));

    assertFalse(d.tooFewResults());
    assertEquals(-0.15, d.difference().getAsDouble(), 1e-12);
    assertEquals(-0.15 / Math.sqrt(0.375 * 0.625 * 0.02), d.z().getAsDouble(), 1e-12);
    assertEquals(-2.19089, d.z().getAsDouble(), 1e-5);
    assertEquals(0.0285, d.pValue().getAsDouble(), 2e-4);
    assertTrue(d.significant());
  }

  @Test
  void aFivePointDropOnAHundredEachIsNot() {
    // A: 50/100, B: 45/100. p̄ = 0.475; SE = √(0.475 · 0.525 · 0.02) = √0.0049875 = 0.0706222
    // z = −0.05 / 0.0706222 = −0.70799; table: Φ(0.70) = 0.7580, Φ(0.71) = 0.7611, so Φ(0.70799) ≈ 0.7605 and p ≈ 2 · (1 − 0.7605) = 0.479
    Difference d = Difference.between(Proportion.of(50, 100), Proportion.of(45, 100));

    assertEquals(-0.70799, d.z().getAsDouble(), 1e-5);
    assertEquals(0.479, d.pValue().getAsDouble(), 1e-3);
    assertFalse(d.significant());
    assertFalse(d.tooFewResults());
  }

  @Test
  void theDifferenceCarriesNewcombesHybridScoreInterval() {
    // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10:
    // 56/70 − 48/80 = 0.2000, 95 % interval 0.0524 to 0.3339; 9/10 − 3/10 = 0.6, 0.1705 to 0.8090.
    Difference first = Difference.between(Proportion.of(48, 80), Proportion.of(56, 70));
    assertEquals(0.2, first.difference().getAsDouble(), 1e-12);
    assertEquals(0.0524, first.interval().orElseThrow().low(), 1e-4);
    assertEquals(0.3339, first.interval().orElseThrow().high(), 1e-4);

    Difference second = Difference.between(Proportion.of(3, 10), Proportion.of(9, 10));
    assertEquals(0.1705, second.interval().orElseThrow().low(), 1e-4);
    assertEquals(0.8090, second.interval().orElseThrow().high(), 1e-4);
  }

  @Test
  void significanceIsDecidedAtFivePercentTwoSided() {
    // 60/100 vs 46/100: p̄ = 0.53, SE = √(0.53 · 0.47 · 0.02) = √0.004982 = 0.0705833,
    // z = −0.14 / 0.0705833 = −1.98347; table: Φ(1.98) = 0.9761, Φ(1.99) = 0.9767 → p ≈ 0.047 < 0.05
    Difference justSignificant = Difference.between(Proportion.of(60, 100), Proportion.of(46, 100));
    assertEquals(-1.98347, justSignificant.z().getAsDouble(), 1e-5);
    assertEquals(0.0473, justSignificant.pValue().getAsDouble(), 5e-4);
    assertTrue(justSignificant.significant());

    // 60/100 vs 47/100: p̄ = 0.535, SE = √(0.535 · 0.465 · 0.02) = √0.0049755 = 0.0705372,
    // z = −0.13 / 0.0705372 = −1.84300; table: Φ(1.84) = 0.9671, Φ(1.85) = 0.9678 → p ≈ 0.065 > 0.05
    Difference notQuite = Difference.between(Proportion.of(60, 100), Proportion.of(47, 100));
    assertEquals(-1.84300, notQuite.z().getAsDouble(), 1e-5);
    assertEquals(0.0653, notQuite.pValue().getAsDouble(), 5e-4);
    assertFalse(notQuite.significant());
  }

  @Test
  void fewerThanTenOnASideIsTooFewResultsHoweverLargeTheGap() {
    Difference d = Difference.between(Proportion.of(0, 9), Proportion.of(9, 9));

    assertTrue(d.tooFewResults());
    assertFalse(d.significant());
    assertTrue(d.z().isEmpty());
    assertTrue(d.pValue().isEmpty());
    assertEquals(1.0, d.difference().getAsDouble(), 1e-12);
    assertTrue(d.interval().isPresent(), "the difference keeps its interval");
  }

  @Test
  void expectedCountsBelowFiveAreTooFewResultsEvenWithManyTries() {
    // 1/100 vs 3/100: p̄ = 4/200 = 0.02, expected successes 100 · 0.02 = 2 < 5
    assertTrue(Difference.between(Proportion.of(1, 100), Proportion.of(3, 100)).tooFewResults());
    // 0/50 vs 0/50: p̄ = 0, nothing to test (and z would divide by zero)
    assertTrue(Difference.between(Proportion.of(0, 50), Proportion.of(0, 50)).tooFewResults());
    // 2/50 vs 8/50: p̄ = 10/100 = 0.1, expected successes 50 · 0.1 = 5 on each side: just enough
    Difference justEnough = Difference.between(Proportion.of(2, 50), Proportion.of(8, 50));
    assertFalse(justEnough.tooFewResults());
    assertTrue(justEnough.pValue().isPresent());
  }

  @Test
  void aSideWithoutResultsHasNoDifference() {
    Difference d = Difference.between(Proportion.of(0, 0), Proportion.of(5, 20));
    assertTrue(d.tooFewResults());
    assertTrue(d.difference().isEmpty());
    assertTrue(d.interval().isEmpty());

    JsonObject json = d.toJson();
    assertNull(json.getValue("difference"));
    assertNull(json.getValue("z"));
    assertNull(json.getValue("p_value"));
    assertEquals(Boolean.FALSE, json.getBoolean("significant"));
    assertEquals(Boolean.TRUE, json.getBoolean("too_few_results"));
  }

  @Test
  void jsonNamesEveryFigure() {
    JsonObject json = Difference.between(Proportion.of(45, 100), Proportion.of(30, 100)).toJson();

    assertEquals(java.util.Set.of("a", "b", "difference", "low", "high", "z", "p_value", "significant", "too_few_results"),
        json.fieldNames());
    assertEquals(45L, json.getJsonObject("a").getLong("successes"));
    assertEquals(30L, json.getJsonObject("b").getLong("successes"));
    assertEquals(-2.19089, json.getDouble("z"), 1e-5);
    assertTrue(json.getDouble("low") < -0.15 && json.getDouble("high") > -0.15);
    assertTrue(json.getDouble("high") < 0, "a significant drop's interval stays below 0");
    assertEquals(Boolean.TRUE, json.getBoolean("significant"));
  }
}
