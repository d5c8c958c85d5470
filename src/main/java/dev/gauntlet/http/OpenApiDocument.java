package dev.gauntlet.http;

import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.operations.Operation;
import dev.gauntlet.operations.Output;
import dev.gauntlet.operations.Shapes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the REST API, written at start from the route table REST serves
 * ({@link Rest#bindings()}) and the operations those routes run: nothing in it is maintained by
 * hand but the few facts below that no declaration holds (which operations answer conflicts).
 * Every status a route can answer is derived from what stands in front of it: the body handler
 * (400, 413), the rate limits (429), the guard (401, 403) and the ids it names (404: in its path, or
 * as a body's {@code *_id} fields).
 */
final class OpenApiDocument {

  static final String PATH = "/api/v1/openapi.json";
  static final String BEARER = "bearer";
  static final String SESSION = "session";

  /** Operations that refuse a request the resource's state does not allow, with a 409. */
  private static final Map<String, String> CONFLICTS = Map.of(
      "executions.cancel", "the execution is not running",
      "executions.resume", "the execution is running, or completed with nothing left to send",
      "rescores.cancel", "the re-scoring job is not running",
      "rescores.resume", "the re-scoring job is running, or completed with nothing left to score",
      "admin.users.create", "a user or login of that name exists",
      "admin.users.update", "the login is taken, or the change would leave no admin");

  /**
   * Operations whose query, or body beyond its {@code *_id} fields, names a resource they look up
   * (elsewhere a query parameter only filters, so an unknown id there finds nothing rather than a 404).
   */
  private static final Set<String> QUERY_NAMES_RESOURCES = Set.of("dashboard.compare", "executions.list", "reviews.list", "admin.backup");

  private static final Map<Integer, String> ERRORS = Map.of(
      400, "The parameters or the body are invalid",
      401, "No credential, or one that is unknown, expired or revoked",
      403, "The credential lacks the scope this needs, or a cookie-authenticated change lacks the X-CSRF-Token header",
      404, "A resource the request names does not exist (or is not yours)",
      409, "The resource's state does not allow this",
      413, "The body is larger than the server accepts",
      429, "Too many requests; the Retry-After header says how many seconds to wait");

  private OpenApiDocument() {}

  /** The document; {@code metrics} tells whether {@code /metrics} is served. */
  static JsonObject of(List<Rest.Binding> bindings, boolean metrics) {
    JsonObject paths = new JsonObject();
    Map<String, Integer> uses = new HashMap<>();
    bindings.forEach(b -> uses.merge(b.operation().name(), 1, Integer::sum));
    for (Rest.Binding b : bindings) {
      pathItem(paths, b.path()).put(b.method().name().toLowerCase(), operation(b, uses.get(b.operation().name()) > 1));
    }
    service(paths, metrics);
    Set<String> tags = new LinkedHashSet<>();
    paths.forEach(p -> ((JsonObject) p.getValue()).forEach(o -> ((JsonObject) o.getValue()).getJsonArray("tags")
        .forEach(t -> tags.add((String) t))));
    JsonArray tagList = new JsonArray();
    tags.forEach(t -> tagList.add(new JsonObject().put("name", t)));
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject().put("title", "Gauntlet").put("version", "v1")
            .put("description", "The REST API of Gauntlet, an AI red-teaming workbench. Generated from its operations registry and route "
                + "table at start. Errors are {\"error\": {\"code\", \"message\"}}."))
        .put("tags", tagList)
        .put("security", requirement(Caller.READ))
        .put("paths", paths)
        .put("components", new JsonObject()
            .put("schemas", new JsonObject().put("Error", Shapes.ERROR))
            .put("securitySchemes", new JsonObject()
                .put(BEARER, new JsonObject().put("type", "http").put("scheme", "bearer")
                    .put("description", "An API key (gk_...) or an access token from POST /api/v1/auth/token or the OpenID provider. "
                        + "A security requirement lists the scope the credential needs: read, write or admin."))
                .put(SESSION, new JsonObject().put("type", "apiKey").put("in", "cookie").put("name", WebSessions.COOKIE)
                    .put("description", "The browser's session after signing in at /login. A request that changes something "
                        + "with it must carry the session's CSRF token in the " + WebSessions.CSRF_HEADER + " header."))));
  }

  private static JsonObject pathItem(JsonObject paths, String routePath) {
    String path = routePath.replaceAll(":([A-Za-z_]+)", "{$1}");
    JsonObject item = paths.getJsonObject(path);
    if (item == null) {
      item = new JsonObject();
      paths.put(path, item);
    }
    return item;
  }

  /**
   * One route as an operation. An operation served at two routes ({@code executions.list}) keeps
   * its name at the route with fewer path parameters; the other adds them: {@code executions.list.by_orchestrator_id}.
   */
  private static JsonObject operation(Rest.Binding b, boolean sharedName) {
    Operation op = b.operation();
    List<String> pathParams = b.pathParams();
    String id = sharedName && !pathParams.isEmpty() ? op.name() + ".by_" + String.join("_", pathParams) : op.name();
    JsonObject out = new JsonObject().put("operationId", id).put("summary", op.summary())
        .put("description", access(op)).put("tags", new JsonArray().add(tag(op)))
        .put("x-operation", op.name()).put("x-scope", op.scope());
    JsonArray parameters = new JsonArray();
    for (String name : pathParams) {
      Param declared = declared(op, name);
      parameters.add(new JsonObject().put("name", name).put("in", "path").put("required", true)
          .put("description", declared == null || description(declared).isEmpty() ? idOf(name) : description(declared))
          .put("schema", Shapes.string()));
    }
    if (!b.takesBody()) {
      op.input().params().stream().filter(p -> !pathParams.contains(p.name())).forEach(p -> parameters.add(new JsonObject()
          .put("name", p.name()).put("in", "query").put("required", p.isRequired()).put("description", description(p))
          .put("schema", Shapes.of(p))));
    }
    if (!parameters.isEmpty()) {
      out.put("parameters", parameters);
    }
    if (b.multipart()) {
      out.put("requestBody", new JsonObject().put("required", true).put("content", new JsonObject()
          .put("multipart/form-data", new JsonObject().put("schema", uploadForm(op)))));
    } else if (b.takesBody()) {
      JsonObject body = b.bodyAs() != null ? Shapes.of(declared(op, b.bodyAs())) : bodySchema(op, pathParams);
      out.put("requestBody", new JsonObject().put("required", b.bodyAs() != null || body.containsKey("required"))
          .put("content", new JsonObject().put("application/json", new JsonObject().put("schema", body))));
    }
    out.put("responses", responses(b, pathParams));
    out.put("security", op.isPublic() ? new JsonArray() : requirement(op.scope()));
    return out;
  }

  private static JsonObject responses(Rest.Binding b, List<String> pathParams) {
    Operation op = b.operation();
    JsonObject responses = new JsonObject();
    JsonObject success = success(op);
    if (b.multipart()) {
      // a preview stores nothing: 200; an import: 201
      responses.put("200", success.copy().put("description", "The preview: nothing is stored"));
    }
    responses.put(Integer.toString(b.status()), success);
    Map<Integer, String> errors = new TreeMap<>();
    // every route parses a body it is sent, wanted or not, and refuses a malformed one (Http.parseBody)
    errors.put(400, ERRORS.get(400));
    errors.put(401, op.isPublic() ? "Unknown username or wrong password" : ERRORS.get(401));
    if (!op.isPublic()) {
      errors.put(403, ERRORS.get(403));
    }
    if (!pathParams.isEmpty() || QUERY_NAMES_RESOURCES.contains(op.name())
        || b.takesBody() && op.input().params().stream().anyMatch(p -> p.name().endsWith("_id") || p.name().endsWith("_ids"))
        || b.bodyAs() != null && !op.name().startsWith("datasets.")) {
      // a configuration's parameters may name other configurations (an orchestrator's generator, a judge)
      errors.put(404, ERRORS.get(404));
    }
    if (CONFLICTS.containsKey(op.name())) {
      errors.put(409, "Conflict: " + CONFLICTS.get(op.name()));
    }
    if (b.takesBody()) {
      errors.put(413, ERRORS.get(413));
    }
    errors.put(429, ERRORS.get(429));
    errors.forEach((status, why) -> responses.put(Integer.toString(status), error(why)));
    return responses;
  }

  private static JsonObject success(Operation op) {
    Output output = op.output();
    JsonObject content = new JsonObject();
    if (output.kind() == Output.Kind.FILE) {
      output.contentTypes().forEach(t -> content.put(t, new JsonObject().put("schema", output.schema())));
      return new JsonObject().put("description", "The file, as an attachment").put("content", content);
    }
    return new JsonObject().put("description", "Success").put("content", content.put("application/json",
        new JsonObject().put("schema", output.schema())));
  }

  static JsonObject error(String description) {
    return new JsonObject().put("description", description).put("content", new JsonObject().put("application/json",
        new JsonObject().put("schema", new JsonObject().put("$ref", "#/components/schemas/Error"))));
  }

  /** Either credential, carrying the scope the operation needs (OpenAPI 3.1 lets non-OAuth schemes list roles). */
  private static JsonArray requirement(String scope) {
    return new JsonArray().add(new JsonObject().put(BEARER, new JsonArray().add(scope)))
        .add(new JsonObject().put(SESSION, new JsonArray().add(scope)));
  }

  private static String access(Operation op) {
    if (op.isPublic()) {
      return "Needs no credential.";
    }
    String needs = op.scope().equals(Caller.ADMIN) ? "Needs the admin role and the 'admin' scope." : "Needs the '" + op.scope() + "' scope.";
    return op.writes() ? needs + " Audited as '" + op.auditAction() + "'." : needs;
  }

  /** The area an operation belongs to: the first part of its name ({@code executions.start}: executions). */
  static String tag(Operation op) {
    return op.name().substring(0, op.name().indexOf('.'));
  }

  private static Param declared(Operation op, String name) {
    return op.input().params().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  /** A JSON body: the declared parameters the path does not carry (others are ignored, so they are not refused). */
  private static JsonObject bodySchema(Operation op, List<String> pathParams) {
    JsonObject body = Shapes.arguments(op.input().params().stream().filter(p -> !pathParams.contains(p.name())).toList());
    body.remove("additionalProperties");
    return body;
  }

  /** The upload's form: one file field and the form fields {@link Uploads#arguments} reads. */
  private static JsonObject uploadForm(Operation op) {
    JsonObject properties = new JsonObject().put(Uploads.FILE_FIELD, new JsonObject().put("type", "string").put("format", "binary")
        .put("description", "the file of prompts; its name picks the format unless 'format' is given"));
    for (String field : op.name().equals("imports.create") ? Uploads.IMPORT_FIELDS : Uploads.FORM_FIELDS) {
      Param p = declared(op, field);
      properties.put(field, p == null ? Shapes.string() : Shapes.of(p));
    }
    return new JsonObject().put("type", "object").put("properties", properties).put("required", new JsonArray().add(Uploads.FILE_FIELD));
  }

  /** {@code orchestrator_id}: "the orchestrator's id". */
  private static String idOf(String name) {
    return name.endsWith("_id") ? "the " + name.substring(0, name.length() - 3).replace('_', ' ') + "'s id" : "the id";
  }

  private static String description(Param p) {
    return p.toJson().getString("description", "");
  }

  /** The routes no operation serves that clients call: health, readiness, metrics and this document. */
  private static void service(JsonObject paths, boolean metrics) {
    JsonObject status = Shapes.object("status", Shapes.string());
    paths.put("/health", new JsonObject().put("get", plain("health", "Liveness: the process answers", new JsonObject()
        .put("200", json("Up", status)))));
    paths.put("/ready", new JsonObject().put("get", plain("ready", "Readiness: the app database and every memory shard answer",
        new JsonObject().put("200", json("Ready", Shapes.object("status", Shapes.string(), "memory_shards", Shapes.integer())))
            .put("503", json("Not ready", Shapes.object("status", Shapes.string(), "error", Shapes.ERROR.getJsonObject("properties")
                .getJsonObject("error")))))));
    if (metrics) {
      paths.put("/metrics", new JsonObject().put("get", plain("metrics", "Prometheus metrics: aggregate meters only", new JsonObject()
          .put("200", new JsonObject().put("description", "Prometheus text exposition format").put("content", new JsonObject()
              .put("text/plain", new JsonObject().put("schema", Shapes.string())))))));
    }
    paths.put(PATH, new JsonObject().put("get", plain("openapi", "This document: OpenAPI 3.1, generated from the operations registry",
        new JsonObject().put("200", json("The document", new JsonObject().put("type", "object").put("required", new JsonArray()
            .add("openapi").add("paths")))).put("429", error(ERRORS.get(429))))));
  }

  private static JsonObject plain(String id, String summary, JsonObject responses) {
    return new JsonObject().put("operationId", id).put("summary", summary).put("description", "Needs no credential.")
        .put("tags", new JsonArray().add("service")).put("responses", responses).put("security", new JsonArray());
  }

  private static JsonObject json(String description, JsonObject schema) {
    return new JsonObject().put("description", description).put("content", new JsonObject().put("application/json",
        new JsonObject().put("schema", schema)));
  }
}
