package dev.gauntlet.converter;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Obfuscations that pick at random. Each draws from {@link TextConverter#random(long, String)},
 * seeded by its {@code seed} parameter and the input, so a prompt always converts the same way.
 */
final class Seeded {

  private Seeded() {
  }

  /**
   * Typos that keep words readable: in a word of four letters or more, chosen with the given
   * probability, two adjacent inner letters change places (the first and last stay).
   */
  static final class CharSwap extends TextConverter {
    private final double probability;
    private final long seed;

    CharSwap(double probability, long seed) {
      this.probability = probability;
      this.seed = seed;
    }

    @Override
    String apply(String text) {
      Random random = random(seed, text);
      int[] cps = text.codePoints().toArray();
      int start = -1;
      for (int i = 0; i <= cps.length; i++) {
        boolean letter = i < cps.length && Character.isLetter(cps[i]);
        if (letter && start < 0) {
          start = i;
        } else if (!letter && start >= 0) {
          int length = i - start;
          if (length >= 4 && random.nextDouble() < probability) {
            int at = start + 1 + random.nextInt(length - 3);
            int t = cps[at];
            cps[at] = cps[at + 1];
            cps[at + 1] = t;
          }
          start = -1;
        }
      }
      return new String(cps, 0, cps.length);
    }
  }

  /** Latin letters replaced, with the given probability each, by their Cyrillic look-alikes. */
  static final class UnicodeConfusable extends TextConverter {
    private static final Map<Integer, Integer> HOMOGLYPHS = homoglyphs(
        "aceopxyijshABCEHIJKMOPSTXY",
        "\u0430\u0441\u0435\u043E\u0440\u0445\u0443\u0456\u0458\u0455\u04BB"
            + "\u0410\u0412\u0421\u0415\u041D\u0406\u0408\u041A\u041C\u041E\u0420\u0405\u0422\u0425\u04AE");

    private final double probability;
    private final long seed;

    UnicodeConfusable(double probability, long seed) {
      this.probability = probability;
      this.seed = seed;
    }

    @Override
    String apply(String text) {
      Random random = random(seed, text);
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(c -> {
        Integer look = HOMOGLYPHS.get(c);
        out.appendCodePoint(look != null && random.nextDouble() < probability ? look : c);
      });
      return out.toString();
    }

    private static Map<Integer, Integer> homoglyphs(String latin, String cyrillic) {
      if (latin.length() != cyrillic.length()) {
        throw new IllegalStateException("homoglyph table out of step");
      }
      Map<Integer, Integer> m = new HashMap<>();
      for (int i = 0; i < latin.length(); i++) {
        m.put((int) latin.charAt(i), (int) cyrillic.charAt(i));
      }
      return Map.copyOf(m);
    }
  }

  /** Upper-cases a percentage of the cased letters, chosen at random (rounded to the nearest letter). */
  static final class RandomCapital extends TextConverter {
    private final double percentage;
    private final long seed;

    RandomCapital(double percentage, long seed) {
      this.percentage = percentage;
      this.seed = seed;
    }

    @Override
    String apply(String text) {
      int[] cps = text.codePoints().toArray();
      int[] letters = IntStream.range(0, cps.length).filter(i -> cased(cps[i])).toArray();
      int count = (int) Math.round(letters.length * percentage / 100.0);
      Random random = random(seed, text);
      for (int k = 0; k < count; k++) { // partial Fisher–Yates: the first count slots are the chosen ones
        int j = k + random.nextInt(letters.length - k);
        int t = letters[k];
        letters[k] = letters[j];
        letters[j] = t;
        cps[letters[k]] = Character.toUpperCase(cps[letters[k]]);
      }
      return new String(cps, 0, cps.length);
    }

    /** Letters that have a case: 你 is a letter but cannot be capitalized, so it is not counted. */
    private static boolean cased(int c) {
      return Character.isLowerCase(c) || Character.isUpperCase(c) || Character.isTitleCase(c);
    }
  }
}
