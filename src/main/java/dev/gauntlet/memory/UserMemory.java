package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One user's memory: the single DuckDB connection to the user's one file, owned by the user's
 * shard and used only from that shard's thread. Reads and writes are delegated to the stores
 * below; this class holds the connection's life.
 */
final class UserMemory implements AutoCloseable {

  /**
   * Write-ahead log size that triggers a checkpoint. Each checkpoint rewrites the whole row
   * group still being filled (up to 122,880 rows), so at DuckDB's default of 16MB (~18,000
   * pieces here) a steady ingest re-compresses each row about four times, and checkpoints took
   * a third of the shard's CPU. At 64MB that falls under twice; the final checkpoint on close
   * still takes well under a second, and the log a crash would replay stays small.
   */
  static final String CHECKPOINT_THRESHOLD = "64MB";

  /**
   * How much freed memory DuckDB's allocator may keep cached before handing it back after a
   * task. At DuckDB's default (128MB) a memory being written to kept 40 to 100MB more resident
   * than it used, so the process's RSS during an execution swung between 450 and 565MB; at 8MB
   * it stays near 430MB, with the same execution and ingest rates.
   */
  static final String ALLOCATOR_FLUSH_THRESHOLD = "8MB";

  private final String username;
  private final Path file;
  private final Connection connection;
  private final ConfigStore config;
  private final PieceStore pieces;
  private final ExecutionStore executions;
  private final Exports exports;
  private final RescoreStore rescores;
  private final Dashboard dashboard;
  private final ReviewStore reviews;
  private final ScanStore scans;
  private long lastUsed = System.nanoTime();
  private ImportStore imports;

  private UserMemory(String username, Path file, Connection connection) {
    this.username = username;
    this.file = file;
    this.connection = connection;
    this.config = new ConfigStore(connection, username);
    this.pieces = new PieceStore(connection);
    this.executions = new ExecutionStore(connection, pieces);
    this.exports = new Exports(connection);
    this.rescores = new RescoreStore(connection, pieces);
    this.dashboard = new Dashboard(connection, new DashboardIndex(connection, pieces::writes));
    this.reviews = new ReviewStore(connection);
    this.scans = new ScanStore(connection, executions);
  }

  /**
   * DuckDB installs and loads "known" extensions by itself when a statement needs one (a SQLite
   * file, an https path): native code fetched at run time. Every connection Gauntlet opens has
   * that off, and {@link #requireNoExtensions} checks it took.
   */
  public static Properties noExtensions(Properties props) {
    props.setProperty("autoinstall_known_extensions", "false");
    props.setProperty("autoload_known_extensions", "false");
    props.setProperty("allow_community_extensions", "false");
    return props;
  }

