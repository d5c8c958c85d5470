package dev.gauntlet.orchestrator;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what attacker and evaluator models answer. They are asked for JSON but are models: the
 * object may sit in a code fence or among prose, or be missing. Each reader takes the JSON when
 * there is some and falls back to plain text; what cannot be read is said so (null), never
 * guessed into a success.
 */
final class AttackerAnswers {

  private static final Pattern RATING_MARK = Pattern.compile("(?i)(?:rating|score)\\s*[:=]?\\s*\\[*\\s*(\\d{1,2})\\b");
  private static final Pattern LONE_NUMBER = Pattern.compile("^\\s*\\[*\\s*(\\d{1,2})\\s*\\]*\\s*(?:/\\s*10)?\\s*\\.?\\s*$");

  private AttackerAnswers() {}

  /** The first JSON object in a text (fenced or among prose), or null. */
  static JsonObject object(String text) {
    if (text == null) {
      return null;
    }
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    while (start >= 0 && end > start) {
      try {
        return new JsonObject(text.substring(start, end + 1));
      } catch (DecodeException | ClassCastException e) {
        start = text.indexOf('{', start + 1);
      }
    }
    return null;
  }

  /** A candidate prompt from an attacker: its improvement note (or null), the prompt, and whether it came as JSON. */
  record Candidate(String improvement, String prompt, boolean json) {}

  /** The {@code prompt} of {@code {"improvement": ..., "prompt": ...}}, else the whole text; null when either is blank. */
  static Candidate candidate(String text) {
    JsonObject o = object(text);
    if (o != null && o.getValue("prompt") instanceof String p) {
      // the asked-for shape with nothing in it is an empty answer, not a prompt made of its JSON
      return p.isBlank() ? null : new Candidate(o.getValue("improvement") instanceof String i ? i : null, p.strip(), true);
    }
    return text == null || text.isBlank() ? null : new Candidate(null, text.strip(), false);
  }

  /** A judge's rating from 1 to 10 and its reason, or a null rating with why it could not be read. */
  record Rating(Integer value, String note) {}

  /** {@code {"rating": n, "reason": ...}}, {@code Rating: [[n]]}, or a lone number; out of 1–10 is unreadable. */
  static Rating rating(String text) {
    JsonObject o = object(text);
    if (o != null) {
      Object v = o.getValue("rating", o.getValue("score"));
      String reason = o.getValue("reason") instanceof String r ? r : null;
      if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        return inRange(n.intValue(), reason);
      }
    }
    if (text != null) {
      Matcher m = RATING_MARK.matcher(text);
      if (m.find()) {
        return inRange(Integer.parseInt(m.group(1)), null);
      }
      m = LONE_NUMBER.matcher(text);
      if (m.find()) {
        return inRange(Integer.parseInt(m.group(1)), null);
      }
    }
    return new Rating(null, "unreadable rating: " + clip(text));
  }

  private static Rating inRange(int n, String reason) {
    return n >= 1 && n <= 10 ? new Rating(n, reason) : new Rating(null, "rating out of 1-10: " + n);
  }

  /** {@code {"on_topic": bool}}, or an answer starting with yes or no; null when neither. */
  static Boolean yesNo(String text) {
    JsonObject o = object(text);
    if (o != null && o.getValue("on_topic") instanceof Boolean b) {
      return b;
    }
    if (text == null) {
      return null;
    }
    String t = text.strip().toLowerCase(Locale.ROOT).replaceAll("^[^a-z]+", "");
    if (t.startsWith("yes")) {
      return true;
    }
    if (t.startsWith("no")) {
      return false;
    }
    return null;
  }

  /** A short, single-line excerpt of model output for a reason or a note. */
  static String clip(String text) {
    if (text == null) {
      return "(none)";
    }
    String one = text.strip().replaceAll("\\s+", " ");
    return one.length() > 120 ? one.substring(0, 120) + "…" : one;
  }
}
