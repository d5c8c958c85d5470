package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PieceBatchTest {

  // python3 -c 'import hashlib;print(hashlib.sha256("hello".encode()).hexdigest())'
  private static final String SHA_HELLO = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  // python3 -c 'import hashlib;print(hashlib.sha256("aGVsbG8=".encode()).hexdigest())'
  private static final String SHA_HELLO_B64 = "333d6b3a3c1f5db6c9bdda5939b136986d170f4649172a68368d54ecb44c2ff2";

  static JsonObject piece(String value) {
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("role", "user")
        .put("conversation_id", "conv-1").put("original_value", value);
  }

  static JsonObject score(String pieceId) {
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", "true")
        .put("score_type", "true_false").put("prompt_request_response_id", pieceId);
  }

  private static JsonObject pieces(JsonObject... ps) {
    return new JsonObject().put("pieces", new JsonArray(java.util.List.of((Object[]) ps)));
  }

  /** Parses a batch whose first piece was changed by {@code change}, expecting a 400 problem. */
  private static Problem badPiece(Consumer<JsonObject> change) {
    JsonObject p = piece("hello");
    change.accept(p);
    return assertThrows(Problem.class, () -> PieceBatch.parse(pieces(piece("fine"), p)));
  }

  private static void assertBadRequest(Problem p, String... mentioned) {
    assertEquals(400, p.status(), p.getMessage());
    for (String m : mentioned) {
      assertTrue(p.getMessage().contains(m), "'" + p.getMessage() + "' should mention " + m);
    }
  }

  @Test
  void validPieceGetsPyritDefaults() {
    JsonObject p = piece("hello");
    PieceBatch.Piece parsed = PieceBatch.parse(pieces(p)).pieces().get(0);
    UUID id = UUID.fromString(p.getString("id"));
    assertEquals(id, parsed.id());
    assertEquals("hello", parsed.originalValue());
    assertEquals("hello", parsed.convertedValue(), "converted_value defaults to the original");
    assertEquals(SHA_HELLO, parsed.originalValueSha256());
    assertEquals(SHA_HELLO, parsed.convertedValueSha256());
    assertEquals(id, parsed.originalPromptId(), "original_prompt_id defaults to the piece's own id");
    assertEquals("none", parsed.responseError());
    assertEquals("text", parsed.originalValueDataType());
    assertEquals("text", parsed.convertedValueDataType());
    assertEquals(0, parsed.sequence());
    assertNotNull(parsed.timestamp());
    assertNull(parsed.labels());
  }

  @Test
  void convertedValueGetsItsOwnSha256() {
    JsonObject p = piece("hello").put("converted_value", "aGVsbG8=").put("converted_value_data_type", "base64");
    PieceBatch.Piece parsed = PieceBatch.parse(pieces(p)).pieces().get(0);
    assertEquals(SHA_HELLO, parsed.originalValueSha256());
    assertEquals(SHA_HELLO_B64, parsed.convertedValueSha256());
    assertEquals("base64", parsed.convertedValueDataType());
  }

  @Test
  void givenFieldsAreKept() {
    UUID original = UUID.randomUUID();
    JsonObject p = piece("hello").put("original_prompt_id", original.toString()).put("sequence", 3)
        .put("response_error", "blocked").put("labels", new JsonObject().put("op", "red"))
        .put("converter_identifiers", new JsonArray().add(new JsonObject().put("__type__", "Base64Converter")))
        .put("timestamp", "2025-03-01T10:15:30+02:00");
    PieceBatch.Piece parsed = PieceBatch.parse(pieces(p)).pieces().get(0);
    assertEquals(original, parsed.originalPromptId());
    assertEquals(3, parsed.sequence());
    assertEquals("blocked", parsed.responseError());
    assertEquals(new JsonObject().put("op", "red"), new JsonObject(parsed.labels()));
    assertEquals("Base64Converter", new JsonArray(parsed.converterIdentifiers()).getJsonObject(0).getString("__type__"));
    assertEquals(LocalDateTime.of(2025, 3, 1, 8, 15, 30), parsed.timestamp(), "times are stored as UTC");
  }

  @Test
  void missingPieceIdIsGenerated() {
    JsonObject p = piece("hello");
    p.remove("id");
    PieceBatch.Piece parsed = PieceBatch.parse(pieces(p)).pieces().get(0);
    assertNotNull(parsed.id());
    assertEquals(parsed.id(), parsed.originalPromptId());
  }

  @Test
  void validScoreIsParsed() {
    String pieceId = UUID.randomUUID().toString();
    JsonObject s = score(pieceId).put("score_value", 0.75).put("score_type", "float_scale")
        .put("score_metadata", new JsonObject().put("k", 1));
    PieceBatch batch = PieceBatch.parse(new JsonObject().put("scores", new JsonArray().add(s)));
    PieceBatch.Score parsed = batch.scores().get(0);
    assertEquals("0.75", parsed.scoreValue());
    assertEquals("float_scale", parsed.scoreType());
    assertEquals(UUID.fromString(pieceId), parsed.promptRequestResponseId());
    assertEquals("{\"k\":1}", parsed.scoreMetadata());
    assertEquals(1, batch.size());
  }

  @Test
  void missingRoleIsRefusedNamingIndexAndField() {
    assertBadRequest(badPiece(p -> p.remove("role")), "pieces[1].role", "required");
  }

  @Test
  void unknownRoleIsRefusedNamingIndexAndField() {
    assertBadRequest(badPiece(p -> p.put("role", "hacker")), "pieces[1].role", "hacker");
  }

  @Test
  void badUuidIsRefusedNamingIndexAndField() {
    assertBadRequest(badPiece(p -> p.put("id", "not-a-uuid")), "pieces[1].id", "UUID");
    assertBadRequest(badPiece(p -> p.put("id", 42)), "pieces[1].id", "UUID");
    assertBadRequest(badPiece(p -> p.put("original_prompt_id", "0000")), "pieces[1].original_prompt_id", "UUID");
  }

  @Test
  void nonObjectLabelsAreRefusedNamingIndexAndField() {
    assertBadRequest(badPiece(p -> p.put("labels", "op=red")), "pieces[1].labels");
    assertBadRequest(badPiece(p -> p.put("labels", new JsonArray().add("op"))), "pieces[1].labels");
  }

  @Test
  void missingConversationOrOriginalValueIsRefused() {
    assertBadRequest(badPiece(p -> p.remove("conversation_id")), "pieces[1].conversation_id");
    assertBadRequest(badPiece(p -> p.remove("original_value")), "pieces[1].original_value");
    assertBadRequest(badPiece(p -> p.put("original_value", 12)), "pieces[1].original_value", "string");
  }

  @Test
  void fractionalSequenceIsRefused() {
    assertBadRequest(badPiece(p -> p.put("sequence", 1.5)), "pieces[1].sequence");
  }

  @Test
  void unreadableTimestampIsRefused() {
    assertBadRequest(badPiece(p -> p.put("timestamp", "yesterday")), "pieces[1].timestamp");
  }

  @Test
  void nonObjectPieceIsRefusedNamingIndex() {
    Problem p = assertThrows(Problem.class, () -> PieceBatch.parse(new JsonObject()
        .put("pieces", new JsonArray().add(piece("a")).add("just text"))));
    assertBadRequest(p, "pieces[1]");
  }

  @Test
  void duplicatePieceIdWithinBatchIsRefused() {
    JsonObject first = piece("a");
    JsonObject again = piece("b").put("id", first.getString("id"));
    Problem p = assertThrows(Problem.class, () -> PieceBatch.parse(pieces(first, piece("c"), again)));
    assertBadRequest(p, "pieces[2].id", first.getString("id"), "twice");
    assertEquals("duplicate_id", p.code());
  }

  @Test
  void duplicateScoreIdWithinBatchIsRefused() {
    JsonObject first = score(UUID.randomUUID().toString());
    JsonObject again = score(UUID.randomUUID().toString()).put("id", first.getString("id"));
    Problem p = assertThrows(Problem.class,
        () -> PieceBatch.parse(new JsonObject().put("scores", new JsonArray().add(first).add(again))));
    assertBadRequest(p, "scores[1].id", "twice");
  }

  @Test
  void emptyBatchIsRefused() {
    Problem p = assertThrows(Problem.class, () -> PieceBatch.parse(new JsonObject()));
    assertBadRequest(p, "'pieces'", "'scores'");
    assertEquals("empty_batch", p.code());
    assertEquals("empty_batch", assertThrows(Problem.class, () -> PieceBatch.parse(
        new JsonObject().put("pieces", new JsonArray()).put("scores", new JsonArray()))).code());
  }

  @Test
  void nullBodyOrNonArrayPiecesIsRefused() {
    assertEquals(400, assertThrows(Problem.class, () -> PieceBatch.parse(null)).status());
    assertBadRequest(assertThrows(Problem.class, () -> PieceBatch.parse(new JsonObject().put("pieces", "x"))), "'pieces'");
  }

  @Test
  void scoreTypeOutsideTrueFalseAndFloatScaleIsRefused() {
    JsonObject bad = score(UUID.randomUUID().toString()).put("score_type", "likert");
    Problem p = assertThrows(Problem.class, () -> PieceBatch.parse(new JsonObject()
        .put("scores", new JsonArray().add(score(UUID.randomUUID().toString())).add(bad))));
    assertBadRequest(p, "scores[1].score_type", "likert", "float_scale", "true_false");
  }

  @Test
  void scoreWithoutValueOrPieceIdIsRefused() {
    JsonObject noValue = score(UUID.randomUUID().toString());
    noValue.remove("score_value");
    assertBadRequest(assertThrows(Problem.class, () -> PieceBatch.parse(new JsonObject()
        .put("scores", new JsonArray().add(noValue)))), "scores[0].score_value");
    JsonObject noPiece = score(UUID.randomUUID().toString());
    noPiece.remove("prompt_request_response_id");
    assertBadRequest(assertThrows(Problem.class, () -> PieceBatch.parse(new JsonObject()
        .put("scores", new JsonArray().add(noPiece)))), "scores[0].prompt_request_response_id");
  }

  @Test
  void batchOverMaxRowsIsRefused() {
    JsonArray scores = new JsonArray();
    JsonArray pieces = new JsonArray();
    for (int i = 0; i < PieceBatch.MAX_ROWS; i++) {
      scores.add(new JsonObject());
    }
    pieces.add(new JsonObject());
    Problem p = assertThrows(Problem.class,
        () -> PieceBatch.parse(new JsonObject().put("pieces", pieces).put("scores", scores)));
    assertBadRequest(p, String.valueOf(PieceBatch.MAX_ROWS));
    assertEquals("batch_too_large", p.code());
  }

  @Test
  void batchOfExactlyMaxRowsIsAccepted() {
    JsonArray scores = new JsonArray();
    String pieceId = UUID.randomUUID().toString();
    for (int i = 0; i < PieceBatch.MAX_ROWS; i++) {
      scores.add(new JsonObject().put("score_value", "false").put("score_type", "true_false")
          .put("prompt_request_response_id", pieceId));
    }
    assertEquals(PieceBatch.MAX_ROWS, PieceBatch.parse(new JsonObject().put("scores", scores)).size());
  }
}
