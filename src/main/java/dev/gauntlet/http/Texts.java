package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Prompts and answers as pages show them: cut to a length a page lays out at once (the rest
 * behind "show all", a closed {@code <details>} the browser does not lay out until opened), and
 * with the characters a reader cannot see made visible: zero-width and joiner characters, bidi
 * controls, and Unicode tags (U+E0000–U+E007F, which can smuggle a whole instruction past a
 * reader). Each becomes a {@code ⟨U+200B⟩} marker in its own part, so a template marks it; every
 * part is still escaped by {@code {{ }}}.
 */
public final class Texts {

  /** Characters shown before "show all". */
  public static final int SHOWN = 2_000;
  /** Characters a page holds at all behind "show all"; past this the conversation's export has the rest. */
  public static final int HELD = 200_000;

  private Texts() {}

  /** Whether a reader cannot see {@code cp}: zero-width, joiners, bidi controls, tags, BOM, soft hyphen. */
  public static boolean invisible(int cp) {
    return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x180E
        || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F)
        || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE007F);
  }

  /** The marker shown for an invisible character. */
  public static String marker(int cp) {
    return "⟨U+" + String.format("%04X", cp) + "⟩";
  }

  /** {@code text} with every invisible character replaced by its marker (a plain string, for titles and tests). */
  public static String visible(String text) {
    StringBuilder out = new StringBuilder();
    parts(text).forEach(p -> out.append(((JsonObject) p).getString("text")));
    return out.toString();
  }

  /** The text as parts: {@code {"text": …}} runs and {@code {"text": "⟨U+…⟩", "mark": true}} markers. */
  public static JsonArray parts(String text) {
    JsonArray out = new JsonArray();
    if (text == null) {
      return out;
    }
    StringBuilder run = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (invisible(cp)) {
        if (!run.isEmpty()) {
          out.add(new JsonObject().put("text", run.toString()));
          run.setLength(0);
        }
        out.add(new JsonObject().put("text", marker(cp)).put("mark", true));
      } else {
        run.append(Character.toChars(cp));
      }
    }
    if (!run.isEmpty()) {
      out.add(new JsonObject().put("text", run.toString()));
    }
    return out;
  }

  /**
   * A text for a page: {@code shown} (parts of its first {@link #SHOWN} characters), and when
   * longer, {@code rest} (parts of what follows, up to {@link #HELD}) and {@code length}.
   * {@code total} is the stored text's length when only a snippet of it is at hand.
   */
  public static JsonObject view(String text, Number total) {
    JsonObject out = new JsonObject();
    if (text == null) {
      return out.put("empty", true);
    }
    int cut = cutAt(text, SHOWN);
    out.put("shown", parts(text.substring(0, cut)));
    long length = total != null ? total.longValue() : text.length();
    if (cut < text.length()) {
      out.put("rest", parts(text.substring(cut, cutAt(text, HELD))));
    }
    if (length > cut) {
      out.put("cut", true).put("length", length);
    }
    return out;
  }

  /** Where to cut {@code text} to at most {@code max} chars without splitting a surrogate pair. */
  static int cutAt(String text, int max) {
    if (text.length() <= max) {
      return text.length();
    }
    return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
  }
}
