package dev.gauntlet.operations;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.orchestrator.Resolver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What a list shows of a configuration instead of its raw parameters: a headline (a generator's
 * "model @ host", a scorer's or converter's type), a few facts ("at most 16 at once") and the
 * configurations it refers to by name, each marked when it was deleted. Read from one list page
 * and the names of everything in the same memory ({@code names}: {table: {id: name}}, and
 * {@code deleted}: the names of deleted ones still referred to).
 */
final class ConfigSummaries {

  private static final int MAX_FACTS = 3;
  private static final int MAX_FACT_CHARS = 80;

  private ConfigSummaries() {}

  /** Adds {@code summary} and {@code references} to every item of a non-dataset list. */
  static void annotate(ConfigKind kind, JsonArray items, JsonObject names, JsonObject deleted) {
    if (kind == ConfigKind.DATASETS) {
      return;
    }
    var catalog = Resolver.catalogOf(kind);
    for (Object o : items) {
      JsonObject item = (JsonObject) o;
      if (!catalog.has(item.getString("type"))) {
        item.put("summary", new JsonObject().put("headline", item.getString("type") + " (a type this version does not know)")
            .put("facts", new JsonArray())).put("references", new JsonArray());
        continue;
      }
      TypeSpec<?> spec = catalog.get(item.getString("type"));
      JsonObject params = item.getJsonObject("parameters", new JsonObject());
      item.put("references", references(spec.schema().params(), params, names, deleted));
      item.put("summary", kind == ConfigKind.GENERATORS ? generator(spec, params) : generic(spec, params));
    }
  }

  /** One entry per referenced id, in declaration order: {param, kind, id, name, deleted}; name null when nobody knows it. */
  private static JsonArray references(List<Param> schema, JsonObject params, JsonObject names, JsonObject deleted) {
    JsonArray out = new JsonArray();
    for (Param p : schema) {
      Map<ConfigKind, java.util.Set<String>> refs = Resolver.references(dev.gauntlet.catalog.ParamSchema.of(p), params);
      refs.forEach((kind, ids) -> ids.forEach(id -> {
        String name = names.getJsonObject(kind.table(), new JsonObject()).getString(id);
        JsonObject ref = new JsonObject().put("param", p.name()).put("kind", kind.singular()).put("id", id);
        if (name != null) {
          out.add(ref.put("name", name).put("deleted", false));
        } else {
          out.add(ref.put("name", deleted.getJsonObject(kind.table(), new JsonObject()).getString(id)).put("deleted", true));
        }
      }));
    }
    return out;
  }

  /** "model @ host" and its limits. */
  private static JsonObject generator(TypeSpec<?> spec, JsonObject params) {
    String model = params.getString("model", params.getString("mode", spec.name()));
    String url = params.getString("base_url", params.getString("url"));
    String headline = url == null ? model + " (" + spec.name() + ")" : model + " @ " + host(url);
    JsonArray facts = new JsonArray();
    limit(facts, params, "max_concurrency", "at most %s at once");
    limit(facts, params, "requests_per_minute", "%s requests a minute");
    limit(facts, params, "timeout_ms", "timeout %s ms");
    limit(facts, params, "max_retries", "%s retries");
    return new JsonObject().put("headline", headline).put("facts", facts);
  }

  private static void limit(JsonArray facts, JsonObject params, String name, String format) {
    Object v = params.getValue(name);
    if (v instanceof Number n && n.longValue() > 0) {
      facts.add(String.format(format, n));
    }
  }

  /** The type, and the first few parameters set to something other than their default (references aside: shown by name). */
  private static JsonObject generic(TypeSpec<?> spec, JsonObject params) {
    JsonArray facts = new JsonArray();
    for (Param p : spec.schema().params()) {
      Object v = params.getValue(p.name());
      if (facts.size() >= MAX_FACTS || v == null || isReference(p) || p.kind() == Param.Kind.SECRET || p.kind() == Param.Kind.SECRET_MAP
          || v.equals(p.defaultValue()) || "".equals(v) || (v instanceof JsonArray a && a.isEmpty())) {
        continue;
      }
      String text = v instanceof JsonArray a ? String.join(", ", a.stream().map(String::valueOf).toList()) : String.valueOf(v);
      if (text.length() > MAX_FACT_CHARS) {
        text = text.substring(0, MAX_FACT_CHARS - 1) + "…";
      }
      facts.add(p.name().replace('_', ' ') + ": " + text);
    }
    return new JsonObject().put("headline", spec.name()).put("facts", facts);
  }

  private static boolean isReference(Param p) {
    return switch (p.kind()) {
      case GENERATOR_ID, SCORER_ID, SCORER_IDS, CONVERTER_IDS, DATASET_ID -> true;
      default -> false;
    };
  }

  private static String host(String url) {
    try {
      URI u = URI.create(url.replace("{{", "").replace("}}", ""));
      return u.getPort() > 0 ? u.getHost() + ":" + u.getPort() : u.getHost();
    } catch (IllegalArgumentException e) {
      return url;
    }
  }
}
