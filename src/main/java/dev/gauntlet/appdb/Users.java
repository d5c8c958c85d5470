package dev.gauntlet.appdb;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Users and their local accounts. */
public final class Users {

  public static final String LOCAL_ISSUER = "local";
  private static final String SELECT = "SELECT " + UserRecord.COLUMNS
      + " FROM users u LEFT JOIN local_accounts a ON a.user_id = u.id ";

  private final Pool pool;
  private final AppDatabase db;
  private final Vertx vertx;
  /** SQL: some enabled user other than the one bound to the next parameter holds the admin role. */
  private final String otherEnabledAdmin;
  /** SQL: the user bound to the next parameter holds the admin role. */
  private final String holdsAdmin;

  public Users(Vertx vertx, AppDatabase db, Pool pool) {
    this.vertx = vertx;
    this.db = db;
    this.pool = pool;
    this.otherEnabledAdmin = "EXISTS (SELECT 1 FROM users o WHERE o.id <> ? AND o.disabled = 0 AND "
        + db.dialect().jsonArrayContains("o.roles", "'admin'") + ")";
    this.holdsAdmin = db.dialect().jsonArrayContains("users.roles", "'admin'");
  }

  public Future<Optional<UserRecord>> byId(String id) {
    return one(SELECT + "WHERE u.id = ?", Tuple.of(id));
  }

  /** The user whose frozen username (the one memory files and runs are owned by) this is. */
  public Future<Optional<UserRecord>> byUsername(String username) {
    return one(SELECT + "WHERE u.username = ?", Tuple.of(username));
  }

  /** Whether the user is an enabled admin now: what the egress policy asks before opening loopback. */
  public Future<Boolean> isAdmin(String username) {
    return byUsername(username).map(u -> u.isPresent() && !u.get().disabled() && u.get().roles().contains("admin"));
  }

  public Future<Optional<UserRecord>> byLogin(String login) {
    // logins are unique regardless of case, on either database
    return one(SELECT + "WHERE lower(a.login) = lower(?)", Tuple.of(login));
  }

  /** The user an identity provider's subject is registered as. */
  public Future<Optional<UserRecord>> byIdentity(String issuer, String subject) {
    return one(SELECT + "WHERE u.issuer = ? AND u.subject = ?", Tuple.of(issuer, subject));
  }

  public Future<List<UserRecord>> list() {
    return pool.preparedQuery(SELECT + "ORDER BY u.created_at, u.username").execute().map(Users::all);
  }

  public Future<Long> count() {
    return pool.query("SELECT count(*) FROM users").execute().map(rs -> rs.iterator().next().getLong(0));
  }

  public Future<List<String>> memoryFiles() {
    return pool.query("SELECT memory_file FROM users").execute().map(rs -> {
      List<String> files = new ArrayList<>();
      rs.forEach(r -> files.add(r.getString(0)));
      return files;
    });
  }

  /** Registers a local user: the login becomes the frozen username that names the memory file. */
  public Future<UserRecord> createLocal(String username, String passwordHash, List<String> roles, String memoryFile) {
    return db.inTransaction(vertx, c -> insertLocal(c, username, passwordHash, roles, memoryFile))
        .recover(t -> Future.failedFuture(isUnique(t)
            ? Problem.conflict("user_exists", "a user or login named '" + username + "' already exists") : t))
        .compose(this::byId).map(Optional::orElseThrow);
  }

