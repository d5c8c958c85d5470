package dev.gauntlet.testing;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.Dialect;
import dev.gauntlet.config.AppDbConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The two databases the app database runs on, for tests that run once on each: a test names its
 * database by a path (its temporary folder's {@code gauntlet.db}); on SQLite that is the file, on
 * PostgreSQL a database of the shared test server named after the path, so opening the same path
 * again opens the same database and another test's path another one.
 */
public enum AppDbBackend {

  SQLITE {
    @Override
    public AppDbConfig config(Path file) {
      return AppDbConfig.sqlite(file);
    }

    @Override
    public Connection connect(Path file) throws SQLException {
      return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    @Override
    public Dialect dialect() {
      return Dialect.SQLITE;
    }
  },

  POSTGRES {
    @Override
    public AppDbConfig config(Path file) {
      return new AppDbConfig(url(file), PostgresServer.USER, PostgresServer.PASSWORD, file);
    }

    @Override
    public Connection connect(Path file) throws SQLException {
      return PostgresServer.shared().connect(url(file));
    }

    @Override
    public Dialect dialect() {
      return Dialect.POSTGRES;
    }

    private String url(Path file) {
      return PostgresServer.shared().createDatabase(nameOf(file));
    }
  };

  /** The configuration that opens the database named by {@code file}. */
  public abstract AppDbConfig config(Path file);

  /** Opens (creating and migrating) the database named by {@code file}. */
  public AppDatabase open(Path file) {
    return AppDatabase.open(config(file));
  }

  /** A connection of its own to that database, outside the app's pool: it sees only what was committed. */
  public abstract Connection connect(Path file) throws SQLException;

  public abstract Dialect dialect();

  /** A database name for a path: stable, and unique per path. */
  static String nameOf(Path file) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(file.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
      return "t_" + HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
