package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A batch of prompt pieces and scores in PyRIT's field names, checked whole before any of it is
 * written: one bad field rejects the batch with a message naming its index and field.
 */
public record PieceBatch(List<Piece> pieces, List<Score> scores) {

  public static final int MAX_ROWS = 50_000;

  /**
   * The metadata key ({@code true}) of a piece of an answering role that is not the target's answer:
   * a fabricated turn, a priming reply, a chunk answer before the last. Such a piece is history, not
   * a result: no count, outcome, review or re-score takes it ({@code DashboardQueries.isAnswer}).
   */
  public static final String NOT_AN_ANSWER = "not_an_answer";
  static final Set<String> ROLES = Set.of("system", "user", "assistant", "simulated_assistant", "tool", "developer");
  static final Set<String> SCORE_TYPES = Set.of("true_false", "float_scale");

  /**
   * One piece. A null {@code originalValueSha256} or {@code convertedValueSha256} is computed where
   * the piece is stored ({@link PieceStore#appendPieces}, on the memory's worker): an execution
   * leaves its hashing there, off the event loop its prompts share.
   */
  public record Piece(UUID id, String role, String conversationId, int sequence, LocalDateTime timestamp,
                      String labels, String promptMetadata, String converterIdentifiers, String promptTargetIdentifier,
                      String orchestratorIdentifier, String responseError, String originalValueDataType,
                      String originalValue, String originalValueSha256, String convertedValueDataType,
                      String convertedValue, String convertedValueSha256, UUID originalPromptId) {}

  public record Score(UUID id, String scoreValue, String scoreValueDescription, String scoreType, String scoreCategory,
                      String scoreRationale, String scoreMetadata, String scorerClassIdentifier,
                      UUID promptRequestResponseId, LocalDateTime timestamp, String task) {}

  /** The batch in PyRIT field names, as {@link #parse} reads it: for the wire across a cluster. */
  public JsonObject toJson() {
    JsonArray ps = new JsonArray();
    for (Piece p : pieces) {
      ps.add(new JsonObject().put("id", p.id().toString()).put("role", p.role()).put("conversation_id", p.conversationId())
          .put("sequence", p.sequence()).put("timestamp", p.timestamp().toString())
          .put("labels", jsonOrNull(p.labels())).put("prompt_metadata", jsonOrNull(p.promptMetadata()))
          .put("converter_identifiers", jsonOrNull(p.converterIdentifiers()))
          .put("prompt_target_identifier", jsonOrNull(p.promptTargetIdentifier()))
          .put("orchestrator_identifier", jsonOrNull(p.orchestratorIdentifier())).put("response_error", p.responseError())
          .put("original_value_data_type", p.originalValueDataType()).put("original_value", p.originalValue())
          .put("original_value_sha256", p.originalValueSha256()).put("converted_value_data_type", p.convertedValueDataType())
          .put("converted_value", p.convertedValue()).put("converted_value_sha256", p.convertedValueSha256())
          .put("original_prompt_id", p.originalPromptId().toString()));
    }
    JsonArray ss = new JsonArray();
    for (Score s : scores) {
      ss.add(new JsonObject().put("id", s.id().toString()).put("score_value", s.scoreValue())
          .put("score_value_description", s.scoreValueDescription()).put("score_type", s.scoreType())
          .put("score_category", s.scoreCategory()).put("score_rationale", s.scoreRationale())
          .put("score_metadata", s.scoreMetadata()).put("scorer_class_identifier", jsonOrNull(s.scorerClassIdentifier()))
          .put("prompt_request_response_id", s.promptRequestResponseId() == null ? null : s.promptRequestResponseId().toString())
          .put("timestamp", s.timestamp().toString()).put("task", s.task()));
    }
    return new JsonObject().put("pieces", ps).put("scores", ss);
  }

  private static Object jsonOrNull(String json) {
    if (json == null) {
      return null;
    }
    return json.startsWith("[") ? new JsonArray(json) : new JsonObject(json);
  }

