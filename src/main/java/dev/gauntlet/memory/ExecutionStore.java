package dev.gauntlet.memory;

import dev.gauntlet.review.HumanVerdicts;
import dev.gauntlet.Problem;
import dev.gauntlet.verdict.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Executions in one user's memory: their rows, their committed prompts, and their results. */
final class ExecutionStore {

  static final Set<String> STATUSES = Set.of("queued", "running", "completed", "completed_with_errors", "failed", "cancelled",
      ExecutionUpdate.PAUSED);

  /**
   * Copies a dataset's first prompts into an execution, numbered from 0 in the dataset's order:
   * (execution id, dataset id, how many).
   */
  private static final String FREEZE_DATASET_PROMPTS = """
      INSERT INTO execution_prompts (execution_id, prompt_index, value, system_prompt, harm_categories, tools)
      SELECT ?, (row_number() OVER (ORDER BY d.sequence) - 1)::INTEGER, s.value,
             json_extract_string(s.prompt_metadata, '$.system_prompt'), s.harm_categories,
             CASE WHEN json_type(s.prompt_metadata, '$.tools') = 'ARRAY' THEN json_extract(s.prompt_metadata, '$.tools') END
      FROM dataset_prompts d JOIN SeedPromptEntries s ON s.id = d.seed_prompt_id
      WHERE d.dataset_id = ?
      ORDER BY d.sequence
      LIMIT ?""";

  private final Connection c;
  private final PieceStore pieces;

  ExecutionStore(Connection c, PieceStore pieces) {
    this.c = c;
    this.pieces = pieces;
  }

  JsonObject create(JsonObject orchestrator, JsonObject labels) throws SQLException {
    return get(insert(orchestrator, labels));
  }

