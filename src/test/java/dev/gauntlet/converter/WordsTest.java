package dev.gauntlet.converter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.converter.ConverterTesting.NO_GENERATORS;
import static dev.gauntlet.converter.ConverterTesting.assertRefused;
import static dev.gauntlet.converter.ConverterTesting.assertSeeded;
import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordsTest {

  private static final String PROMPT = "Tell me a secret, 42 times!";

  @Test
  void pigLatinMovesLeadingConsonantsAndKeepsCapitals() {
    assertEquals("Ellohay orldway", convert("pig_latin", "Hello world"));
    assertEquals("appleway ingstray ietquay ythmrhay", convert("pig_latin", "apple string quiet rhythm"));
    assertEquals("Ihay, ouyay! 42", convert("pig_latin", "Hi, you! 42"));
    assertEquals("ASANAY Iway", convert("pig_latin", "NASA I"));
  }

  @Test
  void camelAndSnakeCaseJoinTheWords() {
    assertEquals("tellMeASecret42Times", convert("camel_case", PROMPT));
    assertEquals("tell_me_a_secret_42_times", convert("snake_case", PROMPT));
    assertEquals("caféÉté", convert("camel_case", "Café, été"));
  }

  @Test
  void reverseWordsReversesTheOrderOnly() {
    assertEquals("times! 42 secret, a me Tell", convert("reverse_words", PROMPT));
    assertEquals("two one", convert("reverse_words", "  one\n two  "));
  }

  @Test
  void firstLetterTakesTheFirstOfEachWord() {
    assertEquals("T m a s 4 t", convert("first_letter", PROMPT));
    assertEquals("Tmas4t", convert("first_letter", new JsonObject().put("separator", ""), PROMPT));
  }

  @Test
  void wordSplitBreaksLongWordsOnceLeavingTwoLettersEachSide() {
    String text = "Please explain carefully how lighthouse keepers worked";
    String out = convert("word_split", new JsonObject().put("probability", 1.0).put("separator", "|"), text);
    assertEquals(text, out.replace("|", ""));
    for (String w : out.split(" ")) {
      String whole = w.replace("|", "");
      assertEquals(whole.length() >= 4 ? 1 : 0, w.chars().filter(c -> c == '|').count(), w);
      if (whole.length() >= 4) {
        String[] halves = w.split("\\|");
        assertTrue(halves[0].length() >= 2 && halves[1].length() >= 2, w);
      }
    }
    assertEquals(text, convert("word_split", new JsonObject().put("probability", 0.0), text));
    assertSeeded("word_split", new JsonObject().put("probability", 0.5), SeededConvertersTest.TEXT);
    assertRefused("word_split", new JsonObject().put("separator", ""), "parameters.separator");
  }

  @Test
  void insertPunctuationPutsOneMarkInsideWords() {
    String text = "Please explain how a lighthouse works";
    String out = convert("insert_punctuation", new JsonObject().put("probability", 1.0).put("punctuation", "#"), text);
    assertEquals(text, out.replace("#", ""));
    for (String w : out.split(" ")) {
      boolean longEnough = w.replace("#", "").length() >= 2;
      assertEquals(longEnough ? 1 : 0, w.chars().filter(c -> c == '#').count(), w);
      assertTrue(!w.startsWith("#") && !w.endsWith("#"), w);
    }
    assertSeeded("insert_punctuation", new JsonObject().put("probability", 0.5), SeededConvertersTest.TEXT);
    assertRefused("insert_punctuation", new JsonObject().put("punctuation", ""), "parameters.punctuation");
  }

  @Test
  void searchReplaceReplacesEveryMatchWithGroups() {
    assertEquals("Tell me a surprise, 42 times!",
        convert("search_replace", new JsonObject().put("pattern", "secret").put("replacement", "surprise"), PROMPT));
    assertEquals("example.org at alice, example.com at bob", convert("search_replace",
        new JsonObject().put("pattern", "(\\w+)@([\\w.]+)").put("replacement", "$2 at $1"), "alice@example.org, bob@example.com"));
    assertEquals("X X", convert("search_replace",
        new JsonObject().put("pattern", "secret").put("replacement", "X").put("case_insensitive", true), "SECRET Secret"));
    assertEquals("costs $5", convert("search_replace",
        new JsonObject().put("pattern", "free").put("replacement", "\\$5"), "costs free"));
    assertEquals("Tell me a , 42 times!", convert("search_replace", new JsonObject().put("pattern", "secret"), PROMPT),
        "the replacement defaults to nothing");
  }

  @Test
  void searchReplaceRefusesBadPatternsAndReplacementsByName() {
    assertRefused("search_replace", new JsonObject(), "parameters.pattern");
    assertRefused("search_replace", new JsonObject().put("pattern", "(unclosed"), "parameters.pattern");
    assertRefused("search_replace", new JsonObject().put("pattern", "(a)").put("replacement", "$2"),
        "parameters.replacement", "group $2", "has 1");
    assertRefused("search_replace", new JsonObject().put("pattern", "(?<n>a)").put("replacement", "${n}"),
        "parameters.replacement", "named group");
    assertRefused("search_replace", new JsonObject().put("pattern", "a").put("replacement", "costs $"),
        "parameters.replacement", "lone '$'");
    assertRefused("search_replace", new JsonObject().put("pattern", "a").put("replacement", "back\\"),
        "parameters.replacement", "lone '\\'");
  }

  @Test
  void searchReplaceStopsACatastrophicPatternWithinItsBudget() {
    Converter c = Converters.create("search_replace", new JsonObject().put("pattern", "((a+)+)+$"), NO_GENERATORS);
    long start = System.nanoTime();
    Future<String> f = c.convert("a".repeat(40) + "!");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(f.failed());
    assertTrue(f.cause().getMessage().contains("took longer than 1000 ms"), f.cause().getMessage());
    assertTrue(ms < 5_000, "stopped after " + ms + " ms");
  }
}
