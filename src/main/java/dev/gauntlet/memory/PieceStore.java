package dev.gauntlet.memory;

import dev.gauntlet.Metrics;
import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** PyRIT's prompt pieces and scores in one user's memory: batched appends and conversation reads. */
final class PieceStore {

  private final Connection c;
  private final IdFilter pieceIds = new IdFilter("PromptMemoryEntries");
  private final IdFilter scoreIds = new IdFilter("ScoreEntries");
  /** Batches committed (and consolidations): the dashboard looks for new rows only after this moved. */
  private long writes;

  PieceStore(Connection c) {
    this.c = c;
  }

  /** Forgets the id filters after rows were added behind this store's back (a consolidation). */
  void forgetIds() {
    pieceIds.reset();
    scoreIds.reset();
    writes++;
  }

  long writes() {
    return writes;
  }

  /**
   * Appends a batch in one transaction and returns once it is committed. Rows whose id is
   * already stored are skipped, so a client that resends a batch after a lost reply stores
   * each row once.
   */
  JsonObject append(PieceBatch batch) throws SQLException {
    return append(batch, null);
  }

  /**
   * The same, with {@code alongside} run inside the same transaction (an execution's result
   * rows, say): both are committed, or neither.
   */
  JsonObject append(PieceBatch batch, Appends.Work alongside) throws SQLException {
    long start = System.nanoTime();
    List<PieceBatch.Piece> pieces = batch.pieces();
    List<PieceBatch.Score> scores = batch.scores();
    Set<UUID> knownPieces = pieceIds.existing(c, pieces.stream().map(PieceBatch.Piece::id).toList());
    Set<UUID> knownScores = scoreIds.existing(c, scores.stream().map(PieceBatch.Score::id).toList());
    List<PieceBatch.Piece> newPieces = pieces.stream().filter(p -> !knownPieces.contains(p.id())).toList();
    List<PieceBatch.Score> newScores = scores.stream().filter(s -> !knownScores.contains(s.id())).toList();
    DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
    try {
      Appends.inTransaction(c, () -> {
        appendPieces(duck, "PromptMemoryEntries", newPieces);
        appendScores(duck, "ScoreEntries", newScores);
        if (alongside != null) {
          alongside.run();
        }
      });
    } catch (SQLException | RuntimeException e) {
      // whatever the outcome, the filters relearn the tables rather than trust a guess
      pieceIds.reset();
      scoreIds.reset();
      throw e;
    }
    writes++;
    pieceIds.added(c, newPieces.stream().map(PieceBatch.Piece::id).toList());
    scoreIds.added(c, newScores.stream().map(PieceBatch.Score::id).toList());
    Metrics.memoryBatch(System.nanoTime() - start, pieces.size() + scores.size());
    return new JsonObject().put("pieces", newPieces.size()).put("scores", newScores.size())
        .put("duplicates", knownPieces.size() + knownScores.size());
  }

  /**
   * Appends scores whose ids were generated for this batch by Gauntlet itself (a re-scoring job's,
   * which {@link RescoreStore} commits once by position), in one transaction with {@code alongside}:
   * no look-up of their ids, which cannot be stored yet; the id filter still learns them.
   */
  JsonObject appendFreshScores(List<PieceBatch.Score> scores, Appends.Work alongside) throws SQLException {
    long start = System.nanoTime();
    DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
    try {
      Appends.inTransaction(c, () -> {
        appendScores(duck, "ScoreEntries", scores);
        alongside.run();
      });
    } catch (SQLException | RuntimeException e) {
      scoreIds.reset();
      throw e;
    }
    writes++;
    scoreIds.added(c, scores.stream().map(PieceBatch.Score::id).toList());
    Metrics.memoryBatch(System.nanoTime() - start, scores.size());
    return new JsonObject().put("pieces", 0).put("scores", scores.size()).put("duplicates", 0);
  }