  /** The new execution's row, queued; its id. */
  private String insert(JsonObject orchestrator, JsonObject labels) throws SQLException {
    String id = UUID.randomUUID().toString();
    var now = Rows.now();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO executions (id, orchestrator_id, orchestrator, status, total, labels, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, orchestrator.getString("id"));
      ps.setString(3, orchestrator.encode());
      ps.setString(4, labels == null ? null : labels.encode());
      ps.setObject(5, now);
      ps.setObject(6, now);
      ps.executeUpdate();
    }
    return id;
  }

  /**
   * An execution launched from a resolved snapshot: its row, the configurations it refers to as
   * stored, and its prompts copied from the dataset (or given), all in one transaction, so a
   * later edit or delete of any of them changes neither what it sends nor its prompt indexes.
   * Its total is the number of prompts frozen. The answer is its {@link #snapshot}, read once the
   * transaction is committed, so the runner that starts it needs no second read.
   */
  JsonObject create(JsonObject orchestrator, JsonObject labels, JsonObject configs, FrozenPrompts prompts) throws SQLException {
    String[] id = new String[1];
    Appends.inTransaction(c, () -> {
      id[0] = insert(orchestrator, labels);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO execution_snapshots VALUES (?, ?)")) {
        ps.setString(1, id[0]);
        ps.setString(2, configs.encode());
        ps.executeUpdate();
      }
      int total = freeze(id[0], prompts);
      try (PreparedStatement ps = c.prepareStatement("UPDATE executions SET total = ? WHERE id = ?")) {
        ps.setInt(1, total);
        ps.setString(2, id[0]);
        ps.executeUpdate();
      }
    });
    return snapshot(id[0]);
  }

  private int freeze(String id, FrozenPrompts prompts) throws SQLException {
    if (prompts.datasetId() == null) {
      List<String> values = prompts.values() == null ? List.of() : prompts.values();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO execution_prompts (execution_id, prompt_index, value) VALUES (?, ?, ?)")) {
        for (int i = 0; i < values.size(); i++) {
          ps.setString(1, id);
          ps.setInt(2, i);
          ps.setString(3, values.get(i));
          ps.executeUpdate();
        }
      }
      return values.size();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM datasets WHERE id = ?")) {
      ps.setString(1, prompts.datasetId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw Problem.notFound("dataset", prompts.datasetId());
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(FREEZE_DATASET_PROMPTS)) {
      ps.setString(1, id);
      ps.setString(2, prompts.datasetId());
      ps.setLong(3, prompts.limit() > 0 ? prompts.limit() : Long.MAX_VALUE);
      return ps.executeUpdate();
    }
  }

  /**
   * The execution's row with what it runs from: {@code configs} (the configurations resolved at
   * launch, keyed {@code table/id}) and {@code prompts} (its frozen prompts, in index order). Both
   * are null for an execution launched before they were kept; it runs from the stored configurations.
   */
  JsonObject snapshot(String id) throws SQLException {
    JsonObject row = get(id, false);
    JsonArray configs = Rows.all(c, "SELECT configs FROM execution_snapshots WHERE execution_id = ?", id);
    if (configs.isEmpty()) {
      return row.putNull("configs").putNull("prompts");
    }
    JsonArray prompts = new JsonArray();
    JsonArray systemPrompts = new JsonArray();
    JsonArray tools = new JsonArray();
    boolean anySystem = false;
    boolean anyTools = false;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT value, system_prompt, CAST(tools AS VARCHAR) FROM execution_prompts WHERE execution_id = ? ORDER BY prompt_index")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          prompts.add(rs.getString(1));
          String system = rs.getString(2);
          systemPrompts.add(system);
          anySystem |= system != null;
          String offered = rs.getString(3);
          tools.add(offered == null ? null : new JsonArray(offered));
          anyTools |= offered != null;
        }
      }
    }
    row.put("configs", configs.getJsonObject(0).getJsonObject("configs")).put("prompts", prompts);
    // only when some prompt has them: the snapshot of an ordinary execution stays as it was
    if (anyTools) {
      row.put("tools", tools);
    }
    return anySystem ? row.put("system_prompts", systemPrompts) : row;
  }

  /** The execution with its progress as committed: done, succeeded (answered) and failed prompts. */
  JsonObject get(String id) throws SQLException {
    return get(id, true);
  }

  /** The execution, with its committed progress only when {@code counts} (a scan of its results). */
  JsonObject get(String id, boolean counts) throws SQLException {
    JsonObject row;
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM executions WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw Problem.notFound("execution", id);
        }
        row = Rows.toJson(rs);
      }
    }
    if (!counts) {
      return row;
    }
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.EXECUTION_COUNTS)) {
      ps.setString(1, id);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        row.put("progress", new JsonObject().put("total", row.getInteger("total")).put("done", rs.getLong(1))
            .put("succeeded", rs.getLong(2)).put("failed", rs.getLong(3)).put("attack_successes", rs.getLong(4))
            .put("attack_succeeded", rs.getLong(4)).put("held", rs.getLong(5)).put("error", rs.getLong(6))
            .put("unscored", rs.getLong(7)).put("human_verdicts", rs.getLong(8)));
      }
    }
    return row;
  }

  JsonObject list(String orchestratorId, int offset, int limit) throws SQLException {
    JsonArray items = Rows.all(c,
        "SELECT id, orchestrator_id, orchestrator ->> 'type' AS orchestrator_type, orchestrator ->> 'name' AS orchestrator_name, "
            + "status, total, labels, error, created_at, started_at, finished_at, kind, source_tool, source_file FROM executions "
            + "WHERE (CAST(? AS VARCHAR) IS NULL OR orchestrator_id = ?) ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
        orchestratorId, orchestratorId, limit, offset);
    return new JsonObject().put("items", items).put("offset", offset).put("limit", limit);
  }

  JsonObject update(ExecutionUpdate u) throws SQLException {
    String id = u.id();
    String status = u.status();
    if (status != null && !STATUSES.contains(status)) {
      throw Problem.badRequest("invalid_field", "status must be one of " + STATUSES);
    }
    get(id);
    if (u.reopen()) {
      // a resumed execution is unfinished again: its old end and error no longer hold
      try (PreparedStatement ps = c.prepareStatement("UPDATE executions SET finished_at = NULL, error = NULL WHERE id = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE executions SET status = coalesce(?, status), "
        + "total = coalesce(?, total), error = coalesce(?, error), "
        + "started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END, "
        + "finished_at = CASE WHEN ? THEN ? ELSE finished_at END, updated_at = ? WHERE id = ?")) {
      var now = Rows.now();
      ps.setString(1, status);
      ps.setObject(2, u.total());
      ps.setString(3, u.error());
      ps.setString(4, status);
      ps.setObject(5, now);
      ps.setBoolean(6, u.finished());
      ps.setObject(7, now);
      ps.setObject(8, now);
      ps.setString(9, id);
      ps.executeUpdate();
    }
    return get(id);
  }

  /**
   * The prompt indexes already committed, for resuming, with the counts progress starts from: per
   * outcome, and the errors per class (what a stop for max_error_rate reports).
   */
  JsonObject done(String id) throws SQLException {
    JsonArray indexes = new JsonArray();
    long succeeded = 0;
    java.util.Map<String, Long> outcomes = new java.util.HashMap<>();
    JsonObject errorClasses = new JsonObject();
    try (PreparedStatement ps = c.prepareStatement("SELECT prompt_index, status, " + DashboardQueries.EXECUTION_RESULT_OUTCOME
        + ", coalesce(error_class, 'unknown') FROM execution_results WHERE execution_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          indexes.add(rs.getInt(1));
          succeeded += "succeeded".equals(rs.getString(2)) ? 1 : 0;
          outcomes.merge(rs.getString(3), 1L, Long::sum);
          if ("error".equals(rs.getString(3))) {
            errorClasses.put(rs.getString(4), errorClasses.getLong(rs.getString(4), 0L) + 1);
          }
        }
      }
    }
    JsonObject out = new JsonObject().put("indexes", indexes).put("succeeded", succeeded).put("failed", indexes.size() - succeeded)
        .put("attack_successes", outcomes.getOrDefault("attack_succeeded", 0L));
    for (Outcome o : Outcome.values()) {
      out.put(o.value(), outcomes.getOrDefault(o.value(), 0L));
    }
    return out.put("error_classes", errorClasses);
  }

  /** Commits finished prompts: pieces, scores and result rows in one transaction. */
  JsonObject record(String id, JsonArray results, PieceBatch batch) throws SQLException {
    requireExists(id);
    List<JsonObject> fresh = newResults(id, results);
    JsonObject counts = pieces.append(batch, () -> appendResults(id, fresh));
    return counts.put("results", fresh.size());
  }

  private void requireExists(String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM executions WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw Problem.notFound("execution", id);
        }
      }
    }
  }

  /**
   * The results whose prompt has none stored yet: a batch resent after a lost reply stores
   * nothing twice. One range query over the batch's prompt indexes, which finish close together.
   */
  private List<JsonObject> newResults(String id, JsonArray results) throws SQLException {
    List<JsonObject> all = new ArrayList<>(results.size());
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      int index = r.getInteger("prompt_index");
      min = Math.min(min, index);
      max = Math.max(max, index);
      all.add(r);
    }
    if (all.isEmpty()) {
      return all;
    }
    java.util.Set<Integer> stored = new java.util.HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT prompt_index FROM execution_results WHERE execution_id = ? AND prompt_index BETWEEN ? AND ?")) {
      ps.setString(1, id);
      ps.setInt(2, min);
      ps.setInt(3, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getInt(1));
        }
      }
    }
    List<JsonObject> fresh = new ArrayList<>(all.size());
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (JsonObject r : all) {
      int index = r.getInteger("prompt_index");
      if (!stored.contains(index) && seen.add(index)) {
        fresh.add(r);
      }
    }
    return fresh;
  }

  /**
   * Appends result rows through DuckDB's appender, inside the pieces' transaction: a multi-row
   * INSERT of a few hundred rows spent most of a batch's time parsing and binding its thousands
   * of parameters, and JDBC's executeBatch would open a transaction of its own.
   */
  private void appendResults(String id, List<JsonObject> results) throws SQLException {
    if (results.isEmpty()) {
      return;
    }
    var now = Rows.now();
    DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender("main", "execution_results");
    try {
      int pending = 0;
      for (JsonObject r : results) {
        a.beginRow().append(id).append(r.getInteger("prompt_index").intValue()).append(r.getString("conversation_id"))
            .append(r.getString("status")).append(r.getBoolean("attack_success", false).booleanValue())
            .append(r.getString("error")).append(now).append(r.getString("outcome")).append(r.getString("reason"))
            .append(r.getString("error_class"));
        pending = Appends.endRow(a, pending, "execution_results");
      }
      Appends.flush(a, pending, "execution_results");
    } finally {
      Appends.close(a);
    }
  }

  JsonObject successfulPrompts(String executionId) throws SQLException {
    JsonArray prompts = new JsonArray();
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.SUCCESSFUL_PROMPTS)) {
      ps.setString(1, executionId);
      ps.setString(2, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          prompts.add(rs.getString(1));
        }
      }
    }
    return new JsonObject().put("prompts", prompts);
  }

  /** A page of results: each prompt with its conversation's pieces and scores. */
  JsonObject results(String id, int offset, int limit) throws SQLException {
    JsonObject execution = get(id);
    List<JsonObject> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        // a person's verdict on the conversation wins over its outcome, and is marked
        "SELECT prompt_index, er.conversation_id, status, attack_success, error, completed_at, "
            + DashboardQueries.EXECUTION_RESULT_FINAL_OUTCOME + " AS outcome, "
            + HumanVerdicts.reasonBy("hv.verdict", DashboardQueries.EXECUTION_RESULT_REASON) + " AS reason, error_class, "
            + HumanVerdicts.decided("hv") + " AS outcome_by_human, hv.verdict AS human_verdict "
            + "FROM execution_results er LEFT JOIN " + DashboardQueries.CONVERSATION_VERDICTS + " hv ON hv.conversation_id = er.conversation_id "
            + "WHERE er.execution_id = ? ORDER BY prompt_index LIMIT ? OFFSET ?")) {
      ps.setString(1, id);
      ps.setString(2, id);
      ps.setInt(3, limit);
      ps.setInt(4, offset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(Rows.toJson(rs).put("pieces", new JsonArray()).put("scores", new JsonArray()));
        }
      }
    }
    if (!rows.isEmpty()) {
      java.util.Map<String, JsonObject> byConversation = new java.util.HashMap<>();
      rows.forEach(r -> byConversation.put(r.getString("conversation_id"), r));
      String marks = String.join(",", java.util.Collections.nCopies(rows.size(), "?"));
      try (PreparedStatement ps = c.prepareStatement("SELECT id, conversation_id, sequence, role, original_value, converted_value, "
          + "response_error, converter_identifiers, prompt_metadata FROM PromptMemoryEntries WHERE conversation_id IN (" + marks
          + ") ORDER BY conversation_id, sequence")) {
        for (int i = 0; i < rows.size(); i++) {
          ps.setString(i + 1, rows.get(i).getString("conversation_id"));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JsonObject piece = Rows.toJson(rs);
            JsonObject owner = byConversation.get(piece.getString("conversation_id"));
            if (owner != null) {
              owner.getJsonArray("pieces").add(piece);
            }
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT s.prompt_request_response_id, s.score_value, s.score_type, "
          + "s.score_category, s.score_rationale, s.scorer_class_identifier, p.conversation_id FROM ScoreEntries s "
          + "JOIN PromptMemoryEntries p ON p.id = s.prompt_request_response_id WHERE p.conversation_id IN (" + marks + ")")) {
        for (int i = 0; i < rows.size(); i++) {
          ps.setString(i + 1, rows.get(i).getString("conversation_id"));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JsonObject score = Rows.toJson(rs);
            JsonObject owner = byConversation.get((String) score.remove("conversation_id"));
            if (owner != null) {
              owner.getJsonArray("scores").add(score);
            }
          }
        }
      }
    }
    return new JsonObject().put("execution", execution).put("items", new JsonArray(new ArrayList<>(rows)))
        .put("total", execution.getJsonObject("progress").getLong("done")).put("offset", offset).put("limit", limit);
  }
}
