package dev.gauntlet.auth;

import dev.gauntlet.Problem;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a username may be, in any script: a name is taken in its NFC form (so "renée" typed with a
 * combining accent is the same name, and the same memory file, as with a precomposed é), made of
 * letters, marks and digits of any script plus {@code . _ @ -}, starting with a letter or digit,
 * at most 64 characters. Control, format (zero-width), private-use and unassigned characters are
 * refused, and so is a name mixing scripts that are not written together, since "pаypal" with a
 * Cyrillic "а" would pass for "paypal". A ViolentUTF user's name is hashed as they typed it, so
 * their existing memory file is the one they get.
 */
public final class Usernames {

  public static final int MAX = 64;
  private static final String PUNCTUATION = "._@-";
  /** Scripts written together in one name: Japanese, Korean and Chinese with their Han characters. */
  private static final List<Set<UnicodeScript>> TOGETHER = List.of(
      EnumSet.of(UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA, UnicodeScript.LATIN),
      EnumSet.of(UnicodeScript.HAN, UnicodeScript.HANGUL, UnicodeScript.LATIN),
      EnumSet.of(UnicodeScript.HAN, UnicodeScript.BOPOMOFO, UnicodeScript.LATIN));

  private Usernames() {}

  /** The name in NFC, or a 400 naming {@code field} and what is wrong with it. */
  public static String require(Object value, String field) {
    if (!(value instanceof String s)) {
      throw Problem.badRequest("invalid_field", "'" + field + "' must be a string");
    }
    String name = Normalizer.normalize(s, Normalizer.Form.NFC);
    String wrong = problem(name);
    if (wrong != null) {
      throw Problem.badRequest("invalid_field", "'" + field + "' " + wrong);
    }
    return name;
  }

  /** Null when {@code name} (already NFC) is a valid username, else what is wrong, as the end of a sentence. */
  static String problem(String name) {
    int length = name.codePointCount(0, name.length());
    if (length == 0 || length > MAX) {
      return "must be 1 to " + MAX + " characters";
    }
    int first = name.codePointAt(0);
    if (!Character.isLetterOrDigit(first)) {
      return "must start with a letter or digit";
    }
    Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
          || type == Character.SURROGATE || type == Character.UNASSIGNED) {
        return "contains an invisible, control or private-use character (U+" + String.format("%04X", cp) + ")";
      }
      boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
          || type == Character.ENCLOSING_MARK;
      if (!Character.isLetterOrDigit(cp) && !mark && PUNCTUATION.indexOf(cp) < 0) {
        return "may hold only letters, marks and digits of any script, and . _ @ - (not '" + new String(Character.toChars(cp)) + "')";
      }
      if (Character.isLetter(cp)) {
        UnicodeScript script = UnicodeScript.of(cp);
        if (script != UnicodeScript.COMMON && script != UnicodeScript.INHERITED) {
          scripts.add(script);
        }
      }
    }
    if (scripts.size() > 1 && TOGETHER.stream().noneMatch(t -> t.containsAll(scripts))) {
      Set<String> names = new TreeSet<>();
      scripts.forEach(sc -> names.add(sc.name().charAt(0) + sc.name().substring(1).toLowerCase(java.util.Locale.ROOT)));
      return "mixes letters of " + String.join(" and ", names) + ", which lets one name pass for another";
    }
    return null;
  }

  /**
   * The name a single sign-on identity asks for: its own characters where they make a valid name;
   * otherwise each character a name may not hold becomes '-' (spaces, slashes), and a name still
   * refused (mixed scripts) is left to the caller's fallback (null).
   */
  static String fromProvider(String raw) {
    String name = Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
    if (problem(name) == null) {
      return name;
    }
    StringBuilder b = new StringBuilder();
    name.codePoints().forEach(cp -> {
      int type = Character.getType(cp);
      boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
      boolean invisible = type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
          || type == Character.SURROGATE || type == Character.UNASSIGNED;
      if (!invisible) {
        b.appendCodePoint(Character.isLetterOrDigit(cp) || mark || PUNCTUATION.indexOf(cp) >= 0 ? cp : '-');
      }
    });
    String cleaned = b.toString().replaceAll("^[^\\p{L}\\p{N}]+", "");
    int max = cleaned.offsetByCodePoints(0, Math.min(cleaned.codePointCount(0, cleaned.length()), MAX));
    cleaned = cleaned.substring(0, max);
    return problem(cleaned) == null ? cleaned : null;
  }
}