  /** Appends pieces to {@code table}: PyRIT's PromptMemoryEntries, or an import's staging copy of it ({@link ImportStore}). */
  static void appendPieces(DuckDBConnection duck, String table, List<PieceBatch.Piece> pieces) throws SQLException {
    if (pieces.isEmpty()) {
      return;
    }
    DuckDBAppender a = duck.createAppender("main", table);
    try {
      int pending = 0;
      for (PieceBatch.Piece p : pieces) {
        String originalSha = p.originalValueSha256() != null ? p.originalValueSha256() : PieceBatch.sha256(p.originalValue());
        String convertedSha = p.convertedValueSha256() != null || p.convertedValue() == null ? p.convertedValueSha256()
            : p.convertedValue().equals(p.originalValue()) ? originalSha : PieceBatch.sha256(p.convertedValue());
        a.beginRow().append(p.id()).append(p.role()).append(p.conversationId()).append(p.sequence())
            .append(p.timestamp()).append(p.labels()).append(p.promptMetadata()).append(p.converterIdentifiers())
            .append(p.promptTargetIdentifier()).append(p.orchestratorIdentifier()).append(p.responseError())
            .append(p.originalValueDataType()).append(p.originalValue()).append(originalSha)
            .append(p.convertedValueDataType()).append(p.convertedValue()).append(convertedSha)
            .append(p.originalPromptId());
        pending = Appends.endRow(a, pending, "PromptMemoryEntries");
      }
      Appends.flush(a, pending, "PromptMemoryEntries");
    } finally {
      Appends.close(a);
    }
  }

  /** Appends scores to {@code table}: PyRIT's ScoreEntries, or an import's staging copy of it. */
  static void appendScores(DuckDBConnection duck, String table, List<PieceBatch.Score> scores) throws SQLException {
    if (scores.isEmpty()) {
      return;
    }
    DuckDBAppender a = duck.createAppender("main", table);
    try {
      int pending = 0;
      for (PieceBatch.Score s : scores) {
        a.beginRow().append(s.id()).append(s.scoreValue()).append(s.scoreValueDescription()).append(s.scoreType())
            .append(s.scoreCategory()).append(s.scoreRationale()).append(s.scoreMetadata())
            .append(s.scorerClassIdentifier()).append(s.promptRequestResponseId()).append(s.timestamp())
            .append(s.task());
        pending = Appends.endRow(a, pending, "ScoreEntries");
      }
      Appends.flush(a, pending, "ScoreEntries");
    } finally {
      Appends.close(a);
    }
  }

  JsonObject conversations(int offset, int limit) throws SQLException {
    JsonArray items = Rows.all(c, "SELECT conversation_id, count(*) AS pieces, min(timestamp) AS first_at, max(timestamp) AS last_at "
        + "FROM PromptMemoryEntries GROUP BY conversation_id ORDER BY last_at DESC, conversation_id LIMIT ? OFFSET ?", limit, offset);
    long total;
    try (PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT conversation_id) FROM PromptMemoryEntries");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      total = rs.getLong(1);
    }
    return new JsonObject().put("items", items).put("total", total).put("offset", offset).put("limit", limit);
  }

  JsonObject conversation(String conversationId) throws SQLException {
    JsonArray pieces = Rows.all(c, "SELECT * FROM PromptMemoryEntries WHERE conversation_id = ? ORDER BY sequence, timestamp, id",
        conversationId);
    if (pieces.isEmpty()) {
      throw Problem.notFound("conversation", conversationId);
    }
    JsonArray scores = Rows.all(c, "SELECT s.* FROM ScoreEntries s JOIN PromptMemoryEntries p ON s.prompt_request_response_id = p.id "
        + "WHERE p.conversation_id = ? ORDER BY s.timestamp, s.id", conversationId);
    return new JsonObject().put("conversation_id", conversationId).put("pieces", pieces).put("scores", scores);
  }
}