  /** Inserts a local user and account inside the caller's transaction; returns the new id. */
  public static String insertLocal(Connection c, String username, String passwordHash, List<String> roles,
                                   String memoryFile) throws SQLException {
    String id = UUID.randomUUID().toString();
    String now = Instant.now().toString();
    try (PreparedStatement u = c.prepareStatement(
        "INSERT INTO users (id, issuer, subject, username, display_name, roles, memory_file, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
         PreparedStatement a = c.prepareStatement(
             "INSERT INTO local_accounts (user_id, login, password_hash, password_changed_at) VALUES (?, ?, ?, ?)")) {
      u.setString(1, id);
      u.setString(2, LOCAL_ISSUER);
      u.setString(3, id);
      u.setString(4, username);
      u.setString(5, username);
      u.setString(6, new JsonArray(roles).encode());
      u.setString(7, memoryFile);
      u.setString(8, now);
      u.executeUpdate();
      a.setString(1, id);
      a.setString(2, username);
      a.setString(3, passwordHash);
      a.setString(4, now);
      a.executeUpdate();
    }
    return id;
  }

  /**
   * Registers a provider's subject on its first sign-in. The username is frozen here, from the
   * wanted name: taken as it is if no user or local login has it (ignoring case), otherwise with
   * the first free suffix {@code -2}, {@code -3}, ... so that nobody signs in to another's memory.
   * A concurrent first sign-in of the same subject finds the row the other one wrote.
   */
  public Future<UserRecord> registerIdentity(String issuer, String subject, String wanted, String displayName,
                                             List<String> roles, Function<String, String> memoryFileOf) {
    // a concurrent registration that won the race makes ours fail on a unique column: once more finds or avoids it
    return insertIdentity(issuer, subject, wanted, displayName, roles, memoryFileOf)
        .recover(t -> isUnique(t) ? insertIdentity(issuer, subject, wanted, displayName, roles, memoryFileOf) : Future.failedFuture(t))
        .compose(this::byId).map(Optional::orElseThrow);
  }

  private Future<String> insertIdentity(String issuer, String subject, String wanted, String displayName,
                                        List<String> roles, Function<String, String> memoryFileOf) {
    return db.inTransaction(vertx, c -> {
      try (PreparedStatement find = c.prepareStatement("SELECT id FROM users WHERE issuer = ? AND subject = ?")) {
        find.setString(1, issuer);
        find.setString(2, subject);
        try (ResultSet rs = find.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
      String username = freeUsername(c, wanted);
      String id = UUID.randomUUID().toString();
      String now = Instant.now().toString();
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id, issuer, subject, username, display_name, roles, "
          + "memory_file, created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        u.setString(1, id);
        u.setString(2, issuer);
        u.setString(3, subject);
        u.setString(4, username);
        u.setString(5, displayName);
        u.setString(6, new JsonArray(roles).encode());
        u.setString(7, memoryFileOf.apply(username));
        u.setString(8, now);
        u.setString(9, now);
        u.executeUpdate();
      }
      return id;
    });
  }

  private static String freeUsername(Connection c, String wanted) throws SQLException {
    try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM users WHERE lower(username) = lower(?) "
        + "UNION ALL SELECT 1 FROM local_accounts WHERE lower(login) = lower(?)")) {
      for (int n = 1; n <= 1000; n++) {
        String candidate = n == 1 ? wanted : wanted + "-" + n;
        taken.setString(1, candidate);
        taken.setString(2, candidate);
        try (ResultSet rs = taken.executeQuery()) {
          if (!rs.next()) {
            return candidate;
          }
        }
      }
    }
    throw Problem.conflict("user_exists", "no free username near '" + wanted + "'");
  }

  /** A sign-in through the provider: the roles and display name follow the provider; the username stays. */
  public Future<Void> recordIdentitySignIn(String id, List<String> roles, String displayName) {
    return update("UPDATE users SET roles = ?, display_name = ?, last_login_at = ? WHERE id = ?",
        Tuple.of(new JsonArray(roles).encode(), displayName, Instant.now().toString(), id), id);
  }

  /** Changes what a local user signs in with; the username, and so the memory file, stay. */
  public Future<Void> changeLogin(String id, String login) {
    return pool.preparedQuery("UPDATE local_accounts SET login = ? WHERE user_id = ?").execute(Tuple.of(login, id))
        .recover(t -> Future.failedFuture(isUnique(t)
            ? Problem.conflict("login_exists", "the login '" + login + "' is taken") : t))
        .compose(rs -> rs.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(Problem.notFound("local account", id)));
  }

  public Future<Void> changeDisplayName(String id, String displayName) {
    return update("UPDATE users SET display_name = ? WHERE id = ?", Tuple.of(displayName, id), id);
  }

  /**
   * Changes a user's roles, in one statement that refuses to take the admin role from the last
   * enabled user holding it (a disabled admin does not count): an installation always keeps an
   * admin (and `gauntlet admin grant` restores one offline if the app database was edited by hand).
   */
  public Future<Void> changeRoles(String id, List<String> roles) {
    String json = new JsonArray(roles).encode();
    return pool.preparedQuery("UPDATE users SET roles = ? WHERE id = ? AND (" + db.dialect().jsonArrayContains("?", "'admin'")
            + " OR " + otherEnabledAdmin + ")").execute(Tuple.of(json, id, json, id))
        .compose(rs -> rs.rowCount() == 1 ? Future.<Void>succeededFuture() : byId(id).compose(u -> Future.failedFuture(u.isEmpty()
            ? Problem.notFound("user", id)
            : Problem.conflict("last_admin", "'" + u.get().username() + "' is the only enabled admin: make another user an admin first"))));
  }

  /**
   * Disables or enables a user. Disabling is one statement that refuses the last enabled admin,
   * as {@link #changeRoles} does; the user's sessions go with it, and their tokens and keys stop
   * working at once because every request reads the flag.
   */
  public Future<Void> setDisabled(String id, boolean disabled) {
    Future<RowSet<Row>> done = disabled
        ? pool.preparedQuery("UPDATE users SET disabled = 1 WHERE id = ? AND (NOT " + holdsAdmin + " OR " + otherEnabledAdmin + ")")
            .execute(Tuple.of(id, id))
        : pool.preparedQuery("UPDATE users SET disabled = 0 WHERE id = ?").execute(Tuple.of(id));
    return done.compose(rs -> rs.rowCount() == 1 ? Future.<Void>succeededFuture() : lastAdminOrMissing(id))
        .compose(v -> disabled ? dropSessions(id) : Future.<Void>succeededFuture());
  }

