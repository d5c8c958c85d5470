package dev.gauntlet.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps the dashboard's tables up to date, so a dashboard reads a few thousand pre-counted rows
 * rather than joining every piece and score: {@code dashboard_rollup} (counts per day × execution
 * × generator × labels × scorer) and {@code dashboard_results} (one narrow row per answer or
 * scored piece, with its prompt, keys, scorers and rowids).
 *
 * <p>The tables catch up before each dashboard read, over the pieces and scores appended since
 * the last one: DuckDB assigns appended rows increasing rowids and prunes a rowid range to the
 * row groups holding it, so the catch-up costs what was added, and appends (an execution's hot
 * path) pay nothing. Rows that went away (a rowid below the mark) rebuild both tables.
 */
final class DashboardIndex {

  /** Rollup rows below which the rollup is never compacted. */
  static final int COMPACT_FLOOR = 2_000;
  /**
   * Rowids of pieces (or of scores) caught up per transaction: a million pieces and scores in one
   * transaction outgrew DuckDB's default 256 MB limit; a batch of this size needs a few MB.
   */
  static final long BATCH_ROWS = 50_000;

  private final Connection c;
  private final int compactFloor;
  private final long batchRows;
  private final java.util.function.LongSupplier writes;
  /** {@link #writes} at the last catch-up: unchanged, nothing can be new (the first read after opening always looks). */
  private long writesSeen = Long.MIN_VALUE;
  /** Where the next catch-up starts: pieces' and scores' next rowids, and their counts; null until read. */
  private long[] mark;
  private long version;
  /** Rows in the rollup after its last compaction; -1 until counted. */
  private long compactedRows = -1;

  /** {@code writes} counts the batches written through this process (null: look for new rows at every read). */
  DashboardIndex(Connection c, java.util.function.LongSupplier writes) {
    this(c, writes, COMPACT_FLOOR);
  }

  DashboardIndex(Connection c, java.util.function.LongSupplier writes, int compactFloor) {
    this(c, writes, compactFloor, BATCH_ROWS);
  }

  DashboardIndex(Connection c, java.util.function.LongSupplier writes, int compactFloor, long batchRows) {
    this.c = c;
    this.writes = writes;
    this.compactFloor = compactFloor;
    this.batchRows = batchRows;
  }

  /** Grows whenever the tables changed: readers' caches hold for one version only. */
  long version() {
    return version;
  }

  /**
   * Adds the pieces and scores stored since the last catch-up to both tables, in batches of at
   * most {@link #batchRows} rowids, each in its own transaction with the position it reached, so
   * a backlog of any size fits DuckDB's memory limit and an interrupted catch-up resumes after its
   * last committed batch. Pieces go first, then scores (a score's result must exist to be
   * counted), which adds up to what one pass over both would. Rows deleted outside Gauntlet (the
   * rowids advanced by other than the rows added) empty both tables, which then fill again from
   * rowid 0 the same way.
   */
  void catchUp() throws SQLException {
    catchUp(Long.MAX_VALUE);
  }

