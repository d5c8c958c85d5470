package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeededConvertersTest {

  static final String TEXT = "Please explain carefully how the ancient lighthouse keepers maintained their lamps"
      + " through winter storms, and describe everything they needed.";
  static final List<String> SEEDED = List.of("char_swap", "unicode_confusable", "random_capital");

  /** Parameters under which every seeded type leaves room for chance. */
  private static JsonObject params(String type, long seed) {
    JsonObject p = new JsonObject().put("seed", seed);
    return type.equals("random_capital") ? p.put("percentage", 50.0) : p.put("probability", 0.5);
  }

  @Test
  void sameSeedAndInputGiveTheSameOutput() {
    for (String type : SEEDED) {
      for (long seed : new long[] {0, 1, 42, -7}) {
        String first = convert(type, params(type, seed), TEXT);
        // a fresh converter, and another prompt converted in between, change nothing
        convert(type, params(type, seed), "something else entirely");
        assertEquals(first, convert(type, params(type, seed), TEXT), type + " seed " + seed);
      }
    }
  }

  @Test
  void differentSeedsUsuallyGiveDifferentOutputs() {
    for (String type : SEEDED) {
      Set<String> outputs = new HashSet<>();
      for (long seed = 0; seed < 8; seed++) {
        outputs.add(convert(type, params(type, seed), TEXT));
      }
      assertTrue(outputs.size() >= 6, type + " gave only " + outputs.size() + " outputs for 8 seeds");
    }
  }

  @Test
  void seededConvertersChangeTheText() {
    for (String type : SEEDED) {
      String out = convert(type, params(type, 3), TEXT);
      assertNotEquals(TEXT, out, type);
      assertEquals(TEXT.codePointCount(0, TEXT.length()), out.codePointCount(0, out.length()), type + " keeps the length");
    }
  }

  @Test
  void seedDefaultsToZero() {
    for (String type : SEEDED) {
      JsonObject p = params(type, 0);
      p.remove("seed");
      assertEquals(convert(type, params(type, 0), TEXT), convert(type, p, TEXT), type);
    }
  }

  @Test
  void charSwapSwapsTwoInnerLettersOfLongWords() {
    JsonObject always = new JsonObject().put("probability", 1.0);
    assertEquals("acbd", convert("char_swap", always, "abcd"), "four letters leave one inner pair");
    assertEquals("the cat", convert("char_swap", always, "the cat"), "short words are left alone");
    assertEquals(TEXT, convert("char_swap", new JsonObject().put("probability", 0.0), TEXT));
    String out = convert("char_swap", always, "lighthouse");
    assertEquals('l', out.charAt(0));
    assertEquals('e', out.charAt(out.length() - 1));
    assertEquals(sorted("lighthouse"), sorted(out));
  }

  @Test
  void unicodeConfusableReplacesLatinLettersWithCyrillicLookAlikes() {
    assertEquals("\u0430\u0441\u0435 b\u0430d \u0405\u0422\u041E\u0420", convert("unicode_confusable", "ace bad STOP"));
    assertEquals("ace", convert("unicode_confusable", new JsonObject().put("probability", 0.0), "ace"));
  }

  @Test
  void randomCapitalUpperCasesTheRequestedShareOfLetters() {
    assertEquals("HELLO WORLD", convert("random_capital", new JsonObject().put("percentage", 100), "hello world"));
    assertEquals("hello world", convert("random_capital", new JsonObject().put("percentage", 0), "hello world"));
    String half = convert("random_capital", new JsonObject().put("percentage", 50), "abcdefghij 你好");
    assertEquals(5, half.chars().filter(Character::isUpperCase).count(), half);
    assertEquals("abcdefghij 你好", half.toLowerCase());
  }

  private static String sorted(String s) {
    char[] c = s.toCharArray();
    java.util.Arrays.sort(c);
    return new String(c);
  }
}
