package dev.gauntlet.converter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text restyled with other Unicode characters that a person still reads as the same letters:
 * superscript, subscript, small capitals, emoji letters, upside down, the mathematical
 * alphanumeric styles and Grade-1 braille. Characters a style has no form for are kept.
 */
final class Scripts {

  private Scripts() {
  }

  /** Replaces each code point found in a table by its look-alike and keeps the others. */
  static class CharMap extends TextConverter {
    private final Map<Integer, String> table;

    CharMap(Map<Integer, String> table) {
      this.table = table;
    }

    /** Pairs the i-th code point of {@code from} with the i-th of {@code to}. */
    static Map<Integer, String> pairs(String from, String to) {
      int[] f = from.codePoints().toArray();
      int[] t = to.codePoints().toArray();
      if (f.length != t.length) {
        throw new IllegalStateException("character table out of step: " + f.length + " vs " + t.length);
      }
      Map<Integer, String> m = new HashMap<>();
      for (int i = 0; i < f.length; i++) {
        m.put(f[i], Character.toString(t[i]));
      }
      return m;
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 2);
      text.codePoints().forEach(c -> {
        String s = table.get(c);
        if (s != null) {
          out.append(s);
        } else {
          out.appendCodePoint(c);
        }
      });
      return out.toString();
    }
  }

  /** Upper-case letters take the lower-case form where a table has no capital of their own. */
  private static Map<Integer, String> withCapitals(Map<Integer, String> lower, Map<Integer, String> capitals) {
    Map<Integer, String> m = new HashMap<>(lower);
    for (int c = 'A'; c <= 'Z'; c++) {
      String own = capitals.get(c);
      String small = lower.get(c + 32);
      if (own != null) {
        m.put(c, own);
      } else if (small != null) {
        m.put(c, small);
      }
    }
    return Map.copyOf(m);
  }

  static final Map<Integer, String> SUPERSCRIPT = withCapitals(
      CharMap.pairs("abcdefghijklmnoprstuvwxyz0123456789+-=()", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"),
      CharMap.pairs("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ"));

  static final Map<Integer, String> SUBSCRIPT = withCapitals(
      CharMap.pairs("aehijklmnoprstuvx0123456789+-=()", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"), Map.of());

  /** Lower-case letters as small capitals; there is no small capital x, so x stays. */
  static final Map<Integer, String> SMALL_CAPS =
      Map.copyOf(CharMap.pairs("abcdefghijklmnopqrstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ"));

  /**
   * Letters as regional-indicator symbols and digits as keycaps. Two regional indicators in a row
   * render as a flag (U S is 🇺🇸), so a zero-width space keeps every letter apart.
   */
  static final class EmojiLetters extends TextConverter {
    private static final int REGIONAL_A = 0x1F1E6;
    private static final String ZWSP = "\u200B";

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 4);
      boolean lastWasLetter = false;
      for (int c : text.codePoints().toArray()) {
        boolean letter = isAsciiLetter(c);
        if (letter) {
          if (lastWasLetter) {
            out.append(ZWSP);
          }
          out.appendCodePoint(REGIONAL_A + Character.toLowerCase(c) - 'a');
        } else if (c >= '0' && c <= '9') {
          out.appendCodePoint(c).append("\uFE0F\u20E3");
        } else {
          out.appendCodePoint(c);
        }
        lastWasLetter = letter;
      }
      return out.toString();
    }
  }

  /** The text turned half a turn: reversed, each character replaced by its rotated look-alike. */
  static final class UpsideDown extends TextConverter {
    private static final Map<Integer, String> TURNED = turned();

    private static Map<Integer, String> turned() {
      Map<Integer, String> m = new HashMap<>(CharMap.pairs(
          "abcdefghijklmnopqrstuvwxyz",
          "ɐqɔpǝɟƃɥᴉɾʞlɯuodbɹsʇnʌʍxʎz"));
      m.putAll(CharMap.pairs("ACEFGJLMPTUVWY", "∀ƆƎℲ⅁ſ˥WԀ⊥∩ΛM⅄"));
      m.putAll(CharMap.pairs("1234567890", "ƖᄅƐㄣϛ9ㄥ860"));
      m.putAll(CharMap.pairs(".,?!'\"()[]{}<>_&;", "˙'¿¡,„)(][}{><‾⅋؛"));
      return Map.copyOf(m);
    }

    @Override
    String apply(String text) {
      int[] cps = text.codePoints().toArray();
      StringBuilder out = new StringBuilder(text.length());
      for (int i = cps.length - 1; i >= 0; i--) {
        String t = TURNED.get(cps[i]);
        if (t != null) {
          out.append(t);
        } else {
          out.appendCodePoint(cps[i]);
        }
      }
      return out.toString();
    }
  }

  /**
   * The styles of Unicode's Mathematical Alphanumeric Symbols block (U+1D400…): each is 52
   * consecutive letters (A–Z then a–z), except for letters encoded earlier in Letterlike Symbols,
   * which leave holes that {@link #HOLES} fills.
   */
  static final class MathAlphanumeric extends TextConverter {
    static final Map<String, Integer> LETTERS = Map.ofEntries(
        Map.entry("bold", 0x1D400), Map.entry("italic", 0x1D434), Map.entry("bold_italic", 0x1D468),
        Map.entry("script", 0x1D49C), Map.entry("bold_script", 0x1D4D0), Map.entry("fraktur", 0x1D504),
        Map.entry("double_struck", 0x1D538), Map.entry("bold_fraktur", 0x1D56C), Map.entry("sans_serif", 0x1D5A0),
        Map.entry("sans_serif_bold", 0x1D5D4), Map.entry("sans_serif_italic", 0x1D608), Map.entry("monospace", 0x1D670));
    /** Styles with their own digits; the others keep ASCII digits. */
    private static final Map<String, Integer> DIGITS = Map.of("bold", 0x1D7CE, "double_struck", 0x1D7D8,
        "sans_serif", 0x1D7E2, "sans_serif_bold", 0x1D7EC, "monospace", 0x1D7F6);
    private static final Map<String, Map<Integer, Integer>> HOLES = Map.of(
        "italic", Map.of((int) 'h', 0x210E),
        "script", holes("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ"),
        "fraktur", holes("CHIRZ", "ℭℌℑℜℨ"),
        "double_struck", holes("CHNPQRZ", "ℂℍℕℙℚℝℤ"));

    private final int letters;
    private final Integer digits;
    private final Map<Integer, Integer> holes;

    MathAlphanumeric(String style) {
      this.letters = LETTERS.get(style);
      this.digits = DIGITS.get(style);
      this.holes = HOLES.getOrDefault(style, Map.of());
    }

    static List<String> styles() {
      return LETTERS.keySet().stream().sorted().toList();
    }

    private static Map<Integer, Integer> holes(String latin, String letterlike) {
      Map<Integer, Integer> m = new HashMap<>();
      int[] to = letterlike.codePoints().toArray();
      for (int i = 0; i < latin.length(); i++) {
        m.put((int) latin.charAt(i), to[i]);
      }
      return Map.copyOf(m);
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 2);
      text.codePoints().forEach(c -> {
        if (holes.containsKey(c)) {
          out.appendCodePoint(holes.get(c));
        } else if (c >= 'A' && c <= 'Z') {
          out.appendCodePoint(letters + c - 'A');
        } else if (c >= 'a' && c <= 'z') {
          out.appendCodePoint(letters + 26 + c - 'a');
        } else if (c >= '0' && c <= '9' && digits != null) {
          out.appendCodePoint(digits + c - '0');
        } else {
          out.appendCodePoint(c);
        }
      });
      return out.toString();
    }
  }

  /**
   * Grade-1 (uncontracted) English braille in Unicode braille patterns: a capital sign before an
   * upper-case letter, a number sign before a run of digits (1–0 are the cells of a–j), and a
   * letter sign when a–j follows a digit and would otherwise read as one.
   */
  static final class Braille extends TextConverter {
    /** Dots of each cell as bits (dot n is bit n-1), as Unicode lays out U+2800–U+28FF. */
    private static final int[] LETTER_DOTS = {0x01, 0x03, 0x09, 0x19, 0x11, 0x0B, 0x1B, 0x13, 0x0A, 0x1A, 0x05, 0x07,
        0x0D, 0x1D, 0x15, 0x0F, 0x1F, 0x17, 0x0E, 0x1E, 0x25, 0x27, 0x3A, 0x2D, 0x3D, 0x35};
    private static final Map<Integer, Integer> PUNCTUATION = Map.of((int) ',', 0x02, (int) ';', 0x06, (int) ':', 0x12,
        (int) '.', 0x32, (int) '!', 0x16, (int) '?', 0x26, (int) '\'', 0x04, (int) '-', 0x24);
    private static final int CAPITAL = 0x20;
    private static final int NUMBER = 0x3C;
    private static final int LETTER = 0x30;

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 2);
      boolean inNumber = false;
      for (int c : text.codePoints().toArray()) {
        if (c >= '0' && c <= '9') {
          if (!inNumber) {
            cell(out, NUMBER);
            inNumber = true;
          }
          cell(out, LETTER_DOTS[(c - '0' + 9) % 10]);
          continue;
        }
        if (isAsciiLetter(c)) {
          int lower = Character.toLowerCase(c);
          if (inNumber && lower <= 'j') {
            cell(out, LETTER);
          }
          if (c != lower) {
            cell(out, CAPITAL);
          }
          cell(out, LETTER_DOTS[lower - 'a']);
        } else if (PUNCTUATION.containsKey(c)) {
          cell(out, PUNCTUATION.get(c));
        } else {
          out.appendCodePoint(c);
        }
        inNumber = false;
      }
      return out.toString();
    }

    private static void cell(StringBuilder out, int dots) {
      out.append((char) (0x2800 + dots));
    }
  }
}
