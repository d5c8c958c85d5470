package dev.gauntlet.memory;

import org.duckdb.DuckDBAppender;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB's appender reports a failed append (a constraint, a bad value) only from an explicit
 * {@code flush()}; {@code close()} swallows it and drops the rows. Every append therefore
 * flushes here, checks the count, and only then closes; appends that belong together run in
 * {@link #inTransaction}.
 *
 * <p>{@code endRow()} flushes by itself when DuckDB's 2,048-row chunk fills, and such a flush's
 * count is lost, so a later {@code flush()} reports only the rows after it. Rows are therefore
 * ended through {@link #endRow}, which flushes every {@value #FLUSH_ROWS} rows, before the chunk
 * fills: each flush then accounts for every row since the previous one.
 */
final class Appends {

  static final int FLUSH_ROWS = 1024;

  private Appends() {}

  /** Ends the current row; returns the rows appended since the last flush. */
  static int endRow(DuckDBAppender appender, int pending, String table) throws SQLException {
    appender.endRow();
    if (pending + 1 < FLUSH_ROWS) {
      return pending + 1;
    }
    flush(appender, pending + 1, table);
    return 0;
  }

  interface Work {
    void run() throws SQLException;
  }

  /**
   * Runs appends as one transaction, committed before this returns. Under
   * {@code setAutoCommit(false)} DuckDB's JDBC driver begins its transaction only at the next
   * statement, and an appender is not one: each {@code flush()} would commit on its own, so a
   * batch could be half stored after a failure while the caller believes it rolled back. The
   * transaction is therefore begun and ended in SQL, on a connection in auto-commit mode.
   */
  static void inTransaction(Connection c, Work work) throws SQLException {
    if (!c.getAutoCommit()) {
      throw new IllegalStateException("appends must not run inside a JDBC-managed transaction");
    }
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN TRANSACTION");
      try {
        work.run();
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException rollback) {
          e.addSuppressed(rollback); // a failed COMMIT leaves no transaction to roll back
        }
        throw e;
      }
    }
  }

  static void flush(DuckDBAppender appender, long expected, String table) throws SQLException {
    long written = appender.flush();
    if (written != expected) {
      throw new SQLException("append to " + table + " wrote " + written + " rows, expected " + expected);
    }
  }

  static void close(DuckDBAppender appender) {
    try {
      appender.close();
    } catch (SQLException ignored) {
      // flush already succeeded or failed loudly; nothing is left to write
    }
  }
}
