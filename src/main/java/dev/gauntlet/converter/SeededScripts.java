package dev.gauntlet.converter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Unicode disguises that pick at random, seeded like {@link Seeded}: zalgo's stacked combining
 * marks and look-alike letters drawn from several scripts at once.
 */
final class SeededScripts {

  private SeededScripts() {
  }

  /** The combining diacritical marks U+0300–U+036F, less U+034F (the grapheme joiner, which has no glyph). */
  static boolean isZalgoMark(int c) {
    return c >= 0x0300 && c <= 0x036F && c != 0x034F;
  }

  /** After each letter or digit, between 1 and {@code intensity} combining marks chosen at random. */
  static final class Zalgo extends TextConverter {
    private final int intensity;
    private final long seed;

    Zalgo(int intensity, long seed) {
      this.intensity = intensity;
      this.seed = seed;
    }

    @Override
    String apply(String text) {
      Random random = random(seed, text);
      StringBuilder out = new StringBuilder(text.length() * (intensity + 1));
      text.codePoints().forEach(c -> {
        out.appendCodePoint(c);
        if (Character.isLetterOrDigit(c)) {
          for (int n = 1 + random.nextInt(intensity); n > 0; n--) {
            int mark;
            do {
              mark = 0x0300 + random.nextInt(0x70);
            } while (!isZalgoMark(mark));
            out.appendCodePoint(mark);
          }
        }
      });
      return out.toString();
    }
  }

  /**
   * Letters and digits replaced, with the given probability each, by a look-alike picked at random
   * from several scripts: Greek, Armenian, Cherokee, Latin extensions and the mathematical
   * sans-serif letters (which every letter has), so one word mixes scripts unpredictably.
   */
  static final class Homoglyph extends TextConverter {
    static final Map<Integer, List<String>> LOOK_ALIKES = lookAlikes();

    private final double probability;
    private final long seed;

    Homoglyph(double probability, long seed) {
      this.probability = probability;
      this.seed = seed;
    }

    private static Map<Integer, List<String>> lookAlikes() {
      Map<Integer, List<String>> m = new HashMap<>();
      // Greek capitals, then Greek, Armenian and Latin-extension small letters, then Cherokee
      add(m, "ABEZHIKMNOPTYX", "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ");
      add(m, "oviuaghnqg", "ονιυɑɡհոզց");
      add(m, "DGJLRSVW", "ᎠᏀᎫᏞᏒᏚᏙᎳ");
      for (int c = 'A'; c <= 'Z'; c++) {
        add(m, Character.toString(c), Character.toString(0x1D5A0 + c - 'A'));
        add(m, Character.toString(c + 32), Character.toString(0x1D5BA + c - 'A'));
      }
      for (int d = '0'; d <= '9'; d++) {
        add(m, Character.toString(d), Character.toString(0x1D7E2 + d - '0'));
      }
      Map<Integer, List<String>> frozen = new HashMap<>();
      m.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
      return Map.copyOf(frozen);
    }

    private static void add(Map<Integer, List<String>> m, String latin, String alike) {
      int[] to = alike.codePoints().toArray();
      if (to.length != latin.length()) {
        throw new IllegalStateException("look-alike table out of step: " + latin);
      }
      for (int i = 0; i < to.length; i++) {
        m.computeIfAbsent((int) latin.charAt(i), k -> new java.util.ArrayList<>()).add(Character.toString(to[i]));
      }
    }

    @Override
    String apply(String text) {
      Random random = random(seed, text);
      StringBuilder out = new StringBuilder(text.length() * 2);
      text.codePoints().forEach(c -> {
        List<String> options = LOOK_ALIKES.get(c);
        if (options != null && random.nextDouble() < probability) {
          out.append(options.get(random.nextInt(options.size())));
        } else {
          out.appendCodePoint(c);
        }
      });
      return out.toString();
    }
  }
}
