package dev.gauntlet.appdb;

import dev.gauntlet.config.AppDbConfig;
import dev.gauntlet.schema.SchemaMigrator;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The app database behind an Agroal pool, reached by request handlers through vertx-jdbc-client:
 * SQLite in WAL mode in the data directory by default, or a PostgreSQL server when
 * {@code appdb.url} names one (what a cluster's nodes share). The same migrations and statements
 * run on both; where they differ, {@link Dialect} decides. The synchronous methods here are for
 * start-up only, on the main thread before any verticle runs.
 */
public final class AppDatabase implements AutoCloseable {

  private static final int ASYNC_CONNECTIONS = 8;
  private static final int BLOCKING_CONNECTIONS = 4;
  /** The advisory lock nodes sharing one PostgreSQL database take to migrate and bootstrap one at a time. */
  private static final long STARTUP_LOCK = 0x6761756e746c6574L;

  private final Path file;
  private final Dialect dialect;
  private final String location;
  private final AgroalDataSource dataSource;
  private Pool pool;

  private AppDatabase(Path file, Dialect dialect, String location, AgroalDataSource dataSource) {
    this.file = file;
    this.dialect = dialect;
    this.location = location;
    this.dataSource = dataSource;
  }

  /** Opens (creating if needed) the embedded SQLite file and applies pending migrations. */
  public static AppDatabase open(Path file) {
    return open(AppDbConfig.sqlite(file));
  }

  /** Opens the configured database, SQLite or PostgreSQL, and applies pending migrations. */
  public static AppDatabase open(AppDbConfig config) {
    Path file = config.sqliteFile();
    try {
      AppDatabase db;
      if (config.postgres()) {
        db = new AppDatabase(file, Dialect.POSTGRES, config.describe(), dataSource(org.postgresql.Driver.class, config.url(), config));
      } else {
        dev.gauntlet.files.Private.dir(file.toAbsolutePath().getParent());
        // synchronous=FULL: an acknowledged account, key or audit row survives power loss too
        String url = "jdbc:sqlite:" + file.toAbsolutePath()
            + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true";
        db = new AppDatabase(file, Dialect.SQLITE, file.toString(), dataSource(org.sqlite.JDBC.class, url, config));
      }
      try {
        db.migrate();
      } catch (SQLException | RuntimeException e) {
        db.close();
        throw e;
      }
      if (!config.postgres()) {
        dev.gauntlet.files.Private.files(file, Path.of(file + "-wal"), Path.of(file + "-shm"));
      }
      return db;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the app database " + config.describe() + ": " + e.getMessage(), e);
    }
  }

  private static AgroalDataSource dataSource(Class<?> driver, String url, AppDbConfig config) throws SQLException {
    return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
        .connectionPoolConfiguration(pool -> pool
            // the async pool keeps up to ASYNC_CONNECTIONS checked out for good: transactions and
            // start-up steps need connections of their own beside them, or they wait forever
            .minSize(0).initialSize(1).maxSize(ASYNC_CONNECTIONS + BLOCKING_CONNECTIONS)
            .acquisitionTimeout(Duration.ofSeconds(15))
            .connectionFactoryConfiguration(cf -> {
              cf.connectionProviderClass(driver)
                  // a connection returned mid-transaction would hold SQLite's write lock forever
                  .autoCommit(true)
                  .jdbcUrl(url);
              if (!config.user().isEmpty()) {
                cf.principal(new NamePrincipal(config.user()));
              }
              if (!config.password().isEmpty()) {
                cf.credential(new SimplePassword(config.password()));
              }
              return cf;
            })));
  }

  /** Which SQL this database speaks. */
  public Dialect dialect() {
    return dialect;
  }

  /** Where it is, for messages: the SQLite file or the PostgreSQL URL (no password). */
  public String location() {
    return location;
  }

  /**
   * Holds the start-up lock until closed: on PostgreSQL a session advisory lock, so nodes sharing
   * the database create the first admin, the memory salt and the token secret one at a time and
   * the later ones find what the first wrote; on SQLite nothing (one process per data directory).
   */
  public AutoCloseable startupLock() throws SQLException {
    if (dialect != Dialect.POSTGRES) {
      return () -> { };
    }
    Connection c = dataSource.getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + STARTUP_LOCK + ")");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return () -> {
      try (c; Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_unlock(" + STARTUP_LOCK + ")");
      }
    };
  }

  /** The async pool for request handlers; one per process, shared by every verticle. */
  public synchronized Pool pool(Vertx vertx) {
    if (pool == null) {
      pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(ASYNC_CONNECTIONS).setShared(true).setName("appdb"));
    }
    return pool;
  }

  /** The SQLite file; on PostgreSQL, where it would be (its folder is the data directory). */
  public Path file() {
    return file;
  }

  public int schemaVersion() {
    try (Connection c = dataSource.getConnection()) {
      return SchemaMigrator.currentVersion(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void migrate() throws Exception {
    try (AutoCloseable lock = startupLock(); Connection c = dataSource.getConnection()) {
      AppSchema.migrator(dialect).migrate(c);
    }
  }

  /** A start-up read of a setting. */
  public Optional<String> setting(String key) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A start-up write of a setting. */
  public void putSetting(String key, String value) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                 + "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.setString(3, Instant.now().toString());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Work inside one transaction. */
  public interface Transaction<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs multi-statement writes atomically on a worker thread. vertx-jdbc-client 5.0.10's
   * {@code withTransaction} leaves its pooled connection in manual-commit mode, so later writes
   * on that connection are acknowledged yet never committed; transactions therefore use plain
   * JDBC here and always restore autocommit.
   */
  public <T> io.vertx.core.Future<T> inTransaction(Vertx vertx, Transaction<T> work) {
    return vertx.executeBlocking(() -> inTransaction(work), false);
  }

  /** The same, synchronously, for start-up steps on the main thread. */
  public <T> T inTransaction(Transaction<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Start-up access for the few bootstrap steps that need plain JDBC. */
  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
    dataSource.close();
  }
}
