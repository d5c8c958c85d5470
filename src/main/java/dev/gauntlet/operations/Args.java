package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Param;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Reading an operation's arguments: each refusal names the argument and what it must be. */
final class Args {

  /** The most items a page may hold. */
  static final int MAX_LIMIT = 1000;

  /** The paging parameters every list takes. */
  static final Param OFFSET = Param.integer("offset").min(0).defaultValue(0).describe("items to skip");

  static Param limit(int defaultLimit) {
    return Param.integer("limit").min(1).max(MAX_LIMIT).defaultValue(defaultLimit).describe("items per page");
  }

  static final Param ID = Param.string("id").required().describe("the id");

  private Args() {}

  static String id(JsonObject a) {
    Object id = a.getValue("id");
    if (!(id instanceof String s) || s.isEmpty() || s.length() > 200) {
      throw Problem.badRequest("invalid_field", "'id' is required and must be a string");
    }
    return s;
  }

  static JsonObject value(JsonObject a) {
    Object v = a.getValue("value");
    if (!(v instanceof JsonObject o)) {
      throw Problem.badRequest("invalid_body", "the body must be a JSON object");
    }
    return o;
  }

  static JsonObject page(JsonObject a, int defaultLimit) {
    int offset = bounded(a, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = bounded(a, "limit", defaultLimit, 1, MAX_LIMIT);
    return new JsonObject().put("offset", offset).put("limit", limit);
  }

  static int bounded(JsonObject a, String name, int fallback, int min, int max) {
    Object v = a.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer n) || n < min || n > max) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be a whole number between " + min + " and " + max);
    }
    return n;
  }

  static String string(JsonObject a, String field) {
    Object v = a.getValue(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw Problem.badRequest("invalid_field", "'" + field + "' is required and must be a non-empty string");
    }
    return s;
  }

  /** An optional string: absent or empty is null. */
  static String optional(JsonObject a, String field) {
    Object v = a.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw Problem.badRequest("invalid_field", "'" + field + "' must be a string");
    }
    return s.isEmpty() ? null : s;
  }

  static JsonObject labels(JsonObject a) {
    Object v = a.getValue("labels");
    if (v != null && !(v instanceof JsonObject)) {
      throw Problem.badRequest("invalid_field", "'labels' must be an object");
    }
    return (JsonObject) v;
  }

  static List<String> strings(JsonObject a, String field, int max) {
    Object v = a.getValue(field);
    if (!(v instanceof JsonArray arr) || arr.isEmpty() || !arr.stream().allMatch(x -> x instanceof String)) {
      throw Problem.badRequest("invalid_field", "'" + field + "' must be a non-empty array of strings");
    }
    if (arr.size() > max) {
      throw Problem.badRequest("invalid_field", "'" + field + "' holds at most " + max + " items");
    }
    return arr.stream().map(Object::toString).toList();
  }
}
