package dev.gauntlet.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The first {@code count} of a seeded shuffle of every combination of a probe's parts (one index
 * per part list), so a seed always picks the same prompts and no combination comes twice.
 */
final class Picks {

  private Picks() {}

  static int size(int... dims) {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    if (n > 1_000_000) {
      throw new IllegalStateException("a probe of " + n + " combinations is too large to shuffle whole");
    }
    return (int) n;
  }

  static List<int[]> of(int count, long seed, int... dims) {
    int total = size(dims);
    int[] order = new int[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    // Fisher-Yates over the combination numbers; the prefix is all a caller needs
    SplittableRandom random = new SplittableRandom(seed);
    int n = Math.max(0, Math.min(count, total));
    for (int k = 0; k < n; k++) {
      int j = k + random.nextInt(total - k);
      int tmp = order[k];
      order[k] = order[j];
      order[j] = tmp;
    }
    List<int[]> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int rest = order[k];
      int[] pick = new int[dims.length];
      for (int d = dims.length - 1; d >= 0; d--) {
        pick[d] = rest % dims[d];
        rest /= dims[d];
      }
      out.add(pick);
    }
    return out;
  }
}
