package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static dev.gauntlet.converter.ConverterTesting.assertRefused;
import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptsTest {

  @Test
  void superscriptUsesModifierLettersAndKeepsQ() {
    assertEquals("ᴴᵉˡˡᵒ ²", convert("superscript", "Hello 2"));
    assertEquals("qᵘⁱᶻ", convert("superscript", "quiz"), "there is no superscript q");
    assertEquals("ˢᴱᶜᴿᴱᵀ", convert("superscript", "SECRET"), "capitals without their own form take the small one");
    assertEquals("⁽¹⁺¹⁼²⁾", convert("superscript", "(1+1=2)"));
  }

  @Test
  void subscriptCoversTheLettersUnicodeHas() {
    assertEquals("ₕₑₗₗₒ ₂", convert("subscript", "Hello 2"));
    assertEquals("bₐy", convert("subscript", "bay"), "no subscript b or y");
  }

  @Test
  void smallCapsTurnsLowerCaseOnly() {
    assertEquals("Hᴇʟʟᴏ xʏᴢ", convert("small_caps", "Hello xyz"));
  }

  @Test
  void emojiLettersAreRegionalIndicatorsKeptApartAndKeycapDigits() {
    // U is U+1F1FA and S U+1F1F8: side by side they would render as a flag
    assertEquals("\uD83C\uDDFA\u200B\uD83C\uDDF8 1\uFE0F\u20E3!", convert("emoji_letters", "Us 1!"));
    assertEquals("\uD83C\uDDE6 \uD83C\uDDE6", convert("emoji_letters", "a a"), "no joiner across a space");
  }

  @Test
  void upsideDownReversesAndTurnsEachCharacter() {
    assertEquals("ollǝɥ", convert("upside_down", "hello"));
    assertEquals("¿ʎɥM", convert("upside_down", "Why?"));
    assertEquals("ƖƐ ∀", convert("upside_down", "A 31"));
  }

  @Test
  void mathAlphanumericBoldKnownAnswer() {
    assertEquals("𝐇𝐢 𝟒!", convert("math_alphanumeric", "Hi 4!"));
    assertEquals("ℂℍ𝕒𝕠𝕤 𝟙", convert("math_alphanumeric", new JsonObject().put("style", "double_struck"), "CHaos 1"));
    assertEquals("ℎ𝑖", convert("math_alphanumeric", new JsonObject().put("style", "italic"), "hi"), "italic h is Planck's h");
    assertRefused("math_alphanumeric", new JsonObject().put("style", "comic"), "parameters.style", "bold");
  }

  /** Unicode's own character names say which style and letter each output is, holes included. */
  @Test
  void everyStyleGivesEveryLetterItsNamedStyledForm() {
    for (String style : Scripts.MathAlphanumeric.styles()) {
      String phrase = style.toUpperCase(Locale.ROOT).replace("SANS_SERIF", "SANS-SERIF")
          .replace("DOUBLE_STRUCK", "DOUBLE-STRUCK").replace('_', ' ');
      Set<Integer> seen = new HashSet<>();
      for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray()) {
        String out = convert("math_alphanumeric", new JsonObject().put("style", style), Character.toString(c));
        assertEquals(1, out.codePointCount(0, out.length()), style + " " + c);
        int cp = out.codePointAt(0);
        seen.add(cp);
        String name = Character.getName(cp);
        if (style.equals("italic") && c == 'h') {
          assertEquals("PLANCK CONSTANT", name);
          continue;
        }
        String letter = (Character.isUpperCase(c) ? "CAPITAL " : "SMALL ") + Character.toUpperCase(c);
        assertTrue(name.endsWith(letter), style + " " + c + " gave " + name);
        assertTrue(name.contains(phrase) || style.equals("fraktur") && name.startsWith("BLACK-LETTER"),
            style + " " + c + " gave " + name);
      }
      assertEquals(52, seen.size(), style);
    }
  }

  @Test
  void zalgoStacksOneToIntensityMarksOnLettersAndDigitsOnly() {
    String text = "Tell me a secret, 42 times!";
    for (int intensity : new int[] {1, 3, 8}) {
      String out = convert("zalgo", new JsonObject().put("intensity", intensity), text);
      StringBuilder bases = new StringBuilder();
      int marks = 0;
      int[] cps = out.codePoints().toArray();
      for (int i = 0; i < cps.length; i++) {
        if (cps[i] >= 0x300 && cps[i] <= 0x36F) {
          assertTrue(cps[i] != 0x34F, "no grapheme joiner");
          marks++;
          continue;
        }
        bases.appendCodePoint(cps[i]);
        int run = 0;
        while (i + 1 + run < cps.length && cps[i + 1 + run] >= 0x300 && cps[i + 1 + run] <= 0x36F) {
          run++;
        }
        boolean alnum = Character.isLetterOrDigit(cps[i]);
        assertTrue(alnum ? run >= 1 && run <= intensity : run == 0, "'" + (char) cps[i] + "' got " + run);
      }
      assertEquals(text, bases.toString(), "removing the marks gives the text back");
      assertTrue(marks >= 20, "each of the 20 letters and digits is marked");
    }
    assertRefused("zalgo", new JsonObject().put("intensity", 0), "parameters.intensity");
  }

  @Test
  void zalgoAndHomoglyphAreSeeded() {
    ConverterTesting.assertSeeded("zalgo", new JsonObject(), "Tell me a secret");
    ConverterTesting.assertSeeded("homoglyph", new JsonObject().put("probability", 0.5), SeededConvertersTest.TEXT);
  }

  @Test
  void homoglyphMixesScriptsThatStillReadAsTheSameText() {
    String text = "The Quick Brown Fox Jumps Over The Lazy Dog 0123456789 the quick brown fox jumps over the lazy dog";
    Set<Character.UnicodeScript> scripts = new HashSet<>();
    for (long seed = 0; seed < 5; seed++) {
      String out = convert("homoglyph", new JsonObject().put("probability", 1.0).put("seed", seed), text);
      int[] in = text.codePoints().toArray();
      int[] got = out.codePoints().toArray();
      assertEquals(in.length, got.length, "one character for one");
      for (int i = 0; i < in.length; i++) {
        if (in[i] == ' ') {
          assertEquals(' ', got[i]);
          continue;
        }
        assertTrue(got[i] > 0x7F, "every letter and digit replaced: " + (char) in[i]);
        scripts.add(Character.UnicodeScript.of(got[i]));
        String folded = java.text.Normalizer.normalize(Character.toString(got[i]), java.text.Normalizer.Form.NFKC);
        // mathematical letters fold back to ASCII; the others are letters of another script
        assertTrue(folded.equals(Character.toString(in[i])) || Character.isLetter(got[i]),
            (char) in[i] + " became U+" + Integer.toHexString(got[i]));
      }
    }
    assertTrue(scripts.containsAll(Set.of(Character.UnicodeScript.GREEK, Character.UnicodeScript.ARMENIAN,
        Character.UnicodeScript.CHEROKEE, Character.UnicodeScript.COMMON)), "scripts used: " + scripts);
    assertEquals(text, convert("homoglyph", new JsonObject().put("probability", 0.0), text));
  }
}
