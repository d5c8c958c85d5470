package dev.gauntlet.operations;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;

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

  /** A value of this JSON type, or null. */
  public static JsonObject nullable(String type) {
    return new JsonObject().put("type", new JsonArray().add(type).add("null"));
  }

  public static JsonObject nullableNumber() {
    return new JsonObject().put("type", new JsonArray().add("number").add("null"));
  }

  public static JsonObject integer() {
    return new JsonObject().put("type", "integer");
  }

  /**
   * One group two executions are compared in (a harm category, a converter chain): each side's
   * results by outcome with the rate over judged results and its 95% interval, B − A, and the
   * two-proportion test ({@code verdict/stats/Difference}).
   */
  public static final JsonObject COMPARED_GROUP = object("name", string(), "a", rateFigures(), "b", rateFigures(),
      "difference", number(), "test", object("significant", bool(), "too_few_results", bool(), "p_value", any()));

  private static JsonObject rateFigures() {
    return object("attack_succeeded", integer(), "held", integer(), "errors", integer(), "unscored", integer(),
        "rate_denominator", integer(), "success_rate", number(), "success_interval", object("denominator", integer()));
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

  /** A page of a longer list: its items, how many there are in all, and where the page starts. */
  public static JsonObject page(JsonObject item) {
    return object("items", arrayOf(item), "total", integer(), "offset", integer(), "limit", integer());
  }

  /** A copy of an object's schema with more fields, given as {@link #object} takes them. */
  public static JsonObject extend(JsonObject base, Object... fields) {
    JsonObject more = object(fields);
    JsonObject out = base.copy();
    out.getJsonObject("properties").mergeIn(more.getJsonObject("properties"));
    JsonArray required = out.getJsonArray("required", new JsonArray()).copy();
    more.getJsonArray("required", new JsonArray()).forEach(required::add);
    return required.isEmpty() ? out : out.put("required", required);
  }

  /** A stored configuration (generator, dataset, converter, scorer, orchestrator; a dataset has prompts, not a type). */
  public static final JsonObject CONFIG = object("id", string(), "name", string(), "type?", string(),
      "parameters?", new JsonObject().put("type", "object"), "description?", nullableString(), "prompt_count?", integer(),
      "prompts?", arrayOf(new JsonObject().put("type", "object")), "created_at?", string(), "updated_at?", string());

  /** A configuration that refers to another: {kind, id, name, parameter}. */
  public static final JsonObject CONFIG_USER = object("kind", string(), "id", string(), "name", string(), "parameter", string());

  /**
   * A configuration as lists show it: its summary (headline and facts), what it refers to by name
   * (a deleted one marked, with its name if known), a dataset's harm categories.
   */
  public static final JsonObject LISTED_CONFIG = extend(CONFIG, "summary?", object("headline", string(), "facts", arrayOf(string())),
      "references?", arrayOf(object("param", string(), "kind", string(), "id", string(), "name", nullableString(), "deleted", bool())),
      "harm_categories?", arrayOf(string()));

  /** An API key as listed: its prefix and scopes, never the key itself. */
  public static final JsonObject KEY = object("id", string(), "name", string(), "prefix", string(), "scopes", arrayOf(string()),
      "created_at", string(), "expires_at", nullableString(), "last_used_at", nullableString(), "last_used_from", nullableString(),
      "revoked_at", nullableString());

  /** A registered user: the username names the memory and never changes; the login is what a local account signs in with. */
  public static final JsonObject USER = object("id", string(), "username", string(), "login", nullableString(),
      "display_name", nullableString(), "issuer", string(), "subject", string(), "roles", arrayOf(string()), "memory_file", string(),
      "created_at", string(), "last_login_at", nullableString(), "disabled", bool(), "must_change_password", bool());

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

  /** A catalog's type (a generator, converter, scorer or orchestrator type) with the parameters its configuration takes. */
  public static final JsonObject CATALOG_TYPE = object("type", string(), "category", string(), "description", string(),
      "parameters", arrayOf(object("name", string(), "kind", string(), "required", bool(), "description", string())));

  /**
   * Dashboard figures: counts of prompts, responses, scores and successes, the attack success rate
   * and the defense score (null without scores), and the fields given after them.
   */
  public static JsonObject figures(Object... more) {
    Object[] counts = {"prompts", integer(), "responses", integer(), "scores", integer(), "successes", integer(),
        "success_rate", number(), "defense_score", nullableNumber()};
    Object[] all = java.util.Arrays.copyOf(counts, counts.length + more.length);
    System.arraycopy(more, 0, all, counts.length, more.length);
    return object(all);
  }

  /**
   * A declared parameter as JSON Schema, from its kind, range, choices, default and description:
   * the one mapping the OpenAPI document and the MCP tools both use.
   */
  public static JsonObject of(Param p) {
    JsonObject s = switch (p.kind()) {
      case INTEGER -> integer();
      case NUMBER -> number();
      case BOOLEAN -> bool();
      case OBJECT -> new JsonObject().put("type", "object");
      case SECRET_MAP -> new JsonObject().put("type", "object").put("additionalProperties", string());
      case STRING_LIST, SCORER_IDS, CONVERTER_IDS -> arrayOf(string());
      case OBJECT_LIST -> arrayOf(new JsonObject().put("type", "object"));
      case CHOICE -> string().put("enum", new JsonArray(p.choices()));
      case SECRET -> string().put("format", "password").put("writeOnly", true);
      case REGEX -> string().put("format", "regex");
      case URL -> string().put("format", "uri");
      case STRING, TEXT, GENERATOR_ID, SCORER_ID, DATASET_ID -> string();
    };
    if (p.minimum() != null) {
      s.put("minimum", whole(p.minimum()));
    }
    if (p.maximum() != null) {
      s.put("maximum", whole(p.maximum()));
    }
    if (p.defaultValue() != null) {
      s.put("default", p.toJson().getValue("default"));
    }
    String description = p.toJson().getString("description", "");
    return description.isEmpty() ? s : s.put("description", description);
  }

  /** An object of these parameters (all an operation reads: no others are allowed), required ones listed. */
  public static JsonObject arguments(Collection<Param> params) {
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (Param p : params) {
      properties.put(p.name(), of(p));
      if (p.isRequired()) {
        required.add(p.name());
      }
    }
    JsonObject schema = new JsonObject().put("type", "object").put("properties", properties).put("additionalProperties", false);
    return required.isEmpty() ? schema : schema.put("required", required);
  }

  public static JsonObject arguments(ParamSchema input) {
    return arguments(input.params());
  }

  private static Number whole(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Number) (long) d : (Number) d;
  }

  /** The error every surface answers with. */
  public static final JsonObject ERROR = object("error", object("code", string(), "message", string()));
}
