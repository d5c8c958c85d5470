package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds PyRIT-shaped batches for dashboard tests: pieces and scores with the keys the dashboard reads. */
final class DashboardData {

  final JsonArray pieces = new JsonArray();
  final JsonArray scores = new JsonArray();

  /**
   * A moment {@code days} calendar days ago (UTC) with at least 90 minutes of that day before it:
   * tests spread their data up to an hour back from it, and just after midnight that spread
   * crossed into the day before (today's data counted as yesterday's). Then it is 01:30 that day
   * (today's data a little ahead of the clock, which the dashboard counts as today's).
   */
  static Instant daysAgo(int days) {
    Instant at = Instant.now().minus(days, ChronoUnit.DAYS);
    Instant earliest = at.truncatedTo(ChronoUnit.DAYS).plus(90, ChronoUnit.MINUTES);
    return at.isBefore(earliest) ? earliest : at;
  }

  static JsonObject target(String generator) {
    return generator == null ? null : new JsonObject().put("__type__", "OpenAIChatTarget").put("name", generator);
  }

  static JsonObject scorer(String name) {
    return new JsonObject().put("__type__", "SubStringScorer").put("name", name);
  }

  /** A piece; {@code execution} and {@code generator} may be null (a piece from a PyRIT client). */
  JsonObject piece(UUID id, String role, String conversation, int sequence, Instant at, String generator, String execution,
                   JsonObject labels, String text) {
    JsonObject p = new JsonObject().put("id", id.toString()).put("role", role).put("conversation_id", conversation)
        .put("sequence", sequence).put("timestamp", at.toString()).put("original_value", text)
        .put("prompt_target_identifier", target(generator)).put("labels", labels);
    if (execution != null) {
      p.put("prompt_metadata", new JsonObject().put("execution_id", execution).put("prompt_index", sequence));
    }
    pieces.add(p);
    return p;
  }

  JsonObject score(UUID piece, String scorer, String type, String value, Instant at, JsonObject metadata) {
    JsonObject s = new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", value).put("score_type", type)
        .put("scorer_class_identifier", scorer(scorer)).put("prompt_request_response_id", piece.toString())
        .put("timestamp", at.toString());
    if (metadata != null) {
      s.put("score_metadata", metadata.encode());
    }
    scores.add(s);
    return s;
  }

  /** A prompt and its answer in one conversation; returns the answer's id. */
  UUID exchange(String prompt, String answer, Instant at, String generator, String execution, JsonObject labels) {
    String conversation = UUID.randomUUID().toString();
    piece(UUID.randomUUID(), "user", conversation, 0, at, generator, execution, labels, prompt);
    UUID answerId = UUID.randomUUID();
    piece(answerId, "assistant", conversation, 1, at.plusSeconds(1), generator, execution, labels, answer);
    return answerId;
  }

  JsonObject body() {
    return new JsonObject().put("pieces", pieces.copy()).put("scores", scores.copy());
  }

  PieceBatch batch() {
    return PieceBatch.parse(body());
  }

  /** Starts a new batch. */
  void clear() {
    pieces.clear();
    scores.clear();
  }
}
