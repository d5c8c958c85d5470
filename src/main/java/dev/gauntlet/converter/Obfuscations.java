package dev.gauntlet.converter;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * Obfuscations that need no randomness: look-alike letters, invisible characters, spacing and
 * framing. Those that can be undone carry a {@code decode} (see {@link Decoders}). All of them
 * work on code points, so emoji and other characters outside the BMP stay whole.
 */
final class Obfuscations {

  private Obfuscations() {
  }

  /** a→4 b→8 e→3 g→9 i→1 o→0 s→5 t→7, either case. */
  static final class Leetspeak extends TextConverter {
    private static final Map<Character, Character> LEET =
        Map.of('a', '4', 'b', '8', 'e', '3', 'g', '9', 'i', '1', 'o', '0', 's', '5', 't', '7');

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        out.append(LEET.getOrDefault(Character.toLowerCase(c), c));
      }
      return out.toString();
    }
  }

  /** Adds a combining accent after each target character, either case: "hello" becomes "he\u0301llo\u0301". */
  static final class Diacritics extends TextConverter {
    static final Map<String, String> ACCENTS = Map.of("acute", "\u0301", "grave", "\u0300", "tilde", "\u0303",
        "umlaut", "\u0308", "circumflex", "\u0302", "ring", "\u030A");

    private final String targets;
    private final String mark;

    Diacritics(String targets, String accent) {
      this.targets = targets.toLowerCase(Locale.ROOT);
      this.mark = ACCENTS.get(accent);
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 2);
      text.codePoints().forEach(c -> {
        out.appendCodePoint(c);
        if (targets.indexOf(Character.toLowerCase(c)) >= 0) {
          out.append(mark);
        }
      });
      return out.toString();
    }
  }

  /** Puts a separator between every two characters: character_space (" ") and zero_width (U+200B). */
  static final class Interleave extends TextConverter {
    static final String ZERO_WIDTH_SPACE = "\u200B";

    private final String separator;

    Interleave(String separator) {
      this.separator = separator;
    }

    @Override
    String apply(String text) {
      return String.join(separator, codePoints(text));
    }

    /** Takes one character, skips one separator, and so on: exact even when the text held separators. */
    String decode(String text) {
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < text.length()) {
        int c = text.codePointAt(i);
        out.appendCodePoint(c);
        i += Character.charCount(c);
        if (i < text.length()) {
          if (!text.startsWith(separator, i)) {
            throw new IllegalArgumentException("no separator at " + i);
          }
          i += separator.length();
        }
      }
      return out.toString();
    }
  }

  /**
   * Joins the characters of each word with a value, keeping the whitespace between words as it
   * was: "hi you" becomes "h-i y-o-u". Decoding needs a value that does not start with whitespace.
   */
  static final class StringJoin extends TextConverter {
    private final String value;

    StringJoin(String value) {
      this.value = value;
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder();
      boolean inWord = false;
      for (String c : codePoints(text)) {
        boolean space = Character.isWhitespace(c.codePointAt(0));
        if (inWord && !space) {
          out.append(value);
        }
        out.append(c);
        inWord = !space;
      }
      return out.toString();
    }

    String decode(String text) {
      if (value.isEmpty() || Character.isWhitespace(value.codePointAt(0))) {
        throw new IllegalArgumentException("cannot decode with a join value that is empty or starts with whitespace");
      }
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < text.length()) {
        int c = text.codePointAt(i);
        out.appendCodePoint(c);
        i += Character.charCount(c);
        // Inside a word a join value always follows a character; after a word's end, whitespace or nothing.
        if (!Character.isWhitespace(c) && text.startsWith(value, i)) {
          i += value.length();
        }
      }
      return out.toString();
    }
  }

  /** The text backwards, character by character; its own inverse. */
  static final class Flip extends TextConverter {
    @Override
    String apply(String text) {
      return new StringBuilder(text).reverse().toString();
    }
  }

  /** Each word backwards, the words and whitespace staying in place; its own inverse. */
  static final class WordReverse extends TextConverter {
    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      StringBuilder word = new StringBuilder();
      text.codePoints().forEach(c -> {
        if (Character.isWhitespace(c)) {
          out.append(word.reverse()).appendCodePoint(c);
          word.setLength(0);
        } else {
          word.appendCodePoint(c);
        }
      });
      return out.append(word.reverse()).toString();
    }
  }

  static final class PrefixSuffix extends TextConverter {
    private final String prefix;
    private final String suffix;

    PrefixSuffix(String prefix, String suffix) {
      this.prefix = prefix;
      this.suffix = suffix;
    }

    @Override
    String apply(String text) {
      return prefix + text + suffix;
    }
  }

  /** A token repeated before, after or instead of the prompt (the "repeated token" divergence attack). */
  static final class RepeatToken extends TextConverter {
    private final String tokens;
    private final String mode;

    RepeatToken(String token, int times, String mode) {
      this.tokens = String.join(" ", Collections.nCopies(times, token));
      this.mode = mode;
    }

    @Override
    String apply(String text) {
      return switch (mode) {
        case "append" -> text + " " + tokens;
        case "replace" -> tokens;
        default -> tokens + " " + text;
      };
    }
  }

  static final class RemoveVowels extends TextConverter {
    @Override
    String apply(String text) {
      return text.replaceAll("[aeiouAEIOU]", "");
    }
  }

  /** Printable ASCII as its full-width form (ＡＢＣ), the space as the ideographic space. */
  static final class Fullwidth extends TextConverter {
    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(c -> out.appendCodePoint(c == ' ' ? 0x3000 : c > ' ' && c < 0x7F ? c + 0xFEE0 : c));
      return out.toString();
    }

    static String decode(String text) {
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(c -> out.appendCodePoint(c == 0x3000 ? ' ' : c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c));
      return out.toString();
    }
  }

  /** Letters and digits in circles: ⓗⓔⓛⓛⓞ ①②③. */
  static final class BubbleText extends TextConverter {
    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(c -> out.appendCodePoint(
          c >= 'a' && c <= 'z' ? 0x24D0 + c - 'a'
              : c >= 'A' && c <= 'Z' ? 0x24B6 + c - 'A'
              : c >= '1' && c <= '9' ? 0x2460 + c - '1'
              : c == '0' ? 0x24EA : c));
      return out.toString();
    }

    static String decode(String text) {
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(c -> out.appendCodePoint(
          c >= 0x24D0 && c <= 0x24E9 ? 'a' + c - 0x24D0
              : c >= 0x24B6 && c <= 0x24CF ? 'A' + c - 0x24B6
              : c >= 0x2460 && c <= 0x2468 ? '1' + c - 0x2460
              : c == 0x24EA ? '0' : c));
      return out.toString();
    }
  }

  /**
   * ASCII smuggling: printable ASCII moved to the invisible Unicode tag block (U+E0020–U+E007E),
   * optionally wrapped in the language tag U+E0001 … cancel tag U+E007F. Other characters stay visible.
   */
  static final class AsciiSmuggler extends TextConverter {
    private static final int TAGS = 0xE0000;
    private static final String BEGIN = Character.toString(0xE0001);
    private static final String END = Character.toString(0xE007F);

    private final boolean wrap;

    AsciiSmuggler(boolean wrap) {
      this.wrap = wrap;
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length() * 2);
      text.codePoints().forEach(c -> out.appendCodePoint(c >= 0x20 && c <= 0x7E ? TAGS + c : c));
      return wrap ? BEGIN + out + END : out.toString();
    }

    static String decode(String text) {
      String t = text.startsWith(BEGIN) && text.endsWith(END) && text.length() >= BEGIN.length() + END.length()
          ? text.substring(BEGIN.length(), text.length() - END.length()) : text;
      StringBuilder out = new StringBuilder(t.length());
      t.codePoints().forEach(c -> out.appendCodePoint(c >= TAGS + 0x20 && c <= TAGS + 0x7E ? c - TAGS : c));
      return out.toString();
    }
  }
}
