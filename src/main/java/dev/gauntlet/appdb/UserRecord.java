package dev.gauntlet.appdb;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.List;

/**
 * A registered user. {@code username} is frozen at registration and names the memory file;
 * {@code login} (local accounts) and {@code displayName} may change without moving anything.
 */
public record UserRecord(String id, String issuer, String subject, String username, String displayName,
                         List<String> roles, String memoryFile, String createdAt, String lastLoginAt, boolean disabled,
                         String login, String passwordHash, int failedAttempts, String lockedUntil,
                         boolean mustChangePassword) {

  static final String COLUMNS = "u.id, u.issuer, u.subject, u.username, u.display_name, u.roles, u.memory_file, "
      + "u.created_at, u.last_login_at, u.disabled, a.login, a.password_hash, a.failed_attempts, a.locked_until, "
      + "a.must_change_password";

  static UserRecord from(Row r) {
    return new UserRecord(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
        new JsonArray(r.getString(5)).stream().map(Object::toString).toList(), r.getString(6), r.getString(7),
        r.getString(8), r.getInteger(9) != 0, r.getString(10), r.getString(11),
        r.getInteger(12) == null ? 0 : r.getInteger(12), r.getString(13),
        r.getInteger(14) != null && r.getInteger(14) != 0);
  }

  /** What an admin or the user may see: no hash, no lock internals. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("username", username).put("login", login)
        .put("display_name", displayName).put("issuer", issuer).put("subject", subject).put("roles", new JsonArray(roles))
        .put("memory_file", memoryFile).put("created_at", createdAt).put("last_login_at", lastLoginAt)
        .put("disabled", disabled).put("must_change_password", mustChangePassword);
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }
}
