package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

/**
 * Re-scoring jobs in one user's memory (memory migration 5). A job is created with the scorer
 * configurations resolved at launch and, in the same transaction, the list of answers it scores,
 * frozen in order ({@code rescore_answers}: position → answer piece, its prompt piece, the
 * objective its scores were given). Each commit appends one batch's scores and moves the job's
 * {@code done} (the answers committed, in position order) in one transaction, and only from the
 * position the job is at: a batch resent after a lost reply stores nothing twice, and a resume
 * starts exactly after the last committed answer.
 */
final class RescoreStore {

  static final Set<String> STATUSES = Set.of("queued", "running", "completed", "failed", "cancelled");

  static final String CREATE_JOBS = """
      CREATE TABLE IF NOT EXISTS rescore_jobs (
        id VARCHAR PRIMARY KEY, execution_id VARCHAR NOT NULL, scorer_ids JSON NOT NULL, configs JSON NOT NULL,
        status VARCHAR NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL, scores BIGINT NOT NULL, error VARCHAR,
        created_at TIMESTAMP NOT NULL, started_at TIMESTAMP, finished_at TIMESTAMP, updated_at TIMESTAMP NOT NULL)""";

  static final String CREATE_ANSWERS = """
      CREATE TABLE IF NOT EXISTS rescore_answers (
        job_id VARCHAR NOT NULL, position INTEGER NOT NULL, piece_id UUID NOT NULL, prompt_id UUID, objective VARCHAR,
        piece_row BIGINT NOT NULL, prompt_row BIGINT)""";

  /**
   * An execution's usable answers (an answer piece without a response error), in prompt order
   * then turn order, each with the piece before it in its conversation (its prompt) and the
   * objective its earlier scores were given, if any, and both pieces' rowids (which bound the
   * scans that read a batch's texts): (execution id, job id).
   */
  private static final String FREEZE_ANSWERS = """
      INSERT INTO rescore_answers
      WITH conv AS (SELECT conversation_id, prompt_index FROM execution_results WHERE execution_id = ?),
           ans AS (SELECT p.id, p.rowid AS row, p.conversation_id, p.sequence, conv.prompt_index FROM PromptMemoryEntries p
                   JOIN conv ON conv.conversation_id = p.conversation_id
                   WHERE /*ANSWER*/ AND coalesce(p.response_error, 'none') = 'none'),
           prev AS (SELECT q.conversation_id, q.sequence, arg_min(q.id, q.rowid) AS id, min(q.rowid) AS row FROM PromptMemoryEntries q
                    JOIN conv ON conv.conversation_id = q.conversation_id GROUP BY ALL),
           task AS (SELECT prompt_request_response_id AS id, any_value(task) AS task FROM ScoreEntries
                    WHERE task IS NOT NULL AND prompt_request_response_id IN (SELECT id FROM ans) GROUP BY 1)
      SELECT ?, (row_number() OVER (ORDER BY ans.prompt_index, ans.sequence, ans.id) - 1)::INTEGER, ans.id, prev.id, task.task,
             ans.row, prev.row
      FROM ans
      LEFT JOIN prev ON prev.conversation_id = ans.conversation_id AND prev.sequence = ans.sequence - 1
      LEFT JOIN task ON task.id = ans.id""".replace("/*ANSWER*/", DashboardQueries.isAnswer("p"));

  /** How many answers a range of a job holds, and the rowids their pieces lie between: (job id, from, to). */
  private static final String ANSWER_ROWS = """
      SELECT count(*), min(least(piece_row, coalesce(prompt_row, piece_row))), max(greatest(piece_row, coalesce(prompt_row, piece_row)))
      FROM rescore_answers WHERE job_id = ? AND position >= ? AND position < ?""";

