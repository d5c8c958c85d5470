package dev.gauntlet.memory;

import org.duckdb.DuckDBAppender;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB's appender reports a failed append (a constraint, a bad value) only from an explicit
 * {@code flush()}; {@code close()} swallows it and drops the rows. Every append therefore
 * flushes here, checks the count, and only then closes.
 */
final class Appends {

  private Appends() {}

  /**
   * Opens a transaction that appenders write into. DuckDB's JDBC driver begins a transaction
   * lazily, when it prepares the next statement with autocommit off; an appender is not a
   * statement, so appends made before any statement would each commit on their own and a
   * rollback would leave them stored.
   */
  static void begin(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT 1");
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
