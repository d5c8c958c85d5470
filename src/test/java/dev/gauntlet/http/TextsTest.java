package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a reader sees of a prompt or an answer: invisible characters made visible, long texts cut. */
class TextsTest {

  @Test
  void zeroWidthBidiAndTagCharactersBecomeVisibleMarks() {
    // "ignore" spelled in Unicode tags after a visible word: invisible in most fonts
    String tags = new StringBuilder().appendCodePoint(0xE0069).appendCodePoint(0xE0067).toString();
    String text = "a\u200Bb\u202Ec" + tags + "d";
    assertEquals("a⟨U+200B⟩b⟨U+202E⟩c⟨U+E0069⟩⟨U+E0067⟩d", Texts.visible(text));
    JsonArray parts = Texts.parts(text);
    assertEquals(new JsonObject().put("text", "a"), parts.getJsonObject(0));
    assertEquals(new JsonObject().put("text", "⟨U+200B⟩").put("mark", true), parts.getJsonObject(1));
    assertEquals("plain text, é and 中文 stay", Texts.visible("plain text, é and 中文 stay"));
  }

  @Test
  void aLongTextIsCutWithTheRestBehindShowAll() {
    String prompt = "x".repeat(200_000);
    JsonObject view = Texts.view(prompt, null);
    assertEquals(Texts.SHOWN, view.getJsonArray("shown").getJsonObject(0).getString("text").length());
    assertEquals(200_000 - Texts.SHOWN, view.getJsonArray("rest").getJsonObject(0).getString("text").length());
    assertEquals(200_000L, view.getLong("length"));
    assertTrue(view.getBoolean("cut"));
    JsonObject shortOne = Texts.view("short", null);
    assertNull(shortOne.getValue("rest"));
    assertNull(shortOne.getValue("cut"));
    // a snippet of a longer stored text says how long the whole is
    JsonObject snippet = Texts.view("first 300 characters", 5_000);
    assertTrue(snippet.getBoolean("cut"));
    assertEquals(5_000L, snippet.getLong("length"));
    assertNull(snippet.getValue("rest"));
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String text = "a".repeat(Texts.SHOWN - 1) + "😀" + "b";
    JsonObject view = Texts.view(text, null);
    String shown = view.getJsonArray("shown").getJsonObject(0).getString("text");
    assertFalse(Character.isHighSurrogate(shown.charAt(shown.length() - 1)));
    assertTrue(view.getJsonArray("rest").getJsonObject(0).getString("text").startsWith("😀"));
  }

  @Test
  void wordDiffMarksOnlyTheWordsThatDiffer() {
    JsonArray parts = WordDiff.against("Sure, here is how to do it", "Sorry, here is nothing");
    StringBuilder changed = new StringBuilder();
    StringBuilder all = new StringBuilder();
    parts.forEach(o -> {
      JsonObject p = (JsonObject) o;
      all.append(p.getString("text"));
      if (p.getBoolean("changed")) {
        changed.append('[').append(p.getString("text")).append(']');
      }
    });
    assertEquals("Sure, here is how to do it", all.toString(), "the parts spell the text");
    assertEquals("[Sure, ][how to do it]", changed.toString());
    assertTrue(WordDiff.against("same words", "same words").stream().noneMatch(o -> ((JsonObject) o).getBoolean("changed")));
  }
}
