package dev.gauntlet.operations;

import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.catalog.ParamSchema;
import dev.gauntlet.generator.Generators;
import dev.gauntlet.catalog.Secrets;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.ConfigNaming;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.orchestrator.Resolver;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static dev.gauntlet.operations.Args.id;
import static dev.gauntlet.operations.Args.page;
import static dev.gauntlet.operations.Args.value;

import java.util.ArrayList;
import java.util.List;

/**
 * Configuration writes and reads with their catalog's rules: a type must exist and its
 * parameters validate (defaults filled in); a generator's secrets are sealed before they are
 * stored and masked whenever they are read; "********" on update keeps the stored secret.
 */
final class Configurations {

  private final MemoryClient memory;
  private final SecretBox secrets;

  Configurations(MemoryClient memory, SecretBox secrets) {
    this.memory = memory;
    this.secrets = secrets;
  }

  /** The five operations every kind has, plus its catalog of types. */
  Operation.Handler list(ConfigKind kind) {
    return (c, a) -> list(c.owner(), kind, page(a, 100));
  }

  Operation.Handler get(ConfigKind kind) {
    return (c, a) -> {
      JsonObject page = page(a, 1000);
      return get(c.owner(), kind, id(a), page.getInteger("offset"), page.getInteger("limit"));
    };
  }

  Operation.Handler create(ConfigKind kind) {
    return (c, a) -> create(c.owner(), kind, value(a));
  }

  Operation.Handler update(ConfigKind kind) {
    return (c, a) -> replace(c.owner(), kind, id(a), value(a));
  }

  /**
   * Deletes a configuration unless others still refer to it: then a 409 listing them (names and
   * ids, in the error's details as {@code used_by}), unless {@code force} is true.
   */
  Operation.Handler delete(ConfigKind kind) {
    return (c, a) -> memory.configs(c.owner()).delete(kind, id(a), Resolver.referencesByKind(), a.getBoolean("force", false));
  }

  /** A copy under the first free "name (copy)", "name (copy 2)"…; a generator's secrets are copied sealed, as stored. */
  Operation.Handler duplicate(ConfigKind kind) {
    return (c, a) -> memory.configs(c.owner()).duplicate(kind, id(a)).map(copy -> {
      if (kind == ConfigKind.DATASETS) {
        copy.remove("prompts");
      }
      return masked(kind, copy);
    });
  }

  static Operation.Handler types(ConfigKind kind) {
    return (c, a) -> Future.succeededFuture(Resolver.catalogOf(kind).toJson());
  }

  Future<JsonObject> list(MemoryOwner owner, ConfigKind kind, JsonObject page) {
    return memory.configs(owner).listWithNames(kind, page.getInteger("offset"), page.getInteger("limit")).map(list -> {
      JsonObject names = (JsonObject) list.remove("names");
      JsonObject deleted = (JsonObject) list.remove("deleted");
      list.getJsonArray("items").forEach(item -> masked(kind, (JsonObject) item));
      ConfigSummaries.annotate(kind, list.getJsonArray("items"), names, deleted);
      return list;
    });
  }

  /** The names of these configurations, quoted and joined ("'a', 'b'"), for descriptions and messages that would otherwise speak ids. */
  Future<String> names(MemoryOwner owner, ConfigKind kind, List<String> ids) {
    List<Future<JsonObject>> all = new ArrayList<>();
    ids.forEach(id -> all.add(kind == ConfigKind.DATASETS ? memory.configs(owner).getDataset(id, 0, 0) : memory.configs(owner).get(kind, id)));
    return Future.all(all).map(done -> String.join(", ", all.stream().map(f -> "'" + f.result().getString("name") + "'").toList()));
  }

  /** One configuration, secrets masked; a dataset with one page of its prompts. */
  Future<JsonObject> get(MemoryOwner owner, ConfigKind kind, String id, int offset, int limit) {
    var configs = memory.configs(owner);
    return (kind == ConfigKind.DATASETS ? configs.getDataset(id, offset, limit) : configs.get(kind, id)).map(c -> masked(kind, c));
  }

  Future<JsonObject> create(MemoryOwner owner, ConfigKind kind, JsonObject body) {
    return create(owner, kind, body, ConfigNaming.STRICT);
  }

  /** A new configuration; {@code naming}: what a taken name does (a 409 for a name the caller typed, the next free one for a name the server chose). */
  Future<JsonObject> create(MemoryOwner owner, ConfigKind kind, JsonObject body, ConfigNaming naming) {
    JsonObject value = typed(kind, kind.validate(body));
    if (kind == ConfigKind.GENERATORS) {
      value.put("parameters", Secrets.seal(schema(kind, value), value.getJsonObject("parameters"), null, secrets));
    }
    return referencesExist(owner, kind, value)
        .compose(v -> memory.configs(owner).create(kind, value, naming)).map(c -> masked(kind, c));
  }

  Future<JsonObject> replace(MemoryOwner owner, ConfigKind kind, String id, JsonObject body) {
    JsonObject value = typed(kind, kind.validate(body));
    Future<JsonObject> sealed = Future.succeededFuture(value);
    if (kind == ConfigKind.GENERATORS) {
      sealed = memory.configs(owner).get(kind, id).map(stored -> value.put("parameters",
          Secrets.seal(schema(kind, value), value.getJsonObject("parameters"),
              stored.getString("type").equals(value.getString("type")) ? stored.getJsonObject("parameters") : null, secrets)));
    }
    return sealed.compose(v -> referencesExist(owner, kind, v).map(v))
        .compose(v -> memory.configs(owner).replace(kind, id, v))
        .map(c -> masked(kind, c));
  }

  /**
   * Every configuration a value refers to (an orchestrator's generator, dataset, scorers) must be
   * the caller's own: an id from someone else's memory is a 404 here, as it is everywhere.
   */
  private Future<Void> referencesExist(MemoryOwner owner, ConfigKind kind, JsonObject value) {
    if (kind == ConfigKind.DATASETS) {
      return Future.succeededFuture();
    }
    List<Future<JsonObject>> checks = new ArrayList<>();
    Resolver.references(schema(kind, value), value.getJsonObject("parameters", new JsonObject())).forEach((target, ids) -> ids.forEach(id ->
        checks.add(target == ConfigKind.DATASETS ? memory.configs(owner).getDataset(id, 0, 0) : memory.configs(owner).get(target, id))));
    return Future.all(checks).mapEmpty();
  }

  /** Checks the type and parameters against the kind's catalog; datasets have neither. */
  private static JsonObject typed(ConfigKind kind, JsonObject value) {
    if (kind == ConfigKind.DATASETS) {
      return value;
    }
    return value.put("parameters", Resolver.catalogOf(kind).validate(value.getString("type"), value.getJsonObject("parameters")));
  }

  private static ParamSchema schema(ConfigKind kind, JsonObject config) {
    return Resolver.catalogOf(kind).get(config.getString("type")).schema();
  }

  private static JsonObject masked(ConfigKind kind, JsonObject config) {
    if (kind == ConfigKind.GENERATORS && Generators.catalog().has(config.getString("type"))) {
      config.put("parameters", Secrets.mask(schema(kind, config), config.getJsonObject("parameters")));
    }
    return config;
  }
}
