package dev.gauntlet;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.Json;

import java.util.Map;

/**
 * JSON text written straight into a {@link StringBuilder} for the small, flat objects every
 * prompt writes (a piece's metadata, a chat request). {@code JsonObject.encode} goes through
 * Jackson's generic encoder, one large method the JIT compiles at its top tier for seconds of a
 * fresh server's first executions; these few lines compile in milliseconds. Values other than
 * text, numbers, booleans and null (nested objects, arrays) are encoded by Vert.x as ever.
 */
public final class JsonText {

  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

  private JsonText() {}

  /** Appends {@code value} as a JSON string literal, quoted and escaped. */
  public static StringBuilder string(StringBuilder out, CharSequence value) {
    out.append('"');
    ESCAPE.quoteAsString(value, out);
    return out.append('"');
  }

  /** Appends any value as JSON: the flat ones here, the rest through Vert.x's encoder. */
  public static StringBuilder value(StringBuilder out, Object value) {
    if (value == null) {
      return out.append("null");
    }
    if (value instanceof String s) {
      return string(out, s);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof Boolean) {
      return out.append(value);
    }
    return out.append(Json.encode(value));
  }

  /** Appends {@code ,"key":value} (without the comma for the first member of an object). */
  public static StringBuilder member(StringBuilder out, boolean first, String key, Object value) {
    if (!first) {
      out.append(',');
    }
    string(out, key).append(':');
    return value(out, value);
  }

  /** An object's members as JSON text, in their order; what {@code new JsonObject(map).encode()} writes. */
  public static String object(Map<String, Object> members) {
    StringBuilder out = new StringBuilder(32 + 24 * members.size()).append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : members.entrySet()) {
      member(out, first, e.getKey(), e.getValue());
      first = false;
    }
    return out.append('}').toString();
  }
}
