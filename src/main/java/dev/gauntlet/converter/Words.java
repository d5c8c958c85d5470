package dev.gauntlet.converter;

import dev.gauntlet.TimedText;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites at the level of words: word games (pig latin, first letters), identifier casing,
 * word order, words broken up at random, and a regex search-and-replace.
 */
final class Words {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern LETTERS = Pattern.compile("\\p{L}+");

  private Words() {
  }

  /** The runs of letters and digits, in order. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Each run the pattern finds replaced by what {@code rewrite} makes of it; the text between is kept. */
  static String eachMatch(Pattern pattern, String text, java.util.function.UnaryOperator<String> rewrite) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 16);
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start()).append(rewrite.apply(m.group()));
      last = m.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  /**
   * Pig latin: a word starting with a vowel gains "way"; otherwise its leading consonants ("qu"
   * counting as one, "y" a vowel after the first letter) move to the end before "ay". A
   * capitalised word stays capitalised: "Hello world" becomes "Ellohay orldway".
   */
  static final class PigLatin extends TextConverter {
    @Override
    String apply(String text) {
      return eachMatch(LETTERS, text, PigLatin::word);
    }

    private static String word(String w) {
      String lower = w.toLowerCase(Locale.ROOT);
      int split = 0;
      while (split < lower.length() && !vowel(lower, split)) {
        split += lower.startsWith("qu", split) ? 2 : 1;
      }
      split = Math.min(split, lower.length());
      String out = split == 0 ? lower + "way" : lower.substring(split) + lower.substring(0, split) + "ay";
      if (w.length() > 1 && w.equals(w.toUpperCase(Locale.ROOT))) {
        return out.toUpperCase(Locale.ROOT);
      }
      return Character.isUpperCase(w.codePointAt(0)) ? out.substring(0, 1).toUpperCase(Locale.ROOT) + out.substring(1) : out;
    }

    private static boolean vowel(String w, int i) {
      char c = w.charAt(i);
      return "aeiou".indexOf(c) >= 0 || (c == 'y' && i > 0);
    }
  }

  /** The words joined as one identifier: camelCase, or snake_case in lower case; punctuation dropped. */
  static final class IdentifierCase extends TextConverter {
    private final boolean snake;

    IdentifierCase(boolean snake) {
      this.snake = snake;
    }

    @Override
    String apply(String text) {
      StringBuilder out = new StringBuilder(text.length());
      for (String w : words(text)) {
        String lower = w.toLowerCase(Locale.ROOT);
        if (snake) {
          out.append(out.isEmpty() ? "" : "_").append(lower);
        } else if (out.isEmpty()) {
          out.append(lower);
        } else {
          int first = lower.codePointAt(0);
          out.appendCodePoint(Character.toUpperCase(first)).append(lower.substring(Character.charCount(first)));
        }
      }
      return out.toString();
    }
  }

  /** The whitespace-separated words in reverse order, each spelled as it was, joined by single spaces. */
  static final class ReverseWords extends TextConverter {
    @Override
    String apply(String text) {
      List<String> words = new ArrayList<>(List.of(text.strip().split("\\s+")));
      Collections.reverse(words);
      return String.join(" ", words);
    }
  }

  /** The first letter or digit of each word, joined by a separator: "Tell me a secret" becomes "T m a s". */
  static final class FirstLetter extends TextConverter {
    private final String separator;

    FirstLetter(String separator) {
      this.separator = separator;
    }

    @Override
    String apply(String text) {
      return String.join(separator, words(text).stream().map(w -> Character.toString(w.codePointAt(0))).toList());
    }
  }

  /** Words of four letters or more, chosen with a probability, split in two at a random inner point. */
  static final class WordSplit extends TextConverter {
    private final double probability;
    private final String separator;
    private final long seed;

    WordSplit(double probability, String separator, long seed) {
      this.probability = probability;
      this.separator = separator;
      this.seed = seed;
    }

    @Override
    String apply(String text) {
      Random random = random(seed, text);
      return eachMatch(LETTERS, text, w -> {
        String[] cps = codePoints(w);
        if (cps.length < 4 || random.nextDouble() >= probability) {
          return w;
        }
        int at = 2 + random.nextInt(cps.length - 3); // both halves keep two letters or more
        return String.join("", List.of(cps).subList(0, at)) + separator + String.join("", List.of(cps).subList(at, cps.length));
      });
    }
  }

  /** Words of two letters or more, chosen with a probability, get one punctuation mark inside, at random. */
  static final class InsertPunctuation extends TextConverter {
    private final double probability;
    private final String[] marks;
    private final long seed;

    InsertPunctuation(double probability, String punctuation, long seed) {
      this.probability = probability;
      this.marks = codePoints(punctuation);
      this.seed = seed;
    }

    @Override
    String apply(String text) {
      Random random = random(seed, text);
      return eachMatch(LETTERS, text, w -> {
        String[] cps = codePoints(w);
        if (cps.length < 2 || random.nextDouble() >= probability) {
          return w;
        }
        int at = 1 + random.nextInt(cps.length - 1);
        String mark = marks[random.nextInt(marks.length)];
        return String.join("", List.of(cps).subList(0, at)) + mark + String.join("", List.of(cps).subList(at, cps.length));
      });
    }
  }

  /**
   * Every match of a regular expression replaced; {@code $1}… name groups. A pattern that
   * backtracks catastrophically is stopped after {@link #BUDGET_MS} and the conversion fails.
   */
  static final class SearchReplace extends TextConverter {
    static final long BUDGET_MS = 1_000;
    private static final Pattern GROUP_REF = Pattern.compile("\\\\.|\\$(\\d+|\\{)|\\$|\\\\$");

    private final Pattern pattern;
    private final String replacement;

    SearchReplace(Pattern pattern, String replacement) {
      this.pattern = pattern;
      this.replacement = replacement;
    }

    /** Why a replacement cannot be used with this pattern, or null: refs to missing groups, named refs, a lone '\' or '$'. */
    static String problem(Pattern pattern, String replacement) {
      int groups = pattern.matcher("").groupCount();
      Matcher m = GROUP_REF.matcher(replacement);
      while (m.find()) {
        String g = m.group();
        if (g.equals("$") || g.equals("\\")) {
          return "has a lone '" + g + "' (write \\" + g + " for the character itself)";
        }
        if (g.equals("${")) {
          return "uses a named group; refer to groups by number ($1)";
        }
        // Java reads the first digit always and more only while they name a group, so the first decides
        if (g.startsWith("$") && g.charAt(1) - '0' > groups) {
          return "refers to group $" + g.charAt(1) + " but the pattern has " + groups;
        }
      }
      return null;
    }

    @Override
    String apply(String text) {
      try {
        return pattern.matcher(new TimedText(text, System.nanoTime() + BUDGET_MS * 1_000_000)).replaceAll(replacement);
      } catch (TimedText.Expired e) {
        throw new IllegalArgumentException("pattern /" + pattern.pattern() + "/ took longer than " + BUDGET_MS
            + " ms on a prompt of " + text.length() + " characters");
      }
    }
  }
}
