package dev.gauntlet.verdict.stats;

/** The standard normal distribution, as far as the tests of rates need it. */
final class Normal {

  private Normal() {
  }

  /**
   * The complementary error function, by the Chebyshev-fitted approximation {@code erfcc} of
   * W. H. Press, S. A. Teukolsky, W. T. Vetterling, B. P. Flannery, <i>Numerical Recipes in C</i>,
   * 2nd ed. (1992), §6.2: fractional error below 1.2e-7 everywhere, which is ample for p-values
   * read at 5 % and shown to four places.
   */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? ans : 2.0 - ans;
  }

  /** P(Z <= z). */
  static double cdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /** P(|Z| >= |z|): the two-sided p-value of a z statistic. */
  static double twoSidedP(double z) {
    return Math.min(1.0, erfc(Math.abs(z) / Math.sqrt(2)));
  }
}
