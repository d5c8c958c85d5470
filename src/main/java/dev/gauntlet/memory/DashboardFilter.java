package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * What the dashboard is narrowed to: the last {@code days} calendar days (UTC, today included),
 * and optionally one scorer, one generator, one label ({@code key=value}) and one execution.
 * Values are untrusted: they are checked here and only ever bound as SQL parameters.
 */
public record DashboardFilter(int days, String scorer, String generator, String labelKey, String labelValue,
                              String execution) {

  public static final int DEFAULT_DAYS = 30;
  public static final int MAX_DAYS = 3650;
  static final int MAX_VALUE_LENGTH = 200;

  public static final DashboardFilter ALL = new DashboardFilter(MAX_DAYS, null, null, null, null, null);

  /**
   * Reads a filter from request arguments (query strings or JSON values); empty strings mean "any".
   * A bad value is a 400 naming the parameter.
   */
  public static DashboardFilter parse(JsonObject args) {
    int days = days(args.getValue("days"));
    String label = text(args, "label");
    String key = null;
    String value = null;
    if (label != null) {
      int eq = label.indexOf('=');
      if (eq <= 0) {
        throw Problem.badRequest("invalid_parameter", "'label' must look like key=value");
      }
      key = label.substring(0, eq);
      value = label.substring(eq + 1);
    }
    return new DashboardFilter(days, text(args, "scorer"), text(args, "generator"), key, value, text(args, "execution"));
  }

  private static int days(Object v) {
    if (v == null || "".equals(v)) {
      return DEFAULT_DAYS;
    }
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && s.matches("\\d{1,9}")) {
      n = Long.parseLong(s);
    } else {
      throw Problem.badRequest("invalid_parameter", "'days' must be a whole number between 1 and " + MAX_DAYS);
    }
    if (n < 1 || n > MAX_DAYS) {
      throw Problem.badRequest("invalid_parameter", "'days' must be a whole number between 1 and " + MAX_DAYS);
    }
    return (int) n;
  }

  static String text(JsonObject args, String name) {
    Object v = args.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be a string");
    }
    if (s.length() > (name.equals("label") ? 2 * MAX_VALUE_LENGTH + 1 : MAX_VALUE_LENGTH)) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw Problem.badRequest("invalid_parameter", "'" + name + "' contains a control character");
      }
    }
    return s.isEmpty() ? null : s;
  }

  /** The first day counted: {@code days} calendar days back, today (UTC) being the last. */
  public LocalDate since() {
    return LocalDate.now(ZoneOffset.UTC).minusDays(days - 1L);
  }

  LocalDateTime sinceTime() {
    return since().atStartOfDay();
  }

  public String label() {
    return labelKey == null ? null : labelKey + "=" + labelValue;
  }

  /** The same filter as request arguments, for links and for the event bus. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("days", days);
    if (scorer != null) {
      j.put("scorer", scorer);
    }
    if (generator != null) {
      j.put("generator", generator);
    }
    if (labelKey != null) {
      j.put("label", label());
    }
    if (execution != null) {
      j.put("execution", execution);
    }
    return j;
  }
}
