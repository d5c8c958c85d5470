package dev.gauntlet.memory;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Keeps the dashboard's two tables current, inside each append's transaction, so the dashboard
 * reads a few thousand pre-counted rows rather than joining every piece and score:
 * {@code dashboard_rollup} (counts per day × execution × generator × labels × scorer) and
 * {@code dashboard_results} (one narrow row per answer or scored piece, with its prompt, keys
 * and scorers). Deltas are computed here from the batch itself (by {@link DashboardRules}); only scores of pieces stored
 * earlier need a look-up. {@link MemoryQueries#REBUILD_ROLLUP} and
 * {@link MemoryQueries#REBUILD_RESULTS} state the same rules in SQL and rebuild both tables
 * (a migration, a consolidation).
 */
final class DashboardIndex {

  private static final int NAME_CACHE = 1024;
  static final List<String> RESPONSE_ROLES = List.of("assistant", "simulated_assistant");

  private final Connection c;
  /** Identifier JSON text → name: an execution writes the same few identifiers on every piece. */
  private final Map<String, String> names = new HashMap<>();

  private boolean staging;

  DashboardIndex(Connection c) {
    this.c = c;
  }

  /** The connection's temporary tables that stage a batch's changes, made on first use. */
  private void ensureStaging() throws SQLException {
    if (staging) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("""
          CREATE TEMP TABLE IF NOT EXISTS dashboard_rollup_delta (day DATE, execution_id VARCHAR, generator VARCHAR,
            labels VARCHAR, scorer VARCHAR, prompts BIGINT, responses BIGINT, scores BIGINT, successes BIGINT)""");
      s.execute("""
          CREATE TEMP TABLE IF NOT EXISTS dashboard_results_delta (piece_id UUID, scorers VARCHAR[], score_count INTEGER,
            successes INTEGER)""");
    }
    staging = true;
  }

  /** Empties and refills both tables from the pieces and scores stored (in the caller's transaction). */
  static void rebuild(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM dashboard_results");
      s.execute("DELETE FROM dashboard_rollup");
      s.execute(MemoryQueries.REBUILD_RESULTS);
      s.execute(MemoryQueries.REBUILD_ROLLUP);
    }
  }

  /** A piece's dashboard keys. */
  private record Keys(String execution, String generator, String labels) {}

  private record Cell(LocalDate day, String execution, String generator, String labels, String scorer) {}

  /** A row of dashboard_results being written: new, or stored already and gaining scores. */
  private static final class Row {
    final UUID pieceId;
    final String role;
    UUID promptId;
    final String conversationId;
    final int sequence;
    final LocalDateTime timestamp;
    final Keys keys;
    final TreeSet<String> scorers = new TreeSet<>();
    int scoreCount;
    int successes;
    final boolean stored;

    Row(UUID pieceId, String role, String conversationId, int sequence, LocalDateTime timestamp, Keys keys, boolean stored) {
      this.pieceId = pieceId;
      this.role = role;
      this.promptId = isResponse(role) ? null : pieceId;
      this.conversationId = conversationId;
      this.sequence = sequence;
      this.timestamp = timestamp;
      this.keys = keys;
      this.stored = stored;
    }
  }

  /** Adds what a batch just appended (in the current transaction) to both tables. */
  void record(List<PieceBatch.Piece> pieces, List<PieceBatch.Score> scores) throws SQLException {
    if (pieces.isEmpty() && scores.isEmpty()) {
      return;
    }
    Map<Cell, long[]> rollup = new HashMap<>();
    Map<UUID, PieceBatch.Piece> batch = new HashMap<>(2 * pieces.size());
    Map<UUID, Keys> keys = new HashMap<>(2 * pieces.size());
    Map<UUID, Row> rows = new LinkedHashMap<>();
    Map<String, UUID> positions = new HashMap<>(2 * pieces.size());
    for (PieceBatch.Piece p : pieces) {
      Keys k = new Keys(DashboardRules.executionOf(p.promptMetadata()), name(p.promptTargetIdentifier()), p.labels() == null ? "" : p.labels());
      batch.put(p.id(), p);
      keys.put(p.id(), k);
      positions.putIfAbsent(p.conversationId() + '\n' + p.sequence(), p.id());
      boolean response = isResponse(p.role());
      if (response || p.role().equals("user")) {
        counts(rollup, new Cell(p.timestamp().toLocalDate(), k.execution, k.generator, k.labels, ""))[response ? 1 : 0]++;
      }
      if (response) {
        rows.put(p.id(), new Row(p.id(), p.role(), p.conversationId(), p.sequence(), p.timestamp(), k, false));
      }
    }
    List<UUID> earlier = new ArrayList<>();
    for (PieceBatch.Score s : scores) {
      UUID pieceId = s.promptRequestResponseId();
      if (pieceId != null && !batch.containsKey(pieceId) && !rows.containsKey(pieceId)) {
        earlier.add(pieceId);
      }
    }
    if (!earlier.isEmpty()) {
      loadEarlier(earlier, rows);
    }
    for (PieceBatch.Score s : scores) {
      UUID pieceId = s.promptRequestResponseId();
      Row row = pieceId == null ? null : rows.get(pieceId);
      if (row == null && pieceId != null && batch.containsKey(pieceId)) {
        PieceBatch.Piece p = batch.get(pieceId);
        row = new Row(p.id(), p.role(), p.conversationId(), p.sequence(), p.timestamp(), keys.get(pieceId), false);
        rows.put(pieceId, row);
      }
      if (row == null) {
        continue; // a score of a piece not stored: the rebuild's join leaves it out too
      }
      boolean success = DashboardRules.success(s.scoreType(), s.scoreValue(), s.scoreMetadata());
      String scorer = name(s.scorerClassIdentifier());
      row.scorers.add(scorer);
      row.scoreCount++;
      row.successes += success ? 1 : 0;
      long[] counts = counts(rollup, new Cell(s.timestamp().toLocalDate(), row.keys.execution, row.keys.generator,
          row.keys.labels, scorer));
      counts[2]++;
      counts[3] += success ? 1 : 0;
    }
    resolvePrompts(rows.values(), positions);
    ensureStaging();
    writeRollup(rollup);
    writeRows(rows.values());
  }

  /** A cell's prompts, responses, scores and successes. */
  private static long[] counts(Map<Cell, long[]> rollup, Cell cell) {
    return rollup.computeIfAbsent(cell, x -> new long[4]);
  }

  /** Rows of pieces stored before this batch that the batch scores: from the results index, else from the pieces. */
  private void loadEarlier(List<UUID> ids, Map<UUID, Row> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT piece_id, role, prompt_id, conversation_id, timestamp, execution_id, "
        + "generator, labels, scorers, score_count, successes FROM dashboard_results WHERE piece_id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("UUID", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Row row = new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(4), 0,
              rs.getObject(5, LocalDateTime.class), new Keys(rs.getString(6), rs.getString(7), rs.getString(8)), true);
          row.promptId = rs.getObject(3, UUID.class);
          for (Object scorer : (Object[]) rs.getArray(9).getArray()) {
            row.scorers.add((String) scorer);
          }
          row.scoreCount = rs.getInt(10);
          row.successes = rs.getInt(11);
          rows.put(row.pieceId, row);
        }
      }
    }
    List<UUID> missing = ids.stream().filter(id -> !rows.containsKey(id)).distinct().toList();
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id, role, conversation_id, sequence, timestamp, prompt_metadata, "
        + "prompt_target_identifier, labels FROM PromptMemoryEntries WHERE id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("UUID", missing.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String labels = rs.getString(8);
          Keys k = new Keys(DashboardRules.executionOf(rs.getString(6)), name(rs.getString(7)), labels == null ? "" : labels);
          Row row = new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
              rs.getObject(5, LocalDateTime.class), k, false);
          rows.put(row.pieceId, row);
        }
      }
    }
  }

  /** An answer's prompt is the piece before it in its conversation: in the batch, else stored earlier. */
  private void resolvePrompts(Collection<Row> rows, Map<String, UUID> positions) throws SQLException {
    List<Row> open = new ArrayList<>();
    for (Row row : rows) {
      if (!row.stored && row.promptId == null) {
        row.promptId = positions.get(row.conversationId + '\n' + (row.sequence - 1));
        if (row.promptId == null) {
          open.add(row);
        }
      }
    }
    if (open.isEmpty()) {
      return;
    }
    Map<String, UUID> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id, sequence, min(id) FROM PromptMemoryEntries "
        + "WHERE conversation_id = ANY(?) GROUP BY ALL")) {
      ps.setArray(1, c.createArrayOf("VARCHAR", open.stream().map(r -> r.conversationId).distinct().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1) + '\n' + rs.getInt(2), rs.getObject(3, UUID.class));
        }
      }
    }
    for (Row row : open) {
      row.promptId = found.get(row.conversationId + '\n' + (row.sequence - 1));
    }
  }

  private void writeRollup(Map<Cell, long[]> rollup) throws SQLException {
    if (rollup.isEmpty()) {
      return;
    }
    DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", "dashboard_rollup_delta");
    try {
      int pending = 0;
      for (Map.Entry<Cell, long[]> e : rollup.entrySet()) {
        Cell k = e.getKey();
        long[] n = e.getValue();
        a.beginRow().append(k.day).append(k.execution).append(k.generator).append(k.labels).append(k.scorer)
            .append(n[0]).append(n[1]).append(n[2]).append(n[3]);
        pending = Appends.endRow(a, pending, "dashboard_rollup_delta");
      }
      Appends.flush(a, pending, "dashboard_rollup_delta");
    } finally {
      Appends.close(a);
    }
    try (Statement s = c.createStatement()) {
      s.execute(MemoryQueries.MERGE_ROLLUP);
      s.execute("DELETE FROM temp.dashboard_rollup_delta");
    }
  }

  private void writeRows(Collection<Row> rows) throws SQLException {
    List<Row> fresh = rows.stream().filter(r -> !r.stored).toList();
    List<Row> updated = rows.stream().filter(r -> r.stored).toList();
    if (!fresh.isEmpty()) {
      DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender("main", "dashboard_results");
      try {
        int pending = 0;
        for (Row r : fresh) {
          a.beginRow().append(r.pieceId).append(r.role);
          if (r.promptId == null) {
            a.appendNull();
          } else {
            a.append(r.promptId);
          }
          a.append(r.conversationId).append(r.timestamp).append(r.keys.execution).append(r.keys.generator)
              .append(r.keys.labels).append(new ArrayList<>(r.scorers)).append(r.scoreCount).append(r.successes);
          pending = Appends.endRow(a, pending, "dashboard_results");
        }
        Appends.flush(a, pending, "dashboard_results");
      } finally {
        Appends.close(a);
      }
    }
    if (!updated.isEmpty()) {
      DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", "dashboard_results_delta");
      try {
        int pending = 0;
        for (Row r : updated) {
          a.beginRow().append(r.pieceId).append(new ArrayList<>(r.scorers)).append(r.scoreCount).append(r.successes);
          pending = Appends.endRow(a, pending, "dashboard_results_delta");
        }
        Appends.flush(a, pending, "dashboard_results_delta");
      } finally {
        Appends.close(a);
      }
      try (Statement s = c.createStatement()) {
        s.execute("UPDATE dashboard_results r SET scorers = d.scorers, score_count = d.score_count, successes = d.successes "
            + "FROM temp.dashboard_results_delta d WHERE r.piece_id = d.piece_id");
        s.execute("DELETE FROM temp.dashboard_results_delta");
      }
    }
  }

  /** {@code coalesce(nullif(id ->> 'name', ''), nullif(id ->> '__type__', ''), 'unknown')} of an identifier's JSON text. */
  String name(String identifier) {
    if (identifier == null) {
      return "unknown";
    }
    String cached = names.get(identifier);
    if (cached != null) {
      return cached;
    }
    String name = DashboardRules.name(identifier);
    if (names.size() >= NAME_CACHE) {
      names.clear();
    }
    names.put(identifier, name);
    return name;
  }

  static boolean isResponse(String role) {
    return RESPONSE_ROLES.contains(role);
  }
}