  /** A catch-up that stops after {@code batches} batches, as a process stopped between two of them would (tests). */
  void catchUp(long batches) throws SQLException {
    long written = writes == null ? Long.MIN_VALUE : writes.getAsLong();
    if (writes != null && written == writesSeen) {
      return;
    }
    if (mark == null) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM dashboard_state")) {
        mark = rs.next() ? new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)} : new long[4];
      }
    }
    long[] end = new long[4];
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DashboardQueries.ENDS)) {
      rs.next();
      for (int i = 0; i < 4; i++) {
        end[i] = rs.getLong(i + 1);
      }
    }
    if (java.util.Arrays.equals(end, mark)) {
      writesSeen = written;
      return;
    }
    boolean onlyAdded = end[0] - mark[0] == end[2] - mark[2] && end[1] - mark[1] == end[3] - mark[3]
        && end[0] >= mark[0] && end[1] >= mark[1];
    if (!onlyAdded) {
      Appends.inTransaction(c, () -> empty(c));
      mark = new long[4];
      compactedRows = -1;
    }
    version++;
    long done = 0;
    while (mark[0] < end[0]) {
      if (done++ >= batches) {
        return;
      }
      batch(mark[0], Math.min(end[0], mark[0] + batchRows), mark[1], mark[1]);
    }
    while (mark[1] < end[1]) {
      if (done++ >= batches) {
        return;
      }
      batch(mark[0], mark[0], mark[1], Math.min(end[1], mark[1] + batchRows));
    }
    writesSeen = written;
  }

  /** One batch: pieces with rowids in [p0, p1) and scores in [s0, s1), committed with the position after it. */
  private void batch(long p0, long p1, long s0, long s1) throws SQLException {
    long[] next = new long[4];
    Appends.inTransaction(c, () -> {
      long[] pieces = {p0, p1};
      long[] scores = {s0, s1};
      long[][] ranges = {scores, null, null, pieces, null, pieces, scores, pieces, null};
      for (int i = 0; i < DashboardQueries.CATCH_UP.size(); i++) {
        try (PreparedStatement ps = c.prepareStatement(DashboardQueries.CATCH_UP.get(i))) {
          if (ranges[i] != null) {
            ps.setLong(1, ranges[i][0]);
            ps.setLong(2, ranges[i][1]);
          }
          ps.execute();
        }
      }
      // counted, not assumed: after a rebuild the rowids may have gaps
      next[0] = p1;
      next[1] = s1;
      next[2] = mark[2] + rows("PromptMemoryEntries", p0, p1);
      next[3] = mark[3] + rows("ScoreEntries", s0, s1);
      try (PreparedStatement ps = c.prepareStatement("UPDATE dashboard_state SET pieces_next = ?, scores_next = ?, pieces = ?, scores = ?")) {
        for (int i = 0; i < 4; i++) {
          ps.setLong(i + 1, next[i]);
        }
        if (ps.executeUpdate() == 0) {
          throw new SQLException("dashboard_state has no row; the memory's migration 2 did not run");
        }
      }
      compactIfGrown();
    });
    mark = next;
    version++;
  }

  private long rows(String table, long from, long to) throws SQLException {
    if (from >= to) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE rowid >= ? AND rowid < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Empties the three tables and sets the position to rowid 0 (in the caller's transaction); catch-ups refill them. */
  static void empty(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String table : new String[] {"dashboard_results", "dashboard_rollup", "dashboard_state"}) {
        s.execute("DELETE FROM " + table);
      }
      s.execute("INSERT INTO dashboard_state VALUES (0, 0, 0, 0)");
    }
  }

  /** Empties and refills the three tables from the pieces and scores stored (in the caller's transaction). */
  static void rebuild(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String table : new String[] {"dashboard_results", "dashboard_rollup", "dashboard_state"}) {
        s.execute("DELETE FROM " + table);
      }
      s.execute(DashboardQueries.REBUILD_RESULTS);
      s.execute(DashboardQueries.REBUILD_ROLLUP);
      s.execute(DashboardQueries.REBUILD_STATE);
    }
  }

  /**
   * Each catch-up appends rollup rows for what it added, and every read sums rows by key; once
   * the rollup has grown past twice its size after the last compaction, it is compacted to one
   * row per key, so reads stay proportional to the keys rather than to the catch-ups.
   */
  private void compactIfGrown() throws SQLException {
    long rows = count();
    if (compactedRows < 0) {
      compactedRows = rows;
    }
    if (rows <= 2 * compactedRows + compactFloor) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE OR REPLACE TEMP TABLE dashboard_rollup_compact AS " + DashboardQueries.ROLLUP_BY_KEY);
      s.execute("DELETE FROM dashboard_rollup");
      s.execute("INSERT INTO dashboard_rollup SELECT * FROM temp.dashboard_rollup_compact");
      s.execute("DROP TABLE temp.dashboard_rollup_compact");
    }
    compactedRows = count();
  }

  private long count() throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM dashboard_rollup")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static final java.util.List<String> RESPONSE_ROLES = java.util.List.of("assistant", "simulated_assistant");

  /**
   * Whether a results-index row is an answer. Its role says so: the index holds a piece of an
   * answering role only when it is an answer ({@link DashboardQueries#isAnswer}).
   */
  static boolean isResponse(String role) {
    return RESPONSE_ROLES.contains(role);
  }

  /** A scorer filter's pattern in the results' scorer text (names between U+001F; a filter value holds no control character). */
  static String scorerMark(String scorer) {
    return "\u001f" + scorer + "\u001f";
  }
}
