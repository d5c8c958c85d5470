package dev.gauntlet.memory;

import org.duckdb.DuckDBAppender;

import java.sql.SQLException;

/**
 * DuckDB's appender reports a failed append (a constraint, a bad value) only from an explicit
 * {@code flush()}; {@code close()} swallows it and drops the rows. Every append therefore
 * flushes here, checks the count, and only then closes.
 */
final class Appends {

  private Appends() {}

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
