package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * Where the app database lives. {@code url} empty (the default) is the embedded SQLite file
 * {@code sqliteFile} in the data directory; a {@code jdbc:postgresql://host:port/db} URL puts it
 * on a PostgreSQL server instead (what a cluster shares), signed in as {@code user} with
 * {@code password} unless the URL carries them.
 */
public record AppDbConfig(String url, String user, String password, Path sqliteFile) {

  static AppDbConfig from(JsonObject json, Path dataDir) {
    String url = json.getString("url", "").trim();
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("appdb.url must be a jdbc:postgresql:// URL, or empty for the embedded SQLite file");
    }
    return new AppDbConfig(url, json.getString("user", ""), json.getString("password", ""), dataDir.resolve("gauntlet.db"));
  }

  /** An embedded SQLite database in this file. */
  public static AppDbConfig sqlite(Path file) {
    return new AppDbConfig("", "", "", file);
  }

  public boolean postgres() {
    return !url.isEmpty();
  }

  /** Where the database is, for messages: the file, or the URL without anything secret in it. */
  public String describe() {
    return postgres() ? url.replaceAll("(?i)(password=)[^&]*", "$1***") : sqliteFile.toString();
  }

  @Override
  public String toString() {
    return "AppDbConfig[" + describe() + ", user " + user + "]";
  }
}
