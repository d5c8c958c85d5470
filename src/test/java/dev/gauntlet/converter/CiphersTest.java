package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.converter.ConverterTesting.assertRefused;
import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Known answers: published test vectors where there are some (RFC 4648, the Ascii85 and Vigenère classics). */
class CiphersTest {

  @Test
  void unicodeEscapeWritesEveryUtf16Unit() {
    assertEquals("\\u0048\\u0069\\u0020\\uD83D\\uDE00", convert("unicode_escape", "Hi 😀"));
    assertEquals("", convert("unicode_escape", ""));
  }

  @Test
  void htmlEntityWritesDecimalOrHexReferences() {
    assertEquals("&#60;&#97;&#32;&#233;&#62;", convert("html_entity", "<a é>"));
    assertEquals("&#x3C;&#x61;&#x20;&#xE9;&#x3E;&#x1F600;",
        convert("html_entity", new JsonObject().put("form", "hex"), "<a é>😀"));
  }

  @Test
  void charCodeWritesDecimalCodePoints() {
    assertEquals("72 105 33", convert("char_code", "Hi!"));
    assertEquals("128512,32,233", convert("char_code", new JsonObject().put("separator", ","), "😀 é"));
    assertRefused("char_code", new JsonObject().put("separator", ""), "parameters.separator");
  }

  @Test
  void base32MatchesRfc4648Vectors() {
    assertEquals("", convert("base32", ""));
    assertEquals("MY======", convert("base32", "f"));
    assertEquals("MZXQ====", convert("base32", "fo"));
    assertEquals("MZXW6===", convert("base32", "foo"));
    assertEquals("MZXW6YQ=", convert("base32", "foob"));
    assertEquals("MZXW6YTB", convert("base32", "fooba"));
    assertEquals("MZXW6YTBOI======", convert("base32", "foobar"));
    assertEquals("NDB2S3DMN4======", convert("base32", "héllo"), "UTF-8 bytes");
  }

  @Test
  void ascii85MatchesTheClassicExampleAndPartialGroups() {
    assertEquals("9jqo^BlbD-BleB1DJ+*+F(f,q", convert("ascii85", "Man is distinguished"));
    assertEquals("/c", convert("ascii85", "."), "one byte gives two characters");
    assertEquals("BP@GH!!!", convert("ascii85", "hi\0\0\0\0"));
    assertEquals("z", convert("ascii85", "\0\0\0\0"), "a group of zeros is z");
    assertEquals("_l<-tR\",", convert("ascii85", "é😀"));
  }

  @Test
  void vigenereShiftsLettersByTheKeyAndKeepsTheRest() {
    JsonObject lemon = new JsonObject().put("key", "LEMON");
    assertEquals("LXFOPVEFRNHR", convert("vigenere", lemon, "ATTACKATDAWN"));
    assertEquals("Lxfopv ef rnhr! 42", convert("vigenere", new JsonObject().put("key", "lemon"), "Attack at dawn! 42"),
        "case kept; the key advances on letters only");
    assertEquals("naïve", convert("vigenere", new JsonObject().put("key", "a"), "naïve"), "key a shifts by zero");
  }

  @Test
  void vigenereKeyMustBeLetters() {
    for (String bad : new String[] {"", "key1", "clé", "two words"}) {
      assertRefused("vigenere", new JsonObject().put("key", bad), "parameters.key");
    }
  }

  @Test
  void railFenceReadsTheZigzagRailByRail() {
    assertEquals("WECRLTEERDSOEEFEAOCAIVDEN",
        convert("rail_fence", new JsonObject().put("rails", 3), "WEAREDISCOVEREDFLEEATONCE"));
    assertEquals("HLOOLELWRD", convert("rail_fence", new JsonObject().put("rails", 2), "HELLOWORLD"));
    assertEquals("ab", convert("rail_fence", new JsonObject().put("rails", 5), "ab"), "shorter than the rails");
    assertRefused("rail_fence", new JsonObject().put("rails", 1), "parameters.rails");
  }

  @Test
  void tapCodeTapsRowAndColumnWithKAsC() {
    assertEquals(".. ...  .. ....", convert("tap_code", "hi"));
    assertEquals(". ...  .. ....  .... .... / 2", convert("tap_code", "Kit  2"));
    assertEquals("..... ....", convert("tap_code", " Y "), "surrounding spaces make no separator");
  }

  @Test
  void brailleWritesGradeOneCells() {
    assertEquals("⠓⠑⠇⠇⠕", convert("braille", "hello"));
    assertEquals("⠠⠓⠑⠇⠇⠕⠂ ⠺⠕⠗⠇⠙ ⠼⠙⠃⠲", convert("braille", "Hello, world 42."));
    assertEquals("⠼⠁⠰⠁ ⠼⠁⠭", convert("braille", "1a 1x"), "a letter sign only where a–j would read as a digit");
    assertEquals("⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵", convert("braille", "abcdefghijklmnopqrstuvwxyz"));
    assertEquals("⠼⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚", convert("braille", "1234567890"));
    assertEquals("你⠦", convert("braille", "你?"), "characters without a cell are kept");
  }
}
