package dev.gauntlet.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The served OpenAPI document as Vert.x's OpenAPI module reads it: checked against the official
 * OpenAPI 3.1 schema (and the 3.1 schema dialect), parsed as a contract, its references resolved,
 * and real answers held to it by the module's {@link ResponseValidator}.
 *
 * <p>{@code OpenAPIContract.from} of vertx-openapi 5.0.10 would do all of it in one call but
 * refuses response media types beyond JSON, text/plain and octet-stream (its later versions
 * accept them); the document truthfully lists text/csv, application/x-ndjson, parquet and HTML
 * downloads, so its steps are taken here one by one: {@link OpenAPIVersion#validateContract}
 * on the document as served, {@code OpenAPIContract.from} on a copy whose downloads say
 * octet-stream, and {@link OpenAPIVersion#resolve}.
 */
final class OpenApiContract {

  /** One documented operation: where it is served, and its resolved OpenAPI object. */
  record Documented(String method, String path, JsonObject operation) {
    JsonObject response(int status) {
      return operation.getJsonObject("responses").getJsonObject(Integer.toString(status));
    }

    boolean json() {
      return operation.getJsonObject("responses").stream().filter(r -> r.getKey().startsWith("2"))
          .allMatch(r -> ((JsonObject) r.getValue()).getJsonObject("content", new JsonObject()).containsKey("application/json"));
    }
  }

  private static final java.util.Set<String> METHODS = java.util.Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  final JsonObject raw;
  final JsonObject resolved;
  /** vertx-openapi's validator of answers against the documented responses. */
  private final ResponseValidator validator;
  /** The documented operations by operationId, in document order. */
  final Map<String, Documented> operations = new LinkedHashMap<>();

  private OpenApiContract(JsonObject raw, JsonObject resolved, ResponseValidator validator) {
    this.raw = raw;
    this.resolved = resolved;
    this.validator = validator;
    resolved.getJsonObject("paths").stream().filter(path -> path.getKey().startsWith("/")).forEach(path -> ((JsonObject) path.getValue())
        .forEach(op -> {
      if (!METHODS.contains(op.getKey())) {
        return; // the resolver's annotations, not operations
      }
      JsonObject operation = (JsonObject) op.getValue();
      Documented before = operations.put(operation.getString("operationId"), new Documented(op.getKey().toUpperCase(), path.getKey(), operation));
      if (before != null) {
        throw new AssertionError("operationId " + operation.getString("operationId") + " is used twice: "
            + before.path() + " and " + path.getKey());
      }
    }));
  }

  /** Validates the document as OpenAPI 3.1 and resolves it; an invalid document fails with the validator's report. */
  static OpenApiContract of(Vertx vertx, JsonObject document) throws Exception {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    if (version != OpenAPIVersion.V3_1) {
      throw new AssertionError("the document is OpenAPI " + document.getString("openapi") + ", not 3.1");
    }
    SchemaRepository repo = version.getRepository(vertx, "app://").await(60, TimeUnit.SECONDS);
    OutputUnit result = version.validateContract(vertx, repo, document).await(60, TimeUnit.SECONDS);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw new AssertionError("the document is not valid OpenAPI 3.1: " + result.toJson().encodePrettily());
    }
    // the module's own parser checks the structure too (path templates against their parameters, parameter styles,
    // unique operationIds); it takes only JSON, text and octet-stream answers, so downloads are shown to it as octet-stream
    OpenAPIContract parsed = OpenAPIContract.from(vertx, downloadsAsOctetStream(document)).await(60, TimeUnit.SECONDS);
    return new OpenApiContract(document, version.resolve(vertx, repo, document).await(60, TimeUnit.SECONDS),
        ResponseValidator.create(vertx, parsed));
  }

  private static JsonObject downloadsAsOctetStream(JsonObject document) {
    JsonObject copy = document.copy();
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> ((JsonObject) op.getValue())
        .getJsonObject("responses").forEach(r -> {
          JsonObject response = (JsonObject) r.getValue();
          JsonObject content = response.getJsonObject("content");
          if (content != null && content.fieldNames().stream().anyMatch(t -> !MediaType.isMediaTypeSupported(t))) {
            JsonObject schema = ((JsonObject) content.iterator().next().getValue()).getJsonObject("schema");
            response.put("content", new JsonObject().put(MediaType.APPLICATION_OCTET_STREAM, new JsonObject().put("schema", schema)));
          }
        })));
    return copy;
  }

  /**
   * Why an answer does not match the document, or null when it does: its status must be one the
   * operation lists, its content type one listed for that status, and a JSON body valid against
   * the documented schema.
   */
  String mismatch(String operationId, int status, String contentType, String body) {
    Documented d = operations.get(operationId);
    if (d == null) {
      return operationId + " is not documented";
    }
    JsonObject response = d.response(status);
    if (response == null) {
      return operationId + " answered " + status + ", which the document does not list (" + d.operation().getJsonObject("responses")
          .fieldNames() + "): " + abbreviated(body);
    }
    JsonObject content = response.getJsonObject("content", new JsonObject());
    String media = contentType == null ? "" : contentType.split(";")[0].trim();
    if (!content.containsKey(media)) {
      return operationId + " answered " + status + " as " + contentType + ", but the document lists " + content.fieldNames();
    }
    if (!media.equals("application/json")) {
      return null;
    }
    try {
      validator.validate(ValidatableResponse.create(status, Buffer.buffer(body), media), operationId).await(30, TimeUnit.SECONDS);
      return null;
    } catch (SchemaValidationException e) {
      JsonArray errors = new JsonArray();
      OutputUnit out = e.getOutputUnit();
      (out.getErrors() == null || out.getErrors().isEmpty() ? java.util.List.of(out) : out.getErrors())
          .forEach(u -> errors.add(u.getInstanceLocation() + ": " + u.getError() + " (" + u.getKeywordLocation() + ")"));
      return operationId + " answered " + status + " with a body the documented schema refuses: " + errors.encode() + "\n  body: "
          + abbreviated(body);
    } catch (Exception e) {
      return operationId + " answered " + status + ", refused by the validator: " + e.getMessage() + "\n  body: " + abbreviated(body);
    }
  }

  static String abbreviated(String s) {
    return s == null || s.length() <= 600 ? s : s.substring(0, 600) + "...";
  }
}
