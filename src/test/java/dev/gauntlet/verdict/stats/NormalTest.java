package dev.gauntlet.verdict.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NormalTest {

  @Test
  void twoSidedPValuesMatchThePublishedNormalTables() {
    // the critical values every standard normal table lists for two-sided 10 %, 5 %, 1 %, 0.1 %
    assertEquals(0.1000, Normal.twoSidedP(1.6449), 1e-4);
    assertEquals(0.0500, Normal.twoSidedP(1.96), 1e-4);
    assertEquals(0.0100, Normal.twoSidedP(2.5758), 1e-4);
    assertEquals(0.0010, Normal.twoSidedP(3.2905), 1e-4);
    assertEquals(0.0500, Normal.twoSidedP(-1.96), 1e-4);
    assertEquals(1.0, Normal.twoSidedP(0), 1e-7);
  }

  @Test
  void cdfMatchesTheTableOfPhi() {
    // Φ(1) = 0.8413, Φ(1.645) = 0.9500, Φ(−2) = 0.0228: any table of the standard normal
    assertEquals(0.8413, Normal.cdf(1), 1e-4);
    assertEquals(0.9500, Normal.cdf(1.645), 1e-4);
    assertEquals(0.0228, Normal.cdf(-2), 1e-4);
    assertEquals(0.5, Normal.cdf(0), 1e-7);
  }

  @Test
  void erfcIsAccurateToOnePartInTenMillion() {
    // erfc = 1 − erf, from the table of erf in Abramowitz & Stegun (Table 7.1) for 0.5, 1 and 2;
    // erfc(3) = 2.209049699858544e-5 from the asymptotic series, which is accurate there
    double[][] known = {
        {0.5, 0.479500122186953},
        {1.0, 0.157299207050285},
        {2.0, 0.004677734981047266},
        {3.0, 2.209049699858544e-5},
    };
    for (double[] row : known) {
      assertEquals(row[1], Normal.erfc(row[0]), row[1] * 1.2e-7, "erfc(" + row[0] + ")");
      assertEquals(2 - row[1], Normal.erfc(-row[0]), 1.2e-7, "erfc(-" + row[0] + ")");
    }
  }
}