  /**
   * A range of a job's answers with their texts, the pieces scanned only between two rowids (an
   * execution's pieces lie together, so a batch reads its own row groups, not the whole table):
   * (job id, from, to, first rowid, last rowid, first rowid, last rowid).
   */
  private static final String ANSWERS = """
      SELECT a.position, a.piece_id, coalesce(p.combined, p.converted_value, p.original_value), q.original_value, a.objective,
             p.tool_calls
      FROM (SELECT * FROM rescore_answers WHERE job_id = ? AND position >= ? AND position < ?) a
      JOIN (SELECT id, original_value, converted_value, prompt_metadata ->> 'combined_answer' AS combined,
                   CASE WHEN json_type(prompt_metadata, '$.tool_calls') = 'ARRAY' THEN CAST(prompt_metadata -> 'tool_calls' AS VARCHAR) END AS tool_calls
            FROM PromptMemoryEntries WHERE rowid BETWEEN ? AND ?) p ON p.id = a.piece_id
      LEFT JOIN (SELECT id, original_value FROM PromptMemoryEntries WHERE rowid BETWEEN ? AND ?) q ON q.id = a.prompt_id
      ORDER BY a.position""";

  private final Connection c;
  private final PieceStore pieces;

  RescoreStore(Connection c, PieceStore pieces) {
    this.c = c;
    this.pieces = pieces;
  }

  /** One shard operation on re-scoring jobs. */
  JsonObject apply(MemoryOp op, JsonObject body, PieceBatch batch) throws SQLException {
    return switch (op) {
      case RESCORE_CREATE -> create(body.getString("execution_id"), body.getJsonArray("scorer_ids"), body.getJsonObject("configs"));
      case RESCORE_GET -> get(body.getString("id"), body.getBoolean("configs", false));
      case RESCORE_UPDATE -> update(body.getString("id"), body.getString("status"), body.getString("error"),
          body.getBoolean("finished", false), body.getBoolean("reopen", false));
      case RESCORE_ANSWERS -> answers(body.getString("id"), body.getInteger("from"), body.getInteger("limit"));
      case RESCORE_COMMIT -> commit(body.getString("id"), body.getInteger("from"), body.getInteger("count"), batch);
      default -> throw new IllegalStateException(op.name());
    };
  }

  /** A queued job over the execution's answers as they are now; 404 when the execution is not in this memory. */
  JsonObject create(String executionId, JsonArray scorerIds, JsonObject configs) throws SQLException {
    String id = UUID.randomUUID().toString();
    Appends.inTransaction(c, () -> {
      if (Rows.all(c, "SELECT 1 FROM executions WHERE id = ?", executionId).isEmpty()) {
        throw Problem.notFound("execution", executionId);
      }
      var now = Rows.now();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO rescore_jobs (id, execution_id, scorer_ids, configs, status, "
          + "total, done, scores, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', 0, 0, 0, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, executionId);
        ps.setString(3, scorerIds.encode());
        ps.setString(4, configs.encode());
        ps.setObject(5, now);
        ps.setObject(6, now);
        ps.executeUpdate();
      }
      int total;
      try (PreparedStatement ps = c.prepareStatement(FREEZE_ANSWERS)) {
        ps.setString(1, executionId);
        ps.setString(2, id);
        total = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE rescore_jobs SET total = ? WHERE id = ?")) {
        ps.setInt(1, total);
        ps.setString(2, id);
        ps.executeUpdate();
      }
    });
    return get(id, false);
  }

  /** The job's row; with the scorer configurations it resolved at launch when {@code withConfigs}. */
  JsonObject get(String id, boolean withConfigs) throws SQLException {
    JsonArray rows = Rows.all(c, "SELECT id, execution_id, scorer_ids, status, total, done, scores, error, created_at, started_at, "
        + "finished_at, updated_at" + (withConfigs ? ", configs" : "") + " FROM rescore_jobs WHERE id = ?", id);
    if (rows.isEmpty()) {
      throw Problem.notFound("rescore", id);
    }
    return rows.getJsonObject(0).put("kind", "rescore");
  }

  JsonObject update(String id, String status, String error, boolean finished, boolean reopen) throws SQLException {
    if (status != null && !STATUSES.contains(status)) {
      throw Problem.badRequest("invalid_field", "status must be one of " + STATUSES);
    }
    get(id, false);
    try (PreparedStatement ps = c.prepareStatement("UPDATE rescore_jobs SET status = coalesce(?, status), "
        + "error = CASE WHEN ? THEN NULL ELSE coalesce(?, error) END, "
        + "started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END, "
        + "finished_at = CASE WHEN ? THEN ? WHEN ? THEN NULL ELSE finished_at END, updated_at = ? WHERE id = ?")) {
      var now = Rows.now();
      ps.setString(1, status);
      ps.setBoolean(2, reopen);
      ps.setString(3, error);
      ps.setString(4, status);
      ps.setObject(5, now);
      ps.setBoolean(6, finished);
      ps.setObject(7, now);
      ps.setBoolean(8, reopen);
      ps.setObject(9, now);
      ps.setString(10, id);
      ps.executeUpdate();
    }
    return get(id, false);
  }

