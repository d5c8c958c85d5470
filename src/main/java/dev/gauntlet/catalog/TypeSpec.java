package dev.gauntlet.catalog;

import io.vertx.core.json.JsonObject;

/**
 * One type of a catalog: its name as users write it, what it does, its parameters, and the
 * factory that builds it from validated parameters. {@code F} is the catalog's factory interface.
 */
public record TypeSpec<F>(String name, String category, String description, ParamSchema schema, F factory) {

  public JsonObject toJson() {
    return new JsonObject().put("type", name).put("category", category).put("description", description)
        .put("parameters", schema.toJson());
  }
}
