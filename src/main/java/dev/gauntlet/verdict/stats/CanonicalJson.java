package dev.gauntlet.verdict.stats;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One spelling per JSON value, so equal configurations hash equally: object keys sorted (by UTF-16
 * code units, as RFC 8785 does) at every depth, no whitespace, numbers by value ({@code 1},
 * {@code 1.0} and {@code 1L} are all {@code 1}; {@code 0.50} is {@code 0.5}), strings escaped the
 * one way RFC 8785 does. Anything Vert.x lets a JsonObject hold is accepted; nothing is refused.
 */
final class CanonicalJson {

  private CanonicalJson() {
  }

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Number n) {
      number(n, out);
    } else if (value instanceof JsonObject o) {
      object(o.getMap(), out);
    } else if (value instanceof Map<?, ?> m) {
      object(m, out);
    } else if (value instanceof JsonArray a) {
      array(a.getList(), out);
    } else if (value instanceof List<?> l) {
      array(l, out);
    } else if (value instanceof byte[] bytes) {
      string(Base64.getEncoder().encodeToString(bytes), out); // as Vert.x encodes binary
    } else if (value instanceof Buffer buffer) {
      string(Base64.getEncoder().encodeToString(buffer.getBytes()), out);
    } else if (value instanceof Instant instant) {
      string(DateTimeFormatter.ISO_INSTANT.format(instant), out); // as Vert.x encodes instants
    } else if (value instanceof Enum<?> e) {
      string(e.name(), out);
    } else {
      string(value.toString(), out);
    }
  }

  private static void object(Map<?, ?> map, StringBuilder out) {
    List<String> keys = new ArrayList<>();
    for (Object key : map.keySet()) {
      keys.add(String.valueOf(key));
    }
    keys.sort(null);
    out.append('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(keys.get(i), out);
      out.append(':');
      write(map.get(keys.get(i)), out);
    }
    out.append('}');
  }

  private static void array(List<?> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(list.get(i), out);
    }
    out.append(']');
  }

  private static void number(Number n, StringBuilder out) {
    if ((n instanceof Double d && (d.isNaN() || d.isInfinite())) || (n instanceof Float f && (f.isNaN() || f.isInfinite()))) {
      string(n.toString(), out); // not JSON numbers; kept distinct rather than refused
      return;
    }
    BigDecimal exact = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
    if (exact.signum() == 0) {
      out.append('0');
    } else {
      out.append(exact.stripTrailingZeros().toPlainString());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
