package dev.gauntlet.auth;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.memory.MemoryPaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Local accounts: creation, sign-in with lock-out, and the first admin. */
public final class Accounts {

  public static final Set<String> ROLES = Set.of("admin", "user");
  static final int MAX_FAILURES = 5;
  static final long LOCK_SECONDS = 15 * 60;
  private static final String DUMMY_HASH = Passwords.hash("not a password of anyone");

  private final Vertx vertx;
  private final Users users;
  private final MemoryPaths paths;
  private final Authenticator authenticator;
  private Path initialPasswordFile;

  /** The file the first admin's generated password was written to, removed once that admin sets their own. */
  public static final String INITIAL_PASSWORD_FILE = "initial-admin-password";

  public Accounts(Vertx vertx, Users users, MemoryPaths paths, Authenticator authenticator) {
    this.vertx = vertx;
    this.users = users;
    this.paths = paths;
    this.authenticator = authenticator;
  }

  /** Checks a login and password and answers with a bearer token. */
  public Future<JsonObject> signIn(String login, String password) {
    // a name typed with combining accents is the same name as with precomposed letters
    return users.byLogin(java.text.Normalizer.normalize(login, java.text.Normalizer.Form.NFC)).compose(found -> {
      UserRecord u = found.orElse(null);
      String hash = u == null ? DUMMY_HASH : u.passwordHash();
      // verify even for unknown logins, so timing does not reveal which logins exist
      return vertx.executeBlocking(() -> Passwords.verify(password, hash), false).compose(ok -> {
        if (u == null || u.disabled()) {
          return Future.failedFuture(Problem.unauthorized("unknown login or wrong password"));
        }
        if (u.lockedUntil() != null && Instant.parse(u.lockedUntil()).isAfter(Instant.now())) {
          return Future.failedFuture(Problem.tooManyRequests("account_locked",
              "too many failed sign-ins; the account is locked until " + u.lockedUntil(),
              java.time.Duration.between(Instant.now(), Instant.parse(u.lockedUntil())).toSeconds() + 1));
        }
        if (!ok) {
          // a lock that has run out starts the count again: one more mistake does not lock at once
          boolean lockEnded = u.lockedUntil() != null;
          return users.recordFailure(u.id(), MAX_FAILURES, LOCK_SECONDS, lockEnded)
              .compose(v -> Future.failedFuture(Problem.unauthorized("unknown login or wrong password")));
        }
        return users.recordLogin(u.id()).map(v -> new JsonObject()
            .put("access_token", authenticator.issueToken(u)).put("token_type", "Bearer")
            .put("expires_in", authenticator.tokenTtlSeconds()));
      });
    });
  }

  /** Where the generated first-admin password lies, so that changing it removes the file. */
  public Accounts withInitialPasswordFile(Path file) {
    this.initialPasswordFile = file;
    return this;
  }

  /**
   * A signed-in local user replaces their own password, giving the current one. When the account
   * had to (its password was generated), the flag clears and the generated password's file goes.
   */
  public Future<Void> changeOwnPassword(String userId, Object current, Object wanted) {
    if (!(current instanceof String c)) {
      throw Problem.badRequest("invalid_field", "'current_password' is required");
    }
    if (!(wanted instanceof String next) || next.length() < 8 || next.length() > 1024) {
      throw Problem.badRequest("invalid_field", "'new_password' must be a string of 8 to 1024 characters");
    }
    if (next.equals(c)) {
      throw Problem.badRequest("same_password", "the new password must differ from the current one");
    }
    return users.byId(userId).compose(found -> {
      UserRecord u = found.orElse(null);
      if (u == null || u.passwordHash() == null) {
        return Future.failedFuture(Problem.badRequest("no_local_account",
            "this account signs in through the identity provider; change the password there"));
      }
      return vertx.executeBlocking(() -> Passwords.verify(c, u.passwordHash()) ? Passwords.hash(next) : null, false).compose(hash -> hash == null
          ? Future.failedFuture(new Problem(403, "wrong_password", "the current password is wrong"))
          : users.changePassword(userId, hash).compose(v -> u.mustChangePassword() && initialPasswordFile != null
              ? vertx.executeBlocking(() -> Files.deleteIfExists(initialPasswordFile), false).<Void>mapEmpty()
              : Future.<Void>succeededFuture()));
    });
  }

