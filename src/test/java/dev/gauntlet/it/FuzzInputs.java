package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Values for the fuzz suite, drawn from one seeded random source so a case is replayed by its
 * seed: valid ones from a JSON Schema (type, enum, minimum and maximum, required properties) and
 * hostile ones (wrong types, out of range, oversized, odd Unicode, SQL and path metacharacters,
 * unknown ids, random JSON).
 */
final class FuzzInputs {

  /** Strings that have broken servers before: metacharacters, odd Unicode, numbers in disguise. */
  static final List<String> ODD = List.of("", " ", "\t\n", "' OR '1'='1", "'; DROP TABLE generators; --", "\" OR \"\"=\"",
      "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2f", "/", "//", ".", "..", "~root", "a\u0000b",
      "\u202Eevil\u202C", "\uFEFF", "\u200B\u200D", "renée", "张伟", "🦆🦆", "e\u0301\u0301\u0301", "\uD800", "\uDFFF", "Ω≈ç√",
      "{{prompt}}", "${jndi:ldap://127.0.0.1/a}", "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "-1", "0", "1e309", "NaN",
      "Infinity", "9223372036854775808", "-9223372036854775809", "true", "null", "[]", "{}", "%s%s%s%n", "\\", "*", "?", "#",
      "&a=b", "key=value", "a=b=c", "=", "gk_", "Bearer x", "SELECT * FROM PromptMemoryEntries", "pyrit_memory_x.db",
      "2026-13-45T99:99:99Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z");

  final SplittableRandom r;

  FuzzInputs(long seed) {
    this.r = new SplittableRandom(seed);
  }

  boolean chance(double p) {
    return r.nextDouble() < p;
  }

  <T> T pick(List<T> items) {
    return items.get(r.nextInt(items.size()));
  }

  /** A hostile string; {@code inUrl} keeps it short enough for a request line. */
  String odd(boolean inUrl) {
    int kind = r.nextInt(10);
    if (kind < 6) {
      return pick(ODD);
    }
    if (kind < 8) {
      return unicode(1 + r.nextInt(inUrl ? 40 : 200));
    }
    if (kind == 8) {
      return UUID.randomUUID().toString();
    }
    int n = inUrl ? 200 + r.nextInt(800) : 1000 + r.nextInt(r.nextBoolean() ? 5_000 : 50_000);
    return "A".repeat(n);
  }

  /** Random code points from every plane, surrogates and controls included. */
  String unicode(int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int band = r.nextInt(5);
      int cp = switch (band) {
        case 0 -> r.nextInt(0x20, 0x7F);
        case 1 -> r.nextInt(0, 0x20);
        case 2 -> r.nextInt(0x80, 0x800);
        case 3 -> r.nextInt(0x800, 0x10000);
        default -> r.nextInt(0x10000, 0x110000);
      };
      b.appendCodePoint(cp);
    }
    return b.toString();
  }

  /** A plain name a user might type. */
  String name() {
    return pick(List.of("fuzz", "attack", "red team", "x", "Ünïcödé", "日本語")) + "-" + r.nextInt(1_000_000);
  }

  /** Any JSON value, nested up to {@code depth}. */
  Object json(int depth) {
    int kind = r.nextInt(depth <= 0 ? 5 : 7);
    return switch (kind) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> r.nextBoolean() ? (Object) r.nextLong() : (Object) (r.nextDouble() * 1e12 - 5e11);
      case 3 -> odd(false);
      case 4 -> r.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE);
      case 5 -> {
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(json(depth - 1));
        }
        yield a;
      }
      default -> {
        JsonObject o = new JsonObject();
        for (int i = r.nextInt(4); i > 0; i--) {
          o.put(r.nextBoolean() ? odd(true) : name(), json(depth - 1));
        }
        yield o;
      }
    };
  }

  /** A value of the wrong JSON type for the schema. */
  Object wrongType(JsonObject schema) {
    String type = schema == null ? null : schema.getValue("type") instanceof String s ? s : null;
    List<Object> choices = new java.util.ArrayList<>(List.of(new JsonObject().put("x", 1), new JsonArray().add(1), 42, -7.5, true));
    choices.add("not a " + type);
    choices.removeIf(v -> matches(type, v));
    return choices.isEmpty() ? null : pick(choices);
  }

  private static boolean matches(String type, Object v) {
    return type != null && switch (type) {
      case "object" -> v instanceof JsonObject;
      case "array" -> v instanceof JsonArray;
      case "string" -> v instanceof String;
      case "integer" -> v instanceof Integer || v instanceof Long;
      case "number" -> v instanceof Number;
      case "boolean" -> v instanceof Boolean;
      default -> false;
    };
  }

  /** A value the schema accepts (its enum, range and type); strings come from {@code strings}. */
  Object valid(JsonObject schema, java.util.function.Supplier<String> strings) {
    if (schema == null) {
      return strings.get();
    }
    JsonArray enumeration = schema.getJsonArray("enum");
    if (enumeration != null && !enumeration.isEmpty()) {
      return enumeration.getValue(r.nextInt(enumeration.size()));
    }
    Object t = schema.getValue("type");
    String type = t instanceof String s ? s : t instanceof JsonArray a && !a.isEmpty() ? a.getString(0) : "string";
    return switch (type) {
      case "integer", "number" -> {
        long min = schema.getLong("minimum", -1000L);
        long max = schema.getLong("maximum", Math.max(min, 0) + 1000L);
        yield r.nextInt(4) == 0 ? (r.nextBoolean() ? min : max) : min + r.nextLong(max - min + 1);
      }
      case "boolean" -> r.nextBoolean();
      case "array" -> {
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(valid(schema.getJsonObject("items"), strings));
        }
        yield a;
      }
      case "object" -> {
        JsonObject o = new JsonObject();
        JsonObject properties = schema.getJsonObject("properties", new JsonObject());
        JsonArray required = schema.getJsonArray("required", new JsonArray());
        for (String p : properties.fieldNames()) {
          if (required.contains(p) || chance(0.6)) {
            o.put(p, valid(properties.getJsonObject(p), strings));
          }
        }
        if (properties.isEmpty() && chance(0.5)) {
          o.put(name(), name());
        }
        yield o;
      }
      default -> strings.get();
    };
  }

  /** An integer outside the schema's range, or not an integer at all. */
  String outOfRange(JsonObject schema) {
    List<String> options = new java.util.ArrayList<>(List.of("abc", "1.5", "", "0x10", "１２", "99999999999999999999", "-0"));
    if (schema.containsKey("minimum")) {
      options.add(Long.toString(schema.getLong("minimum") - 1 - r.nextInt(1000)));
    }
    if (schema.containsKey("maximum")) {
      options.add(Long.toString(schema.getLong("maximum") + 1 + r.nextInt(1_000_000)));
    }
    return pick(options);
  }

  /** JSON nested deeper than any parser should follow. */
  static String deep(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }
}
