package dev.gauntlet.memory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * The dashboard's rules in Java, as {@link MemoryQueries} states them in SQL, so an append's
 * deltas are computed from the batch in hand: a generator's or scorer's name, a piece's
 * execution, whether a score marks an attack success. DashboardIndexTest holds both to agreeing.
 */
final class DashboardRules {

  private static final JsonFactory JSON = new JsonFactory();

  private DashboardRules() {}

  /** {@code coalesce(nullif(id ->> 'name', ''), nullif(id ->> '__type__', ''), 'unknown')} of an identifier's JSON text. */
  static String name(String identifier) {
    try {
      JsonObject id = new JsonObject(identifier);
      String n = text(id.getValue("name"));
      String t = text(id.getValue("__type__"));
      return n != null && !n.isEmpty() ? n : t != null && !t.isEmpty() ? t : "unknown";
    } catch (RuntimeException notAnObject) {
      return "unknown"; // ->> of a JSON array or scalar is NULL
    }
  }

  /** {@code coalesce(prompt_metadata ->> 'execution_id', '')}, read without building the whole object. */
  static String executionOf(String metadata) {
    if (metadata == null || !metadata.contains("\"execution_id\"")) {
      return "";
    }
    try (JsonParser p = JSON.createParser(metadata)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "";
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("execution_id")) {
          if (value == JsonToken.VALUE_STRING || value.isNumeric() || value.isBoolean()) {
            return p.getText();
          }
          if (value == JsonToken.VALUE_NULL) {
            return "";
          }
          return String.valueOf(text(new JsonObject(metadata).getValue("execution_id")));
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: ->> is NULL
    }
    return "";
  }

  /** What {@code ->>} gives for a JSON value: a string as is, anything else as JSON text, null as NULL. */
  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof JsonObject || v instanceof io.vertx.core.json.JsonArray) {
      return io.vertx.core.json.Json.encode(v);
    }
    return v.toString();
  }

  /** {@link MemoryQueries#success}: the scorer's {@code attack_success} if it gave one, else the value's. */
  static boolean success(String type, String value, String metadata) {
    if (metadata != null && metadata.contains("\"attack_success\"")) {
      Boolean said = said(metadata);
      if (said != null) {
        return said;
      }
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (!"float_scale".equals(type)) {
      return false;
    }
    Double d = number(value);
    return d != null && (Double.isNaN(d) || d >= 0.5); // DuckDB orders NaN above every number
  }

  /** {@code TRY_CAST(json_extract_string(metadata, '$.attack_success') AS BOOLEAN)}. */
  private static Boolean said(String metadata) {
    Object v;
    try {
      v = new JsonObject(metadata).getValue("attack_success");
    } catch (RuntimeException notAnObject) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (!(v instanceof String || v instanceof Integer || v instanceof Long)) {
      return null;
    }
    return switch (v.toString().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "t", "yes", "y", "1" -> true;
      case "false", "f", "no", "n", "0" -> false;
      default -> null;
    };
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(\\d[\\d_]*(\\.[\\d_]*)?|\\.\\d[\\d_]*)([eE][+-]?\\d+)?");

  /** {@code TRY_CAST(value AS DOUBLE)}: decimals (spaces around, underscores inside), nan, inf and infinity. */
  static Double number(String value) {
    String v = value.strip();
    String lower = v.toLowerCase(java.util.Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    if (!DECIMAL.matcher(v).matches()) {
      return null;
    }
    try {
      return Double.parseDouble(v.replace("_", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