  /**
   * Up to {@code limit} answers from position {@code from}, column by column: {@code piece_ids},
   * {@code responses} (a chunked request's joined answer where it has one, as its run scored),
   * {@code prompts}, {@code objectives} and {@code tool_calls} (the calls each answer made, null
   * where none), in position order.
   */
  JsonObject answers(String id, int from, int limit) throws SQLException {
    long frozen;
    long low;
    long high;
    try (PreparedStatement ps = c.prepareStatement(ANSWER_ROWS)) {
      ps.setString(1, id);
      ps.setInt(2, from);
      ps.setInt(3, from + limit);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        frozen = rs.getLong(1);
        low = rs.getLong(2);
        high = rs.getLong(3);
      }
    }
    JsonObject read = answers(id, from, limit, low, high);
    if (read.getInteger("found") < frozen) {
      // rows moved since the job froze them (a rewrite of the table): look everywhere
      read = answers(id, from, limit, 0, Long.MAX_VALUE);
    }
    read.remove("found");
    return read;
  }

  private JsonObject answers(String id, int from, int limit, long low, long high) throws SQLException {
    int found = 0;
    JsonArray ids = new JsonArray();
    JsonArray responses = new JsonArray();
    JsonArray prompts = new JsonArray();
    JsonArray objectives = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    try (PreparedStatement ps = c.prepareStatement(ANSWERS)) {
      ps.setString(1, id);
      ps.setInt(2, from);
      ps.setInt(3, from + limit);
      ps.setLong(4, low);
      ps.setLong(5, high);
      ps.setLong(6, low);
      ps.setLong(7, high);
      try (ResultSet rs = ps.executeQuery()) {
        int expected = from;
        while (rs.next()) {
          // an answer piece that went away after the job froze it leaves its position empty, not shifted onto another
          for (int position = rs.getInt(1); expected < position; expected++) {
            ids.addNull();
            responses.addNull();
            prompts.addNull();
            objectives.addNull();
            toolCalls.addNull();
          }
          expected++;
          found++;
          ids.add(rs.getString(2));
          responses.add(rs.getString(3));
          prompts.add(rs.getString(4));
          objectives.add(rs.getString(5));
          String calls = rs.getString(6);
          toolCalls.add(calls == null ? null : new JsonArray(calls));
        }
      }
    }
    return new JsonObject().put("found", found).put("from", from).put("piece_ids", ids).put("responses", responses).put("prompts", prompts)
        .put("objectives", objectives).put("tool_calls", toolCalls);
  }

  /**
   * Appends the scores of the answers at [{@code from}, {@code from + count}) and moves the job to
   * {@code from + count}, in one transaction. A batch the job is already past (resent after a lost
   * reply) stores nothing; one that would leave a gap is refused.
   */
  JsonObject commit(String id, int from, int count, PieceBatch batch) throws SQLException {
    JsonObject job = get(id, false);
    int done = job.getInteger("done");
    if (done >= from + count) {
      return new JsonObject().put("done", done).put("scores", 0).put("duplicate", true);
    }
    if (done != from) {
      throw Problem.conflict("out_of_order", "rescore '" + id + "' is at answer " + done + ", not " + from);
    }
    JsonObject counts = pieces.appendFreshScores(batch.scores(), () -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE rescore_jobs SET done = ?, scores = scores + ?, updated_at = ? WHERE id = ?")) {
        ps.setInt(1, from + count);
        ps.setLong(2, batch.scores().size());
        ps.setObject(3, Rows.now());
        ps.setString(4, id);
        ps.executeUpdate();
      }
    });
    return new JsonObject().put("done", from + count).put("scores", counts.getInteger("scores")).put("duplicate", false);
  }
}
