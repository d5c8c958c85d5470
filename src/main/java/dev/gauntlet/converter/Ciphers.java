package dev.gauntlet.converter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Encodings and classical ciphers a model can be asked to undo: escapes (unicode, HTML, decimal
 * code points), byte encodings (Base32, Ascii85) and letter ciphers (Vigenère, rail fence, tap
 * code). The reversible ones carry a {@code decode} (see {@link Decoders}).
 */
final class Ciphers {

  private Ciphers() {
  }

  /** Every UTF-16 unit as {@code \\uXXXX}, as Java and JSON write it, so emoji become a surrogate pair. */
  static final class UnicodeEscape extends TextConverter {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 6);
      for (int i = 0; i < text.length(); i++) {
        out.append("\\u").append(HEX.toHexDigits(text.charAt(i)));
      }
      return out.toString();
    }

    static String decode(String text) {
      if (text.length() % 6 != 0) {
        throw new IllegalArgumentException("not a sequence of \\uXXXX escapes");
      }
      StringBuilder out = new StringBuilder(text.length() / 6);
      for (int i = 0; i < text.length(); i += 6) {
        if (!text.startsWith("\\u", i)) {
          throw new IllegalArgumentException("no \\u at " + i);
        }
        out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
      }
      return out.toString();
    }
  }

  /** Every code point as a numeric HTML character reference, decimal ({@code &#72;}) or hex ({@code &#x48;}). */
  static final class HtmlEntity extends TextConverter {
    private final boolean hex;

    HtmlEntity(boolean hex) {
      this.hex = hex;
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 6);
      text.codePoints().forEach(c -> out.append(hex ? "&#x" + Integer.toHexString(c).toUpperCase(Locale.ROOT) : "&#" + c)
          .append(';'));
      return out.toString();
    }

    static String decode(String text) {
      StringBuilder out = new StringBuilder();
      for (String ref : text.split(";", -1)) {
        if (ref.isEmpty()) {
          continue;
        }
        if (!ref.startsWith("&#")) {
          throw new IllegalArgumentException("not a character reference: " + ref);
        }
        boolean hex = ref.startsWith("&#x");
        out.appendCodePoint(Integer.parseInt(ref.substring(hex ? 3 : 2), hex ? 16 : 10));
      }
      return out.toString();
    }
  }

  /** Decimal code points separated by a value: "Hi" becomes "72 105". */
  static final class CharCode extends TextConverter {
    private final String separator;

    CharCode(String separator) {
      this.separator = separator;
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder();
      text.codePoints().forEach(c -> {
        if (!out.isEmpty()) {
          out.append(separator);
        }
        out.append(c);
      });
      return out.toString();
    }

    String decode(String text) {
      StringBuilder out = new StringBuilder();
      if (!text.isEmpty()) {
        for (String n : text.split(java.util.regex.Pattern.quote(separator), -1)) {
          out.appendCodePoint(Integer.parseInt(n));
        }
      }
      return out.toString();
    }
  }

  /** RFC 4648 Base32 of the UTF-8 bytes, upper-case, padded with '='. */
  static final class Base32 extends TextConverter {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    @Override
    String apply(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      StringBuilder out = new StringBuilder((bytes.length + 4) / 5 * 8);
      for (int i = 0; i < bytes.length; i += 5) {
        int n = Math.min(5, bytes.length - i);
        long block = 0;
        for (int k = 0; k < 5; k++) {
          block = (block << 8) | (k < n ? bytes[i + k] & 0xff : 0);
        }
        int chars = (n * 8 + 4) / 5; // characters that carry bits; the rest of the 8 are padding
        for (int k = 0; k < 8; k++) {
          out.append(k < chars ? ALPHABET.charAt((int) (block >>> (35 - 5 * k)) & 31) : '=');
        }
      }
      return out.toString();
    }

    static String decode(String text) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int buffer = 0;
      int bits = 0;
      for (char c : text.toCharArray()) {
        if (c == '=') {
          break;
        }
        int v = ALPHABET.indexOf(c);
        if (v < 0) {
          throw new IllegalArgumentException("not a Base32 character: " + c);
        }
        buffer = (buffer << 5) | v;
        bits += 5;
        if (bits >= 8) {
          bits -= 8;
          bytes.write((buffer >>> bits) & 0xff);
        }
      }
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Ascii85 (as btoa and Adobe write it, without the {@code <~ ~>} frame) of the UTF-8 bytes:
   * four bytes become five characters from '!' to 'u', an all-zero group becomes 'z', and a last
   * partial group of n bytes becomes n + 1 characters.
   */
  static final class Ascii85 extends TextConverter {
    @Override
    String apply(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      StringBuilder out = new StringBuilder(bytes.length * 5 / 4 + 5);
      for (int i = 0; i < bytes.length; i += 4) {
        int n = Math.min(4, bytes.length - i);
        long word = 0;
        for (int k = 0; k < 4; k++) {
          word = (word << 8) | (k < n ? bytes[i + k] & 0xff : 0);
        }
        if (word == 0 && n == 4) {
          out.append('z');
          continue;
        }
        char[] digits = new char[5];
        for (int k = 4; k >= 0; k--) {
          digits[k] = (char) ('!' + word % 85);
          word /= 85;
        }
        out.append(digits, 0, n + 1);
      }
      return out.toString();
    }

    static String decode(String text) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int i = 0;
      while (i < text.length()) {
        if (text.charAt(i) == 'z') {
          bytes.writeBytes(new byte[4]);
          i++;
          continue;
        }
        int n = Math.min(5, text.length() - i);
        long word = 0;
        for (int k = 0; k < 5; k++) {
          int c = k < n ? text.charAt(i + k) : 'u'; // a partial group is padded with the highest digit
          if (c < '!' || c > 'u') {
            throw new IllegalArgumentException("not an Ascii85 character: " + (char) c);
          }
          word = word * 85 + (c - '!');
        }
        for (int k = 0; k < n - 1; k++) {
          bytes.write((int) (word >>> (24 - 8 * k)) & 0xff);
        }
        i += n;
      }
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Vigenère: each ASCII letter shifted by the matching letter of the key (a = 0), case kept; the
   * key advances on letters only, so spaces and punctuation pass through and do not use it up.
   */
  static final class Vigenere extends TextConverter {
    private final int[] shifts;

    Vigenere(String key, boolean decrypt) {
      shifts = key.toLowerCase(Locale.ROOT).chars().map(c -> decrypt ? (26 - (c - 'a')) % 26 : c - 'a').toArray();
    }

    /** A usable key: ASCII letters only, at least one. */
    static boolean validKey(String key) {
      return !key.isEmpty() && key.chars().allMatch(TextConverter::isAsciiLetter);
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      int k = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (isAsciiLetter(c)) {
          char base = Character.isUpperCase(c) ? 'A' : 'a';
          out.append((char) (base + (c - base + shifts[k++ % shifts.length]) % 26));
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }

  /**
   * Rail fence: the characters written in a zigzag over a number of rails, then read rail by rail.
   * With 3 rails "WEAREDISCOVERED" reads "WECRERDSOEEAIVD".
   */
  static final class RailFence extends TextConverter {
    private final int rails;

    RailFence(int rails) {
      this.rails = rails;
    }

    @Override
    String apply(String text) {
      String[] cps = codePoints(text);
      StringBuilder out = new StringBuilder(text.length());
      for (int rail = 0; rail < rails; rail++) {
        for (int i = 0; i < cps.length; i++) {
          if (railOf(i) == rail) {
            out.append(cps[i]);
          }
        }
      }
      return out.toString();
    }

    String decode(String text) {
      String[] cps = codePoints(text);
      String[] out = new String[cps.length];
      int next = 0;
      for (int rail = 0; rail < rails; rail++) {
        for (int i = 0; i < cps.length; i++) {
          if (railOf(i) == rail) {
            out[i] = cps[next++];
          }
        }
      }
      return String.join("", out);
    }

    private int railOf(int i) {
      int cycle = 2 * (rails - 1);
      int p = i % cycle;
      return p < rails ? p : cycle - p;
    }
  }

  /**
   * Tap code: each letter as its row and column in a 5×5 square without K (K is tapped as C),
   * written as dots — "..  ..." is row 2, column 3 (H). Letters are separated by two spaces,
   * words by " / "; other characters are kept as they are.
   */
  static final class TapCode extends TextConverter {
    private static final String SQUARE = "ABCDEFGHIJLMNOPQRSTUVWXYZ";

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder();
      boolean space = false; // whitespace since the last token: the next token starts a new word
      for (String c : codePoints(text)) {
        int cp = c.codePointAt(0);
        if (Character.isWhitespace(cp)) {
          space = true;
          continue;
        }
        if (!out.isEmpty()) {
          out.append(space ? " / " : "  ");
        }
        space = false;
        if (isAsciiLetter(cp)) {
          char upper = Character.toUpperCase((char) cp);
          int at = SQUARE.indexOf(upper == 'K' ? 'C' : upper);
          out.append(".".repeat(at / 5 + 1)).append(' ').append(".".repeat(at % 5 + 1));
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
