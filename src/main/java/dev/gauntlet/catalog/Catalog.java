package dev.gauntlet.catalog;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** A registry of types by name: converters, scorers, generators or orchestrators. */
public final class Catalog<F> {

  private final String kind;
  private final Map<String, TypeSpec<F>> types = new LinkedHashMap<>();

  public Catalog(String kind) {
    this.kind = kind;
  }

  public Catalog<F> add(TypeSpec<F> spec) {
    if (types.putIfAbsent(spec.name(), spec) != null) {
      throw new IllegalArgumentException(kind + " type '" + spec.name() + "' registered twice");
    }
    return this;
  }

  public Catalog<F> add(String name, String category, String description, ParamSchema schema, F factory) {
    return add(new TypeSpec<>(name, category, description, schema, factory));
  }

  /** The type, or a 400 that lists the known ones. */
  public TypeSpec<F> get(String name) {
    TypeSpec<F> spec = types.get(name);
    if (spec == null) {
      throw Problem.badRequest("unknown_type", "unknown " + kind + " type '" + name + "'; known: " + types.keySet());
    }
    return spec;
  }

  public boolean has(String name) {
    return types.containsKey(name);
  }

  public Collection<TypeSpec<F>> all() {
    return types.values();
  }

  /** Validates a stored configuration's {@code type} and {@code parameters}. */
  public JsonObject validate(String type, JsonObject parameters) {
    return get(type).schema().validate(parameters);
  }

  public JsonObject toJson() {
    JsonArray out = new JsonArray();
    types.values().forEach(t -> out.add(t.toJson()));
    return new JsonObject().put("kind", kind).put("types", out);
  }
}
