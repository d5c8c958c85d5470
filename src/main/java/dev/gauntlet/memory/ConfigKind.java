package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of configuration a user keeps in memory, each in its own table. Shape validation
 * lives here; what a type's parameters mean is the business of each catalog.
 */
public enum ConfigKind {
  GENERATORS("generators", "generator"),
  DATASETS("datasets", "dataset"),
  CONVERTERS("converters", "converter"),
  SCORERS("scorers", "scorer"),
  ORCHESTRATORS("orchestrators", "orchestrator");

  static final int MAX_NAME = 200;
  static final int MAX_PROMPTS = 200_000;

  private final String table;
  private final String singular;

  ConfigKind(String table, String singular) {
    this.table = table;
    this.singular = singular;
  }

  public String table() {
    return table;
  }

  public String singular() {
    return singular;
  }

  public static Optional<ConfigKind> byTable(String table) {
    return Arrays.stream(values()).filter(k -> k.table.equals(table)).findFirst();
  }

  /**
   * Checks a create or replace body and returns its normalized form; throws a 400 problem
   * naming the first thing wrong. Nothing is stored unless this passes.
   */
  public JsonObject validate(JsonObject body) {
    if (body == null) {
      throw Problem.badRequest("invalid_body", "the body must be a JSON object");
    }
    JsonObject out = new JsonObject().put("name", requireName(body));
    if (this == DATASETS) {
      Object description = body.getValue("description");
      if (description != null && !(description instanceof String)) {
        throw Problem.badRequest("invalid_field", "'description' must be a string");
      }
      out.put("description", description);
      out.put("prompts", validatePrompts(body.getValue("prompts")));
      return out;
    }
    Object type = body.getValue("type");
    if (!(type instanceof String t) || t.isBlank()) {
      throw Problem.badRequest("invalid_field", "'type' is required and must be a non-empty string");
    }
    if (t.length() > MAX_NAME) {
      throw Problem.badRequest("invalid_field", "'type' is longer than " + MAX_NAME + " characters");
    }
    Object parameters = body.getValue("parameters", new JsonObject());
    if (!(parameters instanceof JsonObject)) {
      throw Problem.badRequest("invalid_field", "'parameters' must be a JSON object");
    }
    return out.put("type", t).put("parameters", parameters);
  }

  private static String requireName(JsonObject body) {
    Object name = body.getValue("name");
    if (!(name instanceof String n) || n.isBlank()) {
      throw Problem.badRequest("invalid_field", "'name' is required and must be a non-empty string");
    }
    if (n.length() > MAX_NAME) {
      throw Problem.badRequest("invalid_field", "'name' is longer than " + MAX_NAME + " characters");
    }
    return n;
  }

  /** A prompt's metadata (what its source file said beside it, or what a probe's run and detectors need). */
  static final int MAX_METADATA_CHARS = 64 * 1024;

  private static JsonArray validatePrompts(Object value) {
    if (!(value instanceof JsonArray prompts)) {
      throw Problem.badRequest("invalid_field", "'prompts' is required and must be an array");
    }
    if (prompts.size() > MAX_PROMPTS) {
      throw Problem.badRequest("too_many_prompts", "a dataset holds at most " + MAX_PROMPTS + " prompts");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < prompts.size(); i++) {
      Object p = prompts.getValue(i);
      if (!(p instanceof JsonObject prompt)) {
        throw Problem.badRequest("invalid_field", "prompts[" + i + "] must be an object with a 'value'");
      }
      Object v = prompt.getValue("value");
      if (!(v instanceof String s) || s.isEmpty()) {
        throw Problem.badRequest("invalid_field", "prompts[" + i + "].value is required and must be a non-empty string");
      }
      Object cats = prompt.getValue("harm_categories", new JsonArray());
      if (!(cats instanceof JsonArray categories) || !categories.stream().allMatch(c -> c instanceof String)) {
        throw Problem.badRequest("invalid_field", "prompts[" + i + "].harm_categories must be an array of strings");
      }
      JsonObject kept = new JsonObject().put("value", s).put("harm_categories", categories);
      Object metadata = prompt.getValue("metadata");
      if (metadata != null) {
        if (!(metadata instanceof JsonObject m)) {
          throw Problem.badRequest("invalid_field", "prompts[" + i + "].metadata must be an object");
        }
        if (m.encode().length() > MAX_METADATA_CHARS) {
          throw Problem.badRequest("invalid_field", "prompts[" + i + "].metadata is over " + MAX_METADATA_CHARS + " characters");
        }
        Object tools = m.getValue("tools");
        if (tools != null && !(tools instanceof JsonArray t && t.stream().allMatch(o -> o instanceof JsonObject))) {
          throw Problem.badRequest("invalid_field", "prompts[" + i + "].metadata.tools must be an array of tool objects "
              + "(OpenAI function definitions)");
        }
        if (!m.isEmpty()) {
          kept.put("metadata", m);
        }
      }
      out.add(kept);
    }
    return out;
  }
}