  public Future<UserRecord> createLocal(JsonObject body) {
    String username = requireUsername(body.getValue("username"));
    String password = requirePassword(body.getValue("password"));
    List<String> roles = requireRoles(body.getValue("roles"));
    return vertx.executeBlocking(() -> Passwords.hash(password), false)
        .compose(hash -> users.createLocal(username, hash, roles, paths.fileName(username)));
  }

  public Future<String> hashPassword(Object password) {
    String p = requirePassword(password);
    return vertx.executeBlocking(() -> Passwords.hash(p), false);
  }

  static String requireUsername(Object value) {
    return Usernames.require(value, "username");
  }

  /** A new login: any script, in its NFC form, as usernames are (a login renames, it never moves a memory). */
  public static String requireLogin(Object value) {
    return Usernames.require(value, "login");
  }

  static String requirePassword(Object value) {
    if (!(value instanceof String s) || s.length() < 8 || s.length() > 1024) {
      throw Problem.badRequest("invalid_field", "'password' must be a string of 8 to 1024 characters");
    }
    return s;
  }

  public static List<String> requireRoles(Object value) {
    if (value == null) {
      return List.of("user");
    }
    if (!(value instanceof JsonArray a) || a.isEmpty() || !a.stream().allMatch(r -> r instanceof String s && ROLES.contains(s))) {
      throw Problem.badRequest("invalid_field", "'roles' must be a non-empty array of " + ROLES);
    }
    return a.stream().map(Object::toString).distinct().sorted().toList();
  }

  /**
   * Creates {@code admin} on the first start: with the configured password, or a random one
   * printed once and written to {@code initial-admin-password} (mode 0600) in the data dir.
   * Returns the generated password, or null when none was generated.
   */
  public static String bootstrapAdmin(AppDatabase db, MemoryPaths paths, String configuredPassword, Path dataDir) {
    try {
      boolean generated = configuredPassword == null || configuredPassword.isEmpty();
      String password = generated ? Passwords.generate() : requirePassword(configuredPassword);
      boolean created = db.inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM users"); ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return false;
          }
        }
        String id = Users.insertLocal(c, "admin", Passwords.hash(password), List.of("admin", "user"), paths.fileName("admin"));
        if (generated) {
          // a password that was printed and written to disk is nobody's secret: its owner replaces it first
          try (PreparedStatement must = c.prepareStatement("UPDATE local_accounts SET must_change_password = 1 WHERE user_id = ?")) {
            must.setString(1, id);
            must.executeUpdate();
          }
        }
        return true;
      });
      if (!created) {
        leftoverInitialPassword(db, dataDir.resolve(INITIAL_PASSWORD_FILE));
        return null;
      }
      if (!generated) {
        return null;
      }
      writePrivate(dataDir.resolve(INITIAL_PASSWORD_FILE), password + "\n");
      return password;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot create the first admin: " + e.getMessage(), e);
    }
  }

  /**
   * An installation from before the forced change may still hold {@code initial-admin-password}:
   * if its password still opens {@code admin}, that account must replace it as a new one would;
   * if it opens nothing any more, the file is only a stale secret and is removed.
   */
  static void leftoverInitialPassword(AppDatabase db, Path file) throws SQLException, IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    String password = Files.readString(file, StandardCharsets.UTF_8).trim();
    boolean stillOpens = db.inTransaction(c -> {
      String id;
      String hash;
      try (PreparedStatement ps = c.prepareStatement("SELECT a.user_id, a.password_hash FROM local_accounts a "
          + "JOIN users u ON u.id = a.user_id WHERE u.username = 'admin'"); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        id = rs.getString(1);
        hash = rs.getString(2);
      }
      if (!Passwords.verify(password, hash)) {
        return false;
      }
      try (PreparedStatement must = c.prepareStatement("UPDATE local_accounts SET must_change_password = 1 WHERE user_id = ?")) {
        must.setString(1, id);
        must.executeUpdate();
      }
      return true;
    });
    if (!stillOpens) {
      Files.delete(file);
    }
  }

  /** The key that signs access tokens, generated once and kept in the app database. */
  public static String tokenSecret(AppDatabase db) {
    return db.setting("auth.token.secret").orElseGet(() -> {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      String encoded = Base64.getEncoder().encodeToString(secret);
      db.putSetting("auth.token.secret", encoded);
      return encoded;
    });
  }

  static void writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
