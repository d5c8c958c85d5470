package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.converter.ConverterTesting.assertRefused;
import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsciiArtTest {

  private static final String HI = String.join("\n",
      "#   # #####",
      "#   #   #",
      "#####   #",
      "#   #   #",
      "#   # #####");

  private static final String H = String.join("\n", "#   #", "#   #", "#####", "#   #", "#   #");

  @Test
  void drawsLettersInTheBlockFontWithACaseFold() {
    assertEquals(HI, convert("ascii_art", "Hi"));
    assertEquals(HI, convert("ascii_art", "  HI \n"));
  }

  @Test
  void everyLetterAndDigitHasAFiveRowGlyph() {
    for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!?.,:'-".toCharArray()) {
      String[] g = AsciiArt.GLYPHS.get(c);
      assertEquals(5, g.length, "glyph " + c);
      for (String row : g) {
        assertEquals(g[0].length(), row.length(), "rows of " + c + " are as wide");
      }
    }
    assertEquals(36 + 7, AsciiArt.GLYPHS.size());
  }

  @Test
  void wordsWiderThanTheBandWrapAndLongWordsBreakBetweenLetters() {
    JsonObject narrow = new JsonObject().put("width", 20);
    assertEquals(HI + "\n\n" + HI, convert("ascii_art", narrow, "hi hi"), "27 columns do not fit in 20");
    String hhh = String.join("\n", "#   # #   # #   #", "#   # #   # #   #", "##### ##### #####", "#   # #   # #   #",
        "#   # #   # #   #");
    assertEquals(hhh + "\n\n" + H, convert("ascii_art", narrow, "hhhh"));
    String twoWords = convert("ascii_art", new JsonObject().put("width", 27), "hi hi");
    assertEquals("#   # #####     #   # #####", twoWords.split("\n")[0], "a three-column space between words");
  }

  @Test
  void noRowIsWiderThanTheBandEvenForAHugeWord() {
    String out = convert("ascii_art", new JsonObject().put("width", 30), "x".repeat(20_000) + " tail end");
    for (String row : out.split("\n")) {
      assertTrue(row.length() <= 30, row);
    }
    assertEquals(20_000 / 5 + 2, out.split("\n\n").length,
        "five letters a band (29 columns), then TAIL (23) and END (17), which do not fit together in 30");
  }

  @Test
  void charactersWithoutAGlyphAreDrawnAsQuestionMarks() {
    assertEquals(convert("ascii_art", "?"), convert("ascii_art", "é"));
    assertRefused("ascii_art", new JsonObject().put("width", 5), "parameters.width");
  }
}
