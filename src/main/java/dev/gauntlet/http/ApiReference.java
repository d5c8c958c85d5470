package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The API reference page: the OpenAPI document read back into a page, operations grouped by
 * tag, each with its method and path, summary, the scope it needs, its parameters and its
 * responses. Built once from the document, so the page and the document never disagree.
 */
final class ApiReference {

  private final Pages pages;
  private final JsonArray tags;

  ApiReference(Pages pages, JsonObject document) {
    this.pages = pages;
    this.tags = view(document);
  }

  void page(RoutingContext ctx) {
    pages.render(ctx, 200, "api", pages.base(ctx, "API reference", null).put("tags", tags).put("document", OpenApiDocument.PATH));
  }

  static JsonArray view(JsonObject document) {
    Map<String, JsonArray> byTag = new LinkedHashMap<>();
    document.getJsonArray("tags").forEach(t -> byTag.put(((JsonObject) t).getString("name"), new JsonArray()));
    document.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(entry -> {
      JsonObject op = (JsonObject) entry.getValue();
      byTag.computeIfAbsent(op.getJsonArray("tags").getString(0), t -> new JsonArray()).add(operation(path.getKey(), entry.getKey(), op));
    }));
    JsonArray out = new JsonArray();
    byTag.forEach((tag, ops) -> out.add(new JsonObject().put("name", tag).put("operations", ops)));
    return out;
  }

  private static JsonObject operation(String path, String method, JsonObject op) {
    JsonArray params = new JsonArray();
    op.getJsonArray("parameters", new JsonArray()).forEach(o -> {
      JsonObject p = (JsonObject) o;
      params.add(param(p.getString("name"), p.getString("in"), p.getBoolean("required", false), p.getJsonObject("schema"),
          p.getString("description", "")));
    });
    JsonObject body = op.getJsonObject("requestBody");
    if (body != null) {
      body.getJsonObject("content").forEach(media -> {
        JsonObject schema = ((JsonObject) media.getValue()).getJsonObject("schema");
        String in = media.getKey().startsWith("multipart/") ? "form" : "body";
        JsonObject properties = schema.getJsonObject("properties");
        if (properties == null) {
          params.add(param("(the body)", in, body.getBoolean("required", false), schema, schema.getString("description", "")));
          return;
        }
        JsonArray required = schema.getJsonArray("required", new JsonArray());
        properties.forEach(prop -> param(params, prop.getKey(), in, required.contains(prop.getKey()), (JsonObject) prop.getValue()));
      });
    }
    JsonArray responses = new JsonArray();
    JsonArray errors = new JsonArray();
    op.getJsonObject("responses").forEach(r -> {
      JsonObject response = (JsonObject) r.getValue();
      JsonObject content = response.getJsonObject("content", new JsonObject());
      if (r.getKey().startsWith("4")) {
        errors.add(new JsonObject().put("status", r.getKey()).put("description", response.getString("description")));
        return;
      }
      JsonObject schema = content.isEmpty() ? new JsonObject() : ((JsonObject) content.iterator().next().getValue()).getJsonObject("schema");
      responses.add(new JsonObject().put("status", r.getKey()).put("description", response.getString("description"))
          .put("types", String.join(", ", content.fieldNames())).put("fields", content.containsKey("application/json") ? fields(schema, 2) : ""));
    });
    return new JsonObject().put("id", op.getString("operationId")).put("method", method.toUpperCase()).put("path", path)
        .put("summary", op.getString("summary")).put("access", op.getString("description", ""))
        .put("scope", op.getString("x-scope", "none")).put("params", params).put("responses", responses).put("errors", errors);
  }

  /** What an answer holds, a level or two deep: {@code items [id, name, type?]}; a name with '?' may be absent. */
  static String fields(JsonObject schema, int depth) {
    if ("array".equals(schema.getValue("type")) && schema.getJsonObject("items") != null) {
      String inner = fields(schema.getJsonObject("items"), depth);
      return inner.isEmpty() ? "array" : "[" + inner + "]";
    }
    JsonObject properties = schema.getJsonObject("properties");
    if (properties == null || properties.isEmpty() || depth == 0) {
      return schema.getValue("type") == null ? "" : schema.getValue("type").toString();
    }
    JsonArray required = schema.getJsonArray("required", new JsonArray());
    return properties.stream().map(p -> {
      JsonObject child = (JsonObject) p.getValue();
      String name = p.getKey() + (required.contains(p.getKey()) ? "" : "?");
      boolean nested = child.containsKey("properties") || "array".equals(child.getValue("type"));
      String inner = nested && depth > 1 ? fields(child, depth - 1) : "";
      return inner.isEmpty() || inner.equals("array") ? name : name + " " + (inner.startsWith("[") ? inner : "{" + inner + "}");
    }).collect(Collectors.joining(", "));
  }

  private static void param(JsonArray params, String name, String in, boolean required, JsonObject schema) {
    params.add(param(name, in, required, schema, schema.getString("description", "")));
  }

  private static JsonObject param(String name, String in, boolean required, JsonObject schema, String description) {
    return new JsonObject().put("name", name).put("in", in).put("required", required).put("type", type(schema))
        .put("description", description);
  }

  /** A schema in a few words: {@code integer 1..1000, default 50}, {@code one of csv, jsonl}, {@code array of string}. */
  static String type(JsonObject schema) {
    Object type = schema.getValue("type");
    StringBuilder s = new StringBuilder(type == null ? "any" : type.toString());
    if ("array".equals(type) && schema.getJsonObject("items") != null) {
      s.append(" of ").append(type(schema.getJsonObject("items")));
    }
    if ("binary".equals(schema.getString("format"))) {
      s.append(" (file)");
    }
    JsonArray choices = schema.getJsonArray("enum");
    if (choices != null) {
      s.append(", one of ").append(choices.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    if (schema.containsKey("minimum") || schema.containsKey("maximum")) {
      s.append(' ').append(schema.getValue("minimum", "")).append("..").append(schema.getValue("maximum", ""));
    }
    if (schema.containsKey("default")) {
      s.append(", default ").append(schema.getValue("default"));
    }
    return s.toString();
  }
}
