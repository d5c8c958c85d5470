package dev.gauntlet.operations;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The shapes operations answer, as JSON Schema (the dialect OpenAPI 3.1 uses). They name the
 * fields a client relies on and their types; objects stay open to fields added later.
 */
public final class Shapes {

  private Shapes() {}

  public static JsonObject string() {
    return new JsonObject().put("type", "string");
  }

  public static JsonObject nullableString() {
    return new JsonObject().put("type", new JsonArray().add("string").add("null"));
  }

  public static JsonObject integer() {
    return new JsonObject().put("type", "integer");
  }

  public static JsonObject number() {
    return new JsonObject().put("type", "number");
  }

  public static JsonObject bool() {
    return new JsonObject().put("type", "boolean");
  }

  /** Any JSON value. */
  public static JsonObject any() {
    return new JsonObject();
  }

  public static JsonObject arrayOf(JsonObject items) {
    return new JsonObject().put("type", "array").put("items", items);
  }

  /** An object with these fields, given as name, schema, name, schema…; a name ending in '?' may be absent. */
  public static JsonObject object(Object... fields) {
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (int i = 0; i < fields.length; i += 2) {
      String name = (String) fields[i];
      boolean optional = name.endsWith("?");
      String field = optional ? name.substring(0, name.length() - 1) : name;
      properties.put(field, fields[i + 1]);
      if (!optional) {
        required.add(field);
      }
    }
    JsonObject schema = new JsonObject().put("type", "object").put("properties", properties);
    return required.isEmpty() ? schema : schema.put("required", required);
  }

  /** {@code {"items": [...]}} and whatever paging fields the list carries. */
  public static JsonObject items(JsonObject item) {
    return object("items", arrayOf(item));
  }

  /** A stored configuration (generator, dataset, converter, scorer, orchestrator). */
  public static final JsonObject CONFIG = object("id", string(), "name", string(), "type?", string(),
      "parameters?", new JsonObject().put("type", "object"), "created_at?", string(), "updated_at?", string());

  /**
   * An execution as stored (status queued, running, completed, completed_with_errors, failed or
   * cancelled), with counts when finished and live progress while running: done of total, and the
   * prompts per outcome ({@code verdict/Outcome}).
   */
  public static final JsonObject EXECUTION = object("id", string(), "status", string(),
      "orchestrator_id?", nullableString(), "progress?", object("total", integer(), "done", integer(),
          "attack_succeeded", integer(), "held", integer(), "error", integer(), "unscored", integer()));

  /** A launch or resume: the execution's id and its new status. */
  public static final JsonObject EXECUTION_STATE = object("id", string(), "status", string());

  /** The error every surface answers with. */
  public static final JsonObject ERROR = object("error", object("code", string(), "message", string()));
}
