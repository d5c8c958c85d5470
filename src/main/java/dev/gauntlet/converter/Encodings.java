package dev.gauntlet.converter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Encodings: reversible rewritings a model may still read. Each converter carries its own
 * {@code decode} so the pair stays side by side; {@link Decoders} exposes them to tests.
 * Byte-level encodings (base64, binary, hex, url) work on the UTF-8 bytes of the text.
 */
final class Encodings {

  private Encodings() {
  }

  static final class Base64Text extends TextConverter {
    @Override
    String apply(String text) {
      return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String text) {
      return new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.UTF_8);
    }
  }

  /** Shifts ASCII letters, keeping case; everything else is left alone. ROT13 is shift 13. */
  static final class Caesar extends TextConverter {
    private final int shift;

    Caesar(int shift) {
      this.shift = Math.floorMod(shift, 26);
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= 'a' && c <= 'z') {
          out.append((char) ('a' + (c - 'a' + shift) % 26));
        } else if (c >= 'A' && c <= 'Z') {
          out.append((char) ('A' + (c - 'A' + shift) % 26));
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }

    Caesar inverse() {
      return new Caesar(26 - shift);
    }
  }

  /** Mirrors the alphabet (a↔z, b↔y); its own inverse. */
  static final class Atbash extends TextConverter {
    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= 'a' && c <= 'z') {
          out.append((char) ('z' - (c - 'a')));
        } else if (c >= 'A' && c <= 'Z') {
          out.append((char) ('Z' - (c - 'A')));
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }

  /**
   * Writes a text as tokens separated by one space, one token per character: the code word of a
   * letter, digit or known symbol, {@code /} for a space, and any other character as itself
   * (é, 你, emoji, newlines). Code words ignore case, so decoding gives upper-case letters.
   */
  abstract static class TokenCode extends TextConverter {
    private final Map<Integer, String> words;
    private final Map<String, Integer> chars = new HashMap<>();

    TokenCode(Map<Integer, String> words) {
      this.words = words;
      words.forEach((c, w) -> {
        // A one-character word must be a character of the table itself, so it is never written as-is.
        boolean clash = w.equals("/") || (w.length() == 1 && !words.containsKey((int) w.charAt(0)));
        if (chars.put(w.toUpperCase(Locale.ROOT), c) != null || clash) {
          throw new IllegalStateException("ambiguous code word " + w);
        }
      });
    }

    @Override
    String apply(String text) {
      StringJoiner out = new StringJoiner(" ");
      text.codePoints().forEach(c -> {
        int key = c >= 'a' && c <= 'z' ? c - 32 : c;
        String word = words.get(key);
        out.add(word != null ? word : c == ' ' ? "/" : Character.toString(c));
      });
      return out.toString();
    }

    String decode(String text) {
      if (text.isEmpty()) {
        return "";
      }
      StringBuilder out = new StringBuilder();
      for (String token : text.split(" ", -1)) {
        Integer c = chars.get(token.toUpperCase(Locale.ROOT));
        if (c != null) {
          out.appendCodePoint(c);
        } else if (token.equals("/")) {
          out.append(' ');
        } else if (token.codePointCount(0, token.length()) == 1) {
          out.append(token);
        } else {
          throw new IllegalArgumentException("unknown code word '" + token + "'");
        }
      }
      return out.toString();
    }

    static Map<Integer, String> table(String chars, String... words) {
      if (chars.length() != words.length) {
        throw new IllegalStateException("table of " + chars.length() + " characters and " + words.length + " words");
      }
      Map<Integer, String> t = new HashMap<>();
      for (int i = 0; i < words.length; i++) {
        t.put((int) chars.charAt(i), words[i]);
      }
      return t;
    }
  }

  /** International Morse code, with the usual punctuation. */
  static final class Morse extends TokenCode {
    static final Morse INSTANCE = new Morse();

    private Morse() {
      super(table("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,?'!/()&:;=+-_\"$@",
          ".-", "-...", "-.-.", "-..", ".", "..-.", "--.", "....", "..", ".---", "-.-", ".-..", "--",
          "-.", "---", ".--.", "--.-", ".-.", "...", "-", "..-", "...-", ".--", "-..-", "-.--", "--..",
          "-----", ".----", "..---", "...--", "....-", ".....", "-....", "--...", "---..", "----.",
          ".-.-.-", "--..--", "..--..", ".----.", "-.-.--", "-..-.", "-.--.", "-.--.-", ".-...", "---...",
          "-.-.-.", "-...-", ".-.-.", "-....-", "..--.-", ".-..-.", "...-..-", ".--.-."));
    }
  }

  /** The NATO / ICAO spelling alphabet; digits are spelled in English and {@code /} is "Slash". */
  static final class Nato extends TokenCode {
    static final Nato INSTANCE = new Nato();

    private Nato() {
      super(table("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/",
          "Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
          "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
          "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu",
          "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Slash"));
    }
  }

  /** Eight bits per UTF-8 byte, bytes separated by a space: "hi" is "01101000 01101001". */
  static final class Binary extends TextConverter {
    @Override
    String apply(String text) {
      StringJoiner out = new StringJoiner(" ");
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        String bits = Integer.toBinaryString(b & 0xff);
        out.add("0".repeat(8 - bits.length()) + bits);
      }
      return out.toString();
    }

    static String decode(String text) {
      String t = text.strip();
      if (t.isEmpty()) {
        return "";
      }
      String[] groups = t.split("\\s+");
      byte[] bytes = new byte[groups.length];
      for (int i = 0; i < groups.length; i++) {
        if (!groups[i].matches("[01]{8}")) {
          throw new IllegalArgumentException("'" + groups[i] + "' is not 8 bits");
        }
        bytes[i] = (byte) Integer.parseInt(groups[i], 2);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Lower-case hexadecimal of the UTF-8 bytes, no separators. */
  static final class Hex extends TextConverter {
    @Override
    String apply(String text) {
      return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String text) {
      return new String(HexFormat.of().parseHex(text.strip()), StandardCharsets.UTF_8);
    }
  }

  /** Percent-encoding of every byte but the unreserved ones (RFC 3986: letters, digits, -._~). */
  static final class Url extends TextConverter {
    private static final HexFormat UPPER = HexFormat.of().withUpperCase();

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder();
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if (isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
          out.append((char) c);
        } else {
          out.append('%').append(UPPER.toHexDigits((byte) c));
        }
      }
      return out.toString();
    }

    static String decode(String text) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int i = 0;
      while (i < text.length()) {
        int c = text.codePointAt(i);
        if (c == '%') {
          if (i + 3 > text.length()) {
            throw new IllegalArgumentException("truncated escape at " + i);
          }
          bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
          i += 3;
        } else {
          byte[] b = Character.toString(c).getBytes(StandardCharsets.UTF_8);
          bytes.write(b, 0, b.length);
          i += Character.charCount(c);
        }
      }
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