  /** Fails when the connection could still install or load an extension by itself. */
  public static void requireNoExtensions(Connection c) throws SQLException {
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT current_setting('autoinstall_known_extensions'), "
        + "current_setting('autoload_known_extensions')")) {
      rs.next();
      if (rs.getBoolean(1) || rs.getBoolean(2)) {
        throw new SQLException("DuckDB would install or load extensions at run time; refusing to use this connection");
      }
    }
  }

  static UserMemory open(String username, Path file, String memoryLimit, int threads) throws SQLException {
    try {
      dev.gauntlet.files.Private.dir(file.getParent());
    } catch (java.io.UncheckedIOException e) {
      throw new SQLException("cannot create memory directory " + file.getParent() + ": " + e.getMessage(), e);
    }
    Properties props = new Properties();
    props.setProperty("memory_limit", memoryLimit);
    props.setProperty("threads", Integer.toString(threads));
    props.setProperty("checkpoint_threshold", CHECKPOINT_THRESHOLD);
    props.setProperty("allocator_flush_threshold", ALLOCATOR_FLUSH_THRESHOLD);
    Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, noExtensions(props));
    try {
      requireNoExtensions(c);
      MemorySchema.migrate(c);
      ImportStore.dropLeftovers(c);
      dev.gauntlet.files.Private.files(file, Path.of(file + ".wal"));
      return new UserMemory(username, file, c);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * A memory that is no one's, for the warm-up at start: an in-memory DuckDB database with the
   * memory schema. It has no file, never spills to disk ({@code temp_directory} is empty) and is
   * gone once closed. Only {@link ScratchShard} opens one.
   */
  static UserMemory scratch(String memoryLimit) throws SQLException {
    Properties props = new Properties();
    props.setProperty("memory_limit", memoryLimit);
    props.setProperty("threads", "1");
    props.setProperty("temp_directory", "");
    props.setProperty("allocator_flush_threshold", ALLOCATOR_FLUSH_THRESHOLD);
    Connection c = DriverManager.getConnection("jdbc:duckdb:", noExtensions(props));
    try {
      requireNoExtensions(c);
      MemorySchema.migrate(c);
      return new UserMemory("(scratch)", null, c);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  String username() {
    return username;
  }

  Path file() {
    return file;
  }

  ConfigStore config() {
    touch();
    return config;
  }

  PieceStore pieces() {
    touch();
    return pieces;
  }

  ExecutionStore executions() {
    touch();
    return executions;
  }

  Exports exports() {
    touch();
    return exports;
  }

  RescoreStore rescores() {
    touch();
    return rescores;
  }

  Dashboard dashboard() {
    touch();
    return dashboard;
  }

  ScanStore scans() {
    touch();
    return scans;
  }

  ReviewStore reviews() {
    touch();
    return reviews;
  }

  ImportStore imports() {
    touch();
    if (imports == null) {
      imports = new ImportStore(connection, pieces);
    }
    return imports;
  }

  /** Whether an import into this memory is in progress: closing it now would fail the import (see {@link ImportStore#inProgress}). */
  boolean importing() {
    return imports != null && imports.inProgress();
  }

  long idleNanos() {
    return System.nanoTime() - lastUsed;
  }

  private void touch() {
    lastUsed = System.nanoTime();
  }

  /** File, size and row counts per table. */
  JsonObject status() throws SQLException {
    touch();
    JsonObject tables = new JsonObject();
    try (Statement s = connection.createStatement()) {
      for (String table : MemorySchema.ALL_TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          tables.put(table, rs.getLong(1));
        }
      }
      int version = MemorySchema.currentVersion(connection);
      long size = 0;
      long wal = 0;
      try {
        size = Files.size(file);
      } catch (java.io.IOException ignored) {
        // size stays 0 for a file not yet checkpointed
      }
      try {
        // what was written since the last checkpoint is in the write-ahead log, not yet in the file
        Path log = file.resolveSibling(file.getFileName() + ".wal");
        wal = Files.exists(log) ? Files.size(log) : 0;
      } catch (java.io.IOException ignored) {
        // a log checkpointed away meanwhile adds nothing
      }
      return new JsonObject().put("file", file.getFileName().toString()).put("size_bytes", size)
          .put("wal_bytes", wal).put("total_bytes", size + wal)
          .put("schema_version", version).put("tables", tables);
    }
  }

  /**
   * A consistent copy of this memory at {@code target}: runs on the shard's thread, between two
   * of this user's operations, so no write is in progress; the checkpoint empties the
   * write-ahead log into the file, which is then copied as is.
   */
  JsonObject backupTo(Path target) throws SQLException {
    touch();
    try (Statement s = connection.createStatement()) {
      s.execute("CHECKPOINT");
    }
    try {
      dev.gauntlet.files.Private.dir(target.getParent());
      Files.copy(file, target);
      dev.gauntlet.files.Private.files(target);
      return new JsonObject().put("file", target.toString()).put("size_bytes", Files.size(target));
    } catch (java.io.IOException e) {
      throw new SQLException("cannot copy memory to " + target + ": " + e.getMessage(), e);
    }
  }

  /** Merges a stray DuckDB file into this memory (see {@link Consolidation}). */
  JsonObject consolidate(Path stray, boolean dryRun) throws SQLException {
    touch();
    if (stray.toAbsolutePath().normalize().equals(file)) {
      throw new dev.gauntlet.Problem(400, "own_memory", "that file is this user's own memory");
    }
    try {
      return Consolidation.merge(connection, stray, dryRun);
    } catch (Consolidation.Locked e) {
      throw new dev.gauntlet.Problem(409, "file_locked", e.getMessage());
    } catch (SQLException e) {
      throw new dev.gauntlet.Problem(422, "consolidation_failed", stray + ": nothing merged: " + e.getMessage());
    } finally {
      pieces.forgetIds();
    }
  }

  /** The connection, for this package's tests only. */
  Connection connectionForTest() {
    return connection;
  }

  /** Checkpoints the write-ahead log into the file, then closes the connection. */
  @Override
  public void close() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CHECKPOINT");
    } finally {
      connection.close();
    }
  }
}