  /**
   * Removes a user's row, local account, API keys and sessions in one transaction, refusing the
   * last enabled admin. The memory file is the caller's to archive first (see
   * {@code Administration.deleteUser}); the username is free again afterwards, and a new user of
   * that name starts with a new, empty memory at the same path.
   */
  public Future<UserRecord> delete(String id) {
    return byId(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Problem.notFound("user", id));
      }
      return db.inTransaction(vertx, c -> {
        try (PreparedStatement guard = c.prepareStatement("SELECT 1 FROM users WHERE id = ? AND (NOT " + holdsAdmin + " OR "
            + otherEnabledAdmin + ")")) {
          guard.setString(1, id);
          guard.setString(2, id);
          try (ResultSet rs = guard.executeQuery()) {
            if (!rs.next()) {
              return false;
            }
          }
        }
        for (String sql : List.of("DELETE FROM api_keys WHERE user_id = ?", "DELETE FROM local_accounts WHERE user_id = ?",
            "DELETE FROM " + SESSIONS + " WHERE user_id = ?", "DELETE FROM users WHERE id = ?")) {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.executeUpdate();
          }
        }
        return true;
      }).compose(deleted -> deleted ? Future.succeededFuture(found.get()) : lastAdminOrMissing(id).map(found.get()));
    });
  }

  /** Refuses the last enabled admin: it is a user who exists and is an admin, or there is no such user. */
  public Future<Void> refuseLastAdmin(String id) {
    return pool.preparedQuery("SELECT 1 FROM users WHERE id = ? AND (NOT " + holdsAdmin + " OR " + otherEnabledAdmin + ")")
        .execute(Tuple.of(id, id)).compose(rs -> rs.size() == 1 ? Future.<Void>succeededFuture() : lastAdminOrMissing(id));
  }

  private Future<Void> lastAdminOrMissing(String id) {
    return byId(id).compose(u -> Future.failedFuture(u.isEmpty()
        ? Problem.notFound("user", id)
        : Problem.conflict("last_admin", "'" + u.get().username() + "' is the only enabled admin: make another user an admin first")));
  }

  /** The table of browser sessions (see {@code Sessions}). */
  static final String SESSIONS = "web_sessions";

  private Future<Void> dropSessions(String id) {
    return pool.preparedQuery("DELETE FROM " + SESSIONS + " WHERE user_id = ?").execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> changePassword(String id, String passwordHash) {
    return update("UPDATE local_accounts SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, locked_until = NULL, "
            + "must_change_password = 0 WHERE user_id = ?",
        Tuple.of(passwordHash, Instant.now().toString(), id), id);
  }

  public Future<Void> recordLogin(String id) {
    return pool.preparedQuery("UPDATE users SET last_login_at = ? WHERE id = ?").execute(Tuple.of(Instant.now().toString(), id))
        .compose(v -> pool.preparedQuery("UPDATE local_accounts SET failed_attempts = 0, locked_until = NULL WHERE user_id = ?")
            .execute(Tuple.of(id)))
        .mapEmpty();
  }

  /**
   * Counts a failed sign-in and locks the account for {@code lockSeconds} once {@code maxFailures}
   * is reached; after a lock has ended ({@code lockEnded}) the count starts again from this failure.
   */
  public Future<Void> recordFailure(String id, int maxFailures, long lockSeconds, boolean lockEnded) {
    String lockUntil = Instant.now().plusSeconds(lockSeconds).toString();
    String count = lockEnded ? "1" : "failed_attempts + 1";
    return pool.preparedQuery("UPDATE local_accounts SET failed_attempts = " + count + ", "
            + "locked_until = CASE WHEN " + count + " >= ? THEN ? ELSE " + (lockEnded ? "NULL" : "locked_until") + " END WHERE user_id = ?")
        .execute(Tuple.of(maxFailures, lockUntil, id)).mapEmpty();
  }

  private Future<Void> update(String sql, Tuple args, String id) {
    return pool.preparedQuery(sql).execute(args)
        .compose(rs -> rs.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(Problem.notFound("user", id)));
  }

  private Future<Optional<UserRecord>> one(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rs -> {
      List<UserRecord> all = all(rs);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    });
  }

  private static List<UserRecord> all(RowSet<Row> rs) {
    List<UserRecord> out = new ArrayList<>();
    rs.forEach(r -> out.add(UserRecord.from(r)));
    return out;
  }

  static boolean isUnique(Throwable t) {
    return Dialect.isUniqueViolation(t);
  }
}
