package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ObfuscationsTest {

  @Test
  void leetspeakReplacesLettersWithDigits() {
    assertEquals("l337 5p34k", convert("leetspeak", "leet speak"));
    assertEquals("L337 80990", convert("leetspeak", "LEET BOGGO"));
  }

  @Test
  void diacriticsAddCombiningAccentsToTargetLetters() {
    assertEquals("he\u0301llo\u0301", convert("diacritics", "hello"));
    assertEquals("A\u0308bc a\u0308", convert("diacritics",
        new JsonObject().put("target_chars", "a").put("accent", "umlaut"), "Abc a"));
  }

  @Test
  void zeroWidthPutsInvisibleSpacesBetweenCharacters() {
    assertEquals("a\u200Bb\u200Bc", convert("zero_width", "abc"));
    assertEquals("😀\u200B!", convert("zero_width", "😀!"), "an emoji stays one character");
    assertEquals("x", convert("zero_width", "x"));
  }

  @Test
  void flipReversesTheText() {
    assertEquals("😀 olleh", convert("flip", "hello 😀"));
  }

  @Test
  void characterSpaceSeparatesEveryCharacter() {
    assertEquals("a b c", convert("character_space", "abc"));
    assertEquals("a   b", convert("character_space", "a b"));
    assertEquals("a*b", convert("character_space", new JsonObject().put("separator", "*"), "ab"));
  }

  @Test
  void prefixSuffixFramesThePrompt() {
    assertEquals("[[ask]]", convert("prefix_suffix", new JsonObject().put("prefix", "[[").put("suffix", "]]"), "ask"));
    assertEquals("ask", convert("prefix_suffix", "ask"));
  }

  @Test
  void stringJoinJoinsTheCharactersOfEachWord() {
    assertEquals("h-i y-o-u", convert("string_join", "hi you"));
    assertEquals("a  b\nc.d", convert("string_join", new JsonObject().put("join_value", "."), "a  b\ncd"));
  }

  @Test
  void repeatTokenPutsRepeatedTokensWhereAsked() {
    assertEquals("hi hi hi ask", convert("repeat_token", new JsonObject().put("token", "hi").put("times", 3), "ask"));
    assertEquals("ask poem poem", convert("repeat_token",
        new JsonObject().put("token", "poem").put("times", 2).put("mode", "append"), "ask"));
    assertEquals("x x", convert("repeat_token",
        new JsonObject().put("token", "x").put("times", 2).put("mode", "replace"), "ask"));
  }

  @Test
  void fullwidthWritesAsciiInFullWidthForms() {
    assertEquals("Ｈｉ\u3000５！é", convert("fullwidth", "Hi 5!é"));
  }

  @Test
  void bubbleTextCirclesLettersAndDigits() {
    assertEquals("Ⓐⓑ⓪ ①⑨!", convert("bubble_text", "Ab0 19!"));
  }

  @Test
  void asciiSmugglerMovesAsciiToInvisibleTags() {
    String hi = Character.toString(0xE0048) + Character.toString(0xE0069);
    assertEquals(hi + "é", convert("ascii_smuggler", "Hié"));
    assertEquals("\uDB40\uDC48", convert("ascii_smuggler", "H"));
    assertEquals(Character.toString(0xE0001) + hi + Character.toString(0xE007F),
        convert("ascii_smuggler", new JsonObject().put("unicode_tags", true), "Hi"));
  }

  @Test
  void removeVowelsDropsVowelsOnly() {
    assertEquals("Hll Wrld!", convert("remove_vowels", "Hello World!"));
  }

  @Test
  void wordReverseSpellsEachWordBackwardsInPlace() {
    assertEquals("olleh  gib\tdlrow", convert("word_reverse", "hello  big\tworld"));
  }
}