  public int size() {
    return pieces.size() + scores.size();
  }

  public static PieceBatch parse(JsonObject body) {
    if (body == null) {
      throw Problem.badRequest("invalid_body", "the body must be a JSON object with 'pieces' and/or 'scores'");
    }
    JsonArray pieces = array(body, "pieces");
    JsonArray scores = array(body, "scores");
    if (pieces.size() + scores.size() > MAX_ROWS) {
      throw Problem.badRequest("batch_too_large", "a batch holds at most " + MAX_ROWS + " pieces and scores together");
    }
    if (pieces.isEmpty() && scores.isEmpty()) {
      throw Problem.badRequest("empty_batch", "the batch has no 'pieces' and no 'scores'");
    }
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    List<Piece> ps = new ArrayList<>(pieces.size());
    Set<UUID> seen = new HashSet<>(2 * Math.max(pieces.size(), scores.size()));
    for (int i = 0; i < pieces.size(); i++) {
      Piece p = piece(object(pieces, "pieces", i), new At("pieces", i), now);
      if (!seen.add(p.id())) {
        throw Problem.badRequest("duplicate_id", "pieces[" + i + "].id " + p.id() + " appears twice in the batch");
      }
      ps.add(p);
    }
    List<Score> ss = new ArrayList<>(scores.size());
    seen.clear();
    for (int i = 0; i < scores.size(); i++) {
      Score s = score(object(scores, "scores", i), new At("scores", i), now);
      if (!seen.add(s.id())) {
        throw Problem.badRequest("duplicate_id", "scores[" + i + "].id " + s.id() + " appears twice in the batch");
      }
      ss.add(s);
    }
    return new PieceBatch(ps, ss);
  }

  /** Where a row sits in the batch, spelt out only for an error message. */
  private record At(String list, int index) {
    @Override
    public String toString() {
      return list + "[" + index + "]";
    }
  }

  private static Piece piece(JsonObject j, At at, LocalDateTime now) {
    UUID id = uuid(j, "id", at, true);
    String original = text(j, "original_value", at, true);
    String originalType = textOr(j, "original_value_data_type", at, "text");
    String converted = textOr(j, "converted_value", at, original);
    String originalSha = text(j, "original_value_sha256", at, false);
    String computedSha = originalSha == null ? sha256(original) : null;
    String convertedSha = text(j, "converted_value_sha256", at, false);
    if (convertedSha == null) {
      // most pieces are not converted: the value, and so its hash, is the original's
      convertedSha = computedSha != null && converted.equals(original) ? computedSha : sha256(converted);
    }
    return new Piece(id,
        oneOf(text(j, "role", at, true), ROLES, at, "role"),
        text(j, "conversation_id", at, true),
        integer(j, "sequence", at, 0),
        time(j, "timestamp", at, now),
        json(j, "labels", at, false), json(j, "prompt_metadata", at, false),
        json(j, "converter_identifiers", at, true), json(j, "prompt_target_identifier", at, false),
        json(j, "orchestrator_identifier", at, false),
        textOr(j, "response_error", at, "none"),
        originalType, original, originalSha != null ? originalSha : computedSha,
        textOr(j, "converted_value_data_type", at, originalType), converted, convertedSha,
        j.containsKey("original_prompt_id") ? uuid(j, "original_prompt_id", at, false) : id);
  }

  private static Score score(JsonObject j, At at, LocalDateTime now) {
    Object value = j.getValue("score_value");
    // an explicit null is an undetermined score (PyRIT 1.1: no value, the reason in the rationale)
    boolean undetermined = value == null && j.containsKey("score_value");
    if (!undetermined && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw Problem.badRequest("invalid_field", at + ".score_value is required (a string, number or boolean, or null when undetermined)");
    }
    Object metadata = j.getValue("score_metadata");
    return new Score(uuid(j, "id", at, true), undetermined ? null : String.valueOf(value),
        textOr(j, "score_value_description", at, null),
        oneOf(text(j, "score_type", at, true), SCORE_TYPES, at, "score_type"),
        textOr(j, "score_category", at, null), textOr(j, "score_rationale", at, null),
        metadata == null ? null : metadata instanceof String s ? s : io.vertx.core.json.Json.encode(metadata),
        json(j, "scorer_class_identifier", at, false),
        uuid(j, "prompt_request_response_id", at, false),
        time(j, "timestamp", at, now), textOr(j, "task", at, null));
  }

