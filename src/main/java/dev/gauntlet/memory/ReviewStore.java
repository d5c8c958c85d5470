package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import dev.gauntlet.review.HumanVerdicts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Human verdicts in one user's memory (migration 6): every review ever made of a result, keyed by
 * the answer piece's id (so results of executions, appended and imported pieces alike), with the
 * execution and conversation kept beside it for queries. Reviews are only added; the latest of a
 * piece is its current one ({@link HumanVerdicts#CURRENT}), the earlier ones its history. The
 * automatic scores stay untouched in ScoreEntries.
 */
final class ReviewStore {

  static final String CREATE_TABLE = """
      CREATE TABLE IF NOT EXISTS reviews (
        id VARCHAR PRIMARY KEY, seq BIGINT NOT NULL, piece_id UUID NOT NULL, execution_id VARCHAR NOT NULL,
        conversation_id VARCHAR NOT NULL, verdict VARCHAR NOT NULL, comment VARCHAR, reviewer VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL)""";

  static final String CREATE_CURRENT = """
      CREATE OR REPLACE VIEW current_reviews AS
      SELECT * FROM reviews QUALIFY row_number() OVER (PARTITION BY piece_id ORDER BY seq DESC) = 1""";

  /** A score's verdict in the outcome words: attack_succeeded, held, or null when it gave none. */
  private static final String SCORE_VERDICT = "CASE WHEN (" + DashboardQueries.success("s") + ") THEN 'attack_succeeded' "
      + "WHEN NOT (" + DashboardQueries.success("s") + ") THEN 'held' END";

  /** Every score of some pieces, as the reviewer sees them. */
  private static final String SCORES_OF = """
      SELECT s.prompt_request_response_id AS piece_id, (s.scorer_class_identifier ->> 'id') AS scorer_id, /*NAME*/ AS scorer,
             s.score_value, s.score_type, s.score_category, /*VERDICT*/ AS verdict, s.score_rationale AS rationale, s.timestamp
      FROM ScoreEntries s WHERE s.prompt_request_response_id = ANY(?) ORDER BY s.timestamp, s.id"""
      .replace("/*NAME*/", DashboardQueries.nameOf("s.scorer_class_identifier")).replace("/*VERDICT*/", SCORE_VERDICT);

  /** The answers a queue draws from: pieces of the answering roles, of one execution or all. */
  private static final String ANSWERS = """
      SELECT p.id AS piece_id, p.conversation_id, /*EXECUTION*/ AS execution_id, p.timestamp, p.response_error
      FROM PromptMemoryEntries p
      WHERE /*ANSWER*/ AND (CAST(? AS VARCHAR) IS NULL OR /*EXECUTION*/ = ?)
        AND (? OR NOT EXISTS (SELECT 1 FROM current_reviews r WHERE r.piece_id = p.id))"""
      .replace("/*EXECUTION*/", DashboardQueries.executionOf("p.")).replace("/*ANSWER*/", DashboardQueries.isAnswer("p"));

  /** Each score's scorer and verdict (null: none usable). */
  private static final String VERDICTS = """
      SELECT s.prompt_request_response_id AS piece_id, /*NAME*/ AS scorer, /*VERDICT*/ AS verdict
      FROM ScoreEntries s WHERE s.prompt_request_response_id IS NOT NULL"""
      .replace("/*NAME*/", DashboardQueries.nameOf("s.scorer_class_identifier")).replace("/*VERDICT*/", SCORE_VERDICT);

  private static final String QUEUE_SAMPLE = """
      WITH a AS (/*ANSWERS*/), v AS (SELECT DISTINCT piece_id, scorer FROM (/*VERDICTS*/) WHERE verdict IS NOT NULL),
      picked AS (
        SELECT a.*, v.scorer FROM a JOIN v USING (piece_id) WHERE (CAST(? AS VARCHAR) IS NULL OR v.scorer = ?)
        QUALIFY row_number() OVER (PARTITION BY v.scorer ORDER BY hash(CAST(a.piece_id AS VARCHAR) || ?), a.piece_id) <= ?)
      SELECT piece_id, any_value(conversation_id) AS conversation_id, any_value(execution_id) AS execution_id,
             string_agg(scorer, ', ' ORDER BY scorer) AS reason, min(scorer) AS first_scorer
      FROM picked GROUP BY piece_id ORDER BY first_scorer, hash(CAST(piece_id AS VARCHAR) || ?), piece_id"""
      .replace("/*ANSWERS*/", ANSWERS).replace("/*VERDICTS*/", VERDICTS);

  private static final String QUEUE_DISAGREEMENT = """
      WITH a AS (/*ANSWERS*/), v AS (/*VERDICTS*/),
      d AS (SELECT piece_id, string_agg(scorer || ': ' || verdict, ', ' ORDER BY scorer) AS reason FROM v WHERE verdict IS NOT NULL
            GROUP BY piece_id HAVING count(DISTINCT scorer) >= 2 AND count(DISTINCT verdict) = 2)
      SELECT a.piece_id, a.conversation_id, a.execution_id, d.reason FROM a JOIN d USING (piece_id)
      ORDER BY a.timestamp, a.piece_id"""
      .replace("/*ANSWERS*/", ANSWERS).replace("/*VERDICTS*/", VERDICTS);

  /** Answers with no usable verdict, error-free (an error has no answer to judge). */
  private static final String QUEUE_UNSCORED = """
      WITH a AS (/*ANSWERS*/), v AS (/*VERDICTS*/)
      SELECT a.piece_id, a.conversation_id, a.execution_id,
             CASE WHEN EXISTS (SELECT 1 FROM v WHERE v.piece_id = a.piece_id) THEN 'no usable verdict' ELSE 'no score' END AS reason
      FROM a WHERE coalesce(nullif(a.response_error, ''), 'none') = 'none'
        AND NOT EXISTS (SELECT 1 FROM v WHERE v.piece_id = a.piece_id AND v.verdict IS NOT NULL)
      ORDER BY a.timestamp, a.piece_id"""
      .replace("/*ANSWERS*/", ANSWERS).replace("/*VERDICTS*/", VERDICTS);

  /**
   * Each score of a reviewed piece with the piece's current human verdict: the pairs judge quality
   * counts. The scorer's version is the one its score carries, else null (scored before scores
   * carried one), with the scorer as the execution's snapshot froze it, to version it by.
   */
  private static final String PAIRS = """
      SELECT (s.scorer_class_identifier ->> 'id') AS scorer_id, /*NAME*/ AS scorer, (s.scorer_class_identifier ->> 'version') AS version,
             CAST(json_extract(es.configs, '$."scorers/' || (s.scorer_class_identifier ->> 'id') || '"') AS VARCHAR) AS snapshot,
             /*VERDICT*/ AS scorer_verdict, r.verdict AS human_verdict, s.timestamp AS scored_at
      FROM ScoreEntries s JOIN current_reviews r ON r.piece_id = s.prompt_request_response_id
      LEFT JOIN execution_snapshots es ON es.execution_id = r.execution_id
      WHERE (CAST(? AS VARCHAR) IS NULL OR (s.scorer_class_identifier ->> 'id') = ?)
      ORDER BY s.timestamp"""
      .replace("/*NAME*/", DashboardQueries.nameOf("s.scorer_class_identifier")).replace("/*VERDICT*/", SCORE_VERDICT);

  // the keys of this store's operations on the memory protocol, written by MemoryClient.Reviews
  static final String PIECE_ID = "piece_id";
  static final String VERDICT = "verdict";
  static final String COMMENT = "comment";
  static final String REVIEWER = "reviewer";
  static final String SOURCE = "source";
  static final String SCORER = "scorer";
  static final String SCORER_ID = "scorer_id";
  static final String SIZE = "size";
  static final String SEED = "seed";
  static final String INCLUDE_REVIEWED = "include_reviewed";

  private final Connection c;

  ReviewStore(Connection c) {
    this.c = c;
  }

  /** One of the review operations, its arguments read from {@code body}. */
  JsonObject apply(MemoryOp op, JsonObject b) throws SQLException {
    return switch (op) {
      case REVIEW_SET -> set(b.getString(PIECE_ID), b.getString(VERDICT), b.getString(COMMENT), b.getString(REVIEWER));
      case REVIEW_GET -> get(b.getString(PIECE_ID));
      case REVIEW_LIST -> list(b.getString(MemoryKeys.EXECUTION_ID), b.getInteger(MemoryKeys.OFFSET, 0), b.getInteger(MemoryKeys.LIMIT, 50));
      case REVIEW_QUEUE -> queue(b.getString(SOURCE, ""), b.getString(MemoryKeys.EXECUTION_ID), b.getString(SCORER),
          b.getInteger(SIZE, 20), b.getString(SEED, ""), b.getBoolean(INCLUDE_REVIEWED, false),
          b.getInteger(MemoryKeys.OFFSET, 0), b.getInteger(MemoryKeys.LIMIT, 100));
      case REVIEW_PAIRS -> pairs(b.getString(SCORER_ID));
      default -> throw new IllegalStateException(op.name());
    };
  }

  /** Records a review of the piece {@code pieceId}; a piece this memory does not hold is a 404. */
  JsonObject set(String pieceId, String verdict, String comment, String reviewer) throws SQLException {
    HumanVerdicts.checked(verdict);
    if (comment != null && comment.length() > HumanVerdicts.MAX_COMMENT) {
      throw Problem.badRequest("comment_too_long", "a comment holds at most " + HumanVerdicts.MAX_COMMENT + " characters");
    }
    UUID piece = piece(pieceId);
    JsonArray found = Rows.all(c, "SELECT conversation_id, " + DashboardQueries.executionOf("") + " AS execution_id, "
        + "role IN " + DashboardQueries.RESPONSE_ROLES + " AND NOT " + DashboardQueries.isAnswer("") + " AS not_an_answer "
        + "FROM PromptMemoryEntries WHERE id = ? LIMIT 1", piece);
    if (found.isEmpty()) {
      throw Problem.notFound("result", pieceId);
    }
    JsonObject p = found.getJsonObject(0);
    if (Boolean.TRUE.equals(p.getBoolean("not_an_answer"))) {
      // a fabricated turn or a priming reply: its verdict would decide a conversation the target's answer decides
      throw Problem.badRequest("not_an_answer", "piece " + pieceId + " is a turn the target did not give as its answer "
          + "(a fabricated turn, a priming reply or a chunk before the last); review the answer that follows it");
    }
    JsonObject previous = current(piece);
    String id = UUID.randomUUID().toString();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO reviews SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM reviews")) {
      ps.setString(1, id);
      ps.setObject(2, piece);
      ps.setString(3, p.getString("execution_id"));
      ps.setString(4, p.getString("conversation_id"));
      ps.setString(5, verdict);
      ps.setString(6, comment == null || comment.isBlank() ? null : comment);
      ps.setString(7, reviewer);
      ps.setObject(8, Rows.now());
      ps.executeUpdate();
    }
    return current(piece).put("previous_verdict", previous == null ? null : previous.getString("verdict"));
  }

  /**
   * A result as a reviewer sees it: the answer and the prompt before it (whole), its automatic
   * scores with their rationales, its current review and the earlier ones.
   */
  JsonObject get(String pieceId) throws SQLException {
    UUID piece = piece(pieceId);
    JsonArray found = Rows.all(c, """
        SELECT p.id AS piece_id, p.role, p.conversation_id, %s AS execution_id, p.timestamp, p.response_error,
               p.converted_value AS answer,
               (SELECT q.original_value FROM PromptMemoryEntries q WHERE q.conversation_id = p.conversation_id
                  AND q.sequence = p.sequence - 1 ORDER BY q.rowid LIMIT 1) AS prompt,
               (SELECT q.converted_value FROM PromptMemoryEntries q WHERE q.conversation_id = p.conversation_id
                  AND q.sequence = p.sequence - 1 ORDER BY q.rowid LIMIT 1) AS converted_prompt
        FROM PromptMemoryEntries p WHERE p.id = ? LIMIT 1""".formatted(DashboardQueries.executionOf("p.")), piece);
    if (found.isEmpty()) {
      throw Problem.notFound("result", pieceId);
    }
    JsonObject out = found.getJsonObject(0);
    JsonArray scores = new JsonArray();
    try (PreparedStatement ps = c.prepareStatement(SCORES_OF)) {
      ps.setArray(1, c.createArrayOf("UUID", new Object[] {piece}));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject s = Rows.toJson(rs);
          s.remove("piece_id");
          scores.add(s);
        }
      }
    }
    JsonArray history = Rows.all(c, "SELECT * FROM reviews WHERE piece_id = ? ORDER BY seq DESC", piece);
    return out.put("scores", scores).put("review", history.isEmpty() ? null : history.getJsonObject(0)).put("history", history);
  }

  /** The current reviews, of one execution or all, newest first, a page at a time. */
  JsonObject list(String executionId, int offset, int limit) throws SQLException {
    // an execution this memory does not know (another user's) is a 404, as everywhere; appended
    // pieces may name executions of their own, known here by their reviews
    if (executionId != null && !Rows.all(c, "SELECT 1 FROM executions WHERE id = ? UNION ALL "
        + "SELECT 1 FROM reviews WHERE execution_id = ? LIMIT 1", executionId, executionId).iterator().hasNext()) {
      throw Problem.notFound("execution", executionId);
    }
    String where = " WHERE (CAST(? AS VARCHAR) IS NULL OR execution_id = ?)";
    JsonArray items = Rows.all(c, "SELECT * FROM current_reviews" + where + " ORDER BY seq DESC LIMIT ? OFFSET ?",
        executionId, executionId, limit, offset);
    long total = Rows.all(c, "SELECT count(*) AS n FROM current_reviews" + where, executionId, executionId)
        .getJsonObject(0).getLong("n");
    return new JsonObject().put("items", items).put("total", total).put("offset", offset).put("limit", limit);
  }

  /**
   * Results to review, in a stable order: {@code sample} ({@code size} at random per scorer,
   * random by {@code seed}, so the same seed gives the same queue), {@code disagreement} (two
   * scorers gave opposite verdicts) or {@code unscored} (an answer without a usable verdict).
   */
  JsonObject queue(String source, String execution, String scorer, int size, String seed, boolean includeReviewed,
                   int offset, int limit) throws SQLException {
    String sql = switch (source) {
      case "sample" -> QUEUE_SAMPLE;
      case "disagreement" -> QUEUE_DISAGREEMENT;
      case "unscored" -> QUEUE_UNSCORED;
      default -> throw Problem.badRequest("invalid_source", "source must be sample, disagreement or unscored");
    };
    Object[] args = source.equals("sample")
        ? new Object[] {execution, execution, includeReviewed, scorer, scorer, seed, size, seed}
        : new Object[] {execution, execution, includeReviewed};
    JsonArray all = Rows.all(c, sql, args);
    JsonArray items = new JsonArray();
    for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
      JsonObject item = all.getJsonObject(i);
      item.remove("first_scorer");
      items.add(item);
    }
    return new JsonObject().put("source", source).put("items", items).put("total", all.size()).put("offset", offset).put("limit", limit);
  }

  /** Each score of a reviewed piece beside the piece's current human verdict, of one scorer (by id) or all. */
  JsonObject pairs(String scorerId) throws SQLException {
    // the dashboard asks at every read: without a review there is nothing to pair, and no scan of the scores
    if (!Rows.all(c, "SELECT 1 FROM reviews LIMIT 1").iterator().hasNext()) {
      return new JsonObject().put("pairs", new JsonArray());
    }
    JsonArray rows = Rows.all(c, PAIRS, scorerId, scorerId);
    return new JsonObject().put("pairs", rows);
  }

  private JsonObject current(UUID piece) throws SQLException {
    JsonArray rows = Rows.all(c, "SELECT * FROM current_reviews WHERE piece_id = ?", piece);
    return rows.isEmpty() ? null : rows.getJsonObject(0);
  }

  private static UUID piece(String id) {
    try {
      return UUID.fromString(id);
    } catch (RuntimeException e) {
      throw Problem.notFound("result", id);
    }
  }
}
