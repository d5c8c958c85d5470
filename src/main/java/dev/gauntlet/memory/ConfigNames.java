package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A configuration's name is unique among its kind in one user's memory, whatever its case. It is
 * checked here, inside the shard that serializes the user's writes, so two concurrent creates
 * cannot both take a name. Memories written before names were unique may hold two rows of one
 * name: both still read, and the next save of either must choose a free name.
 * Also keeps the names of configurations deleted while others still referred to them, so that
 * what refers to them can say what is gone.
 */
final class ConfigNames {

  private final Connection c;

  ConfigNames(Connection c) {
    this.c = c;
  }

  /** The name to store for {@code wanted}, or a 409 naming the name and kind. {@code exceptId}: the row being replaced. */
  String choose(ConfigKind kind, String wanted, ConfigNaming naming, String exceptId) throws SQLException {
    Set<String> taken = taken(kind, exceptId);
    if (!taken.contains(fold(wanted)) && naming != ConfigNaming.COPY) {
      return wanted;
    }
    if (naming == ConfigNaming.STRICT) {
      throw Problem.conflict("name_taken", "a " + kind.singular() + " named '" + wanted
          + "' already exists; names are unique per kind, whatever their case: choose another name");
    }
    for (int n = 1; ; n++) {
      String suffix = naming == ConfigNaming.COPY ? (n == 1 ? " (copy)" : " (copy " + n + ")") : " (" + (n + 1) + ")";
      String base = wanted.length() + suffix.length() > ConfigKind.MAX_NAME
          ? wanted.substring(0, ConfigKind.MAX_NAME - suffix.length()) : wanted;
      String candidate = base + suffix;
      if (!taken.contains(fold(candidate))) {
        return candidate;
      }
    }
  }

  /** Every id → name of every kind, and the names of deleted configurations still referred to: {table: {id: name}}. */
  JsonObject all() throws SQLException {
    JsonObject out = new JsonObject();
    for (ConfigKind kind : ConfigKind.values()) {
      JsonObject names = new JsonObject();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM " + kind.table()); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.put(rs.getString(1), rs.getString(2));
        }
      }
      out.put(kind.table(), names);
    }
    return out;
  }

  /** The names configurations had when they were deleted though still referred to: {table: {id: name}}. */
  JsonObject deleted() throws SQLException {
    JsonObject out = new JsonObject();
    try (PreparedStatement ps = c.prepareStatement("SELECT kind, id, name FROM deleted_configs"); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        JsonObject byId = out.getJsonObject(rs.getString(1));
        if (byId == null) {
          byId = new JsonObject();
          out.put(rs.getString(1), byId);
        }
        byId.put(rs.getString(2), rs.getString(3));
      }
    }
    return out;
  }

  /** The name a deleted configuration had, or null when nothing recorded it (deleted before names were kept). */
  String deletedName(ConfigKind kind, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM deleted_configs WHERE kind = ? AND id = ?")) {
      ps.setString(1, kind.table());
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  void recordDeleted(ConfigKind kind, String id, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO deleted_configs VALUES (?, ?, ?, ?)")) {
      ps.setString(1, kind.table());
      ps.setString(2, id);
      ps.setString(3, name);
      ps.setObject(4, Rows.now());
      ps.executeUpdate();
    }
  }

  private Set<String> taken(ConfigKind kind, String exceptId) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + kind.table() + " WHERE id <> ?")) {
      ps.setString(1, exceptId == null ? "" : exceptId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(fold(rs.getString(1)));
        }
      }
    }
    return out;
  }

  /** Case folded the same way for every user and locale. */
  static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static final String CREATE_DELETED = """
      CREATE TABLE IF NOT EXISTS deleted_configs (
        kind VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR NOT NULL, deleted_at TIMESTAMP NOT NULL,
        PRIMARY KEY (kind, id))""";
}