  private static JsonArray array(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw Problem.badRequest("invalid_field", "'" + field + "' must be an array");
    }
    return a;
  }

  private static JsonObject object(JsonArray a, String field, int i) {
    if (!(a.getValue(i) instanceof JsonObject o)) {
      throw Problem.badRequest("invalid_field", field + "[" + i + "] must be an object");
    }
    return o;
  }

  private static String text(JsonObject j, String field, At at, boolean required) {
    Object v = j.getValue(field);
    if (v == null) {
      if (required) {
        throw Problem.badRequest("invalid_field", at + "." + field + " is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw Problem.badRequest("invalid_field", at + "." + field + " must be a string");
    }
    return s;
  }

  private static String textOr(JsonObject j, String field, At at, String fallback) {
    String s = text(j, field, at, false);
    return s == null ? fallback : s;
  }

  private static String oneOf(String value, Set<String> allowed, At at, String field) {
    if (!allowed.contains(value)) {
      throw Problem.badRequest("invalid_field", at + "." + field + " must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + value + "'");
    }
    return value;
  }

  private static int integer(JsonObject j, String field, At at, int fallback) {
    Object v = j.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() != ((Number) v).intValue()) {
      throw Problem.badRequest("invalid_field", at + "." + field + " must be a whole number");
    }
    return ((Number) v).intValue();
  }

  private static UUID uuid(JsonObject j, String field, At at, boolean generate) {
    Object v = j.getValue(field);
    if (v == null) {
      if (generate) {
        return UUID.randomUUID();
      }
      throw Problem.badRequest("invalid_field", at + "." + field + " is required");
    }
    try {
      if (v instanceof String s && s.length() == 36) {
        return UUID.fromString(s);
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw Problem.badRequest("invalid_field", at + "." + field + " must be a UUID string");
  }

  /** JSON columns accept an object, an array or null; a string is kept only if it parses as JSON. */
  private static String json(JsonObject j, String field, At at, boolean arrayAllowed) {
    Object v = j.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof JsonObject o) {
      return o.encode();
    }
    if (v instanceof JsonArray a && arrayAllowed) {
      return a.encode();
    }
    throw Problem.badRequest("invalid_field", at + "." + field + " must be a JSON " + (arrayAllowed ? "array or object" : "object"));
  }

  private static LocalDateTime time(JsonObject j, String field, At at, LocalDateTime now) {
    Object v = j.getValue(field);
    if (v == null) {
      return now;
    }
    if (v instanceof Number n) {
      return LocalDateTime.ofInstant(Instant.ofEpochMilli(n.longValue()), ZoneOffset.UTC);
    }
    if (v instanceof String s) {
      LocalDateTime utc = IsoUtc.parse(s);
      if (utc != null) {
        return utc;
      }
      try {
        return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
      } catch (DateTimeParseException e) {
        try {
          return LocalDateTime.parse(s);
        } catch (DateTimeParseException e2) {
          // reported below
        }
      }
    }
    throw Problem.badRequest("invalid_field", at + "." + field + " must be an ISO-8601 time or epoch milliseconds");
  }

  /** One digest per thread: looking the algorithm up costs as much as hashing a prompt. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  /** The hex SHA-256 of a value, as PyRIT stores it beside original and converted values. */
  public static String sha256(String value) {
    // digest() resets the digest for the next use
    return HexFormat.of().formatHex(SHA_256.get().digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}
