package dev.gauntlet.maintenance;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.auth.Passwords;
import dev.gauntlet.config.GauntletConfig;
import io.vertx.core.json.JsonArray;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recovers an installation offline, with Gauntlet stopped, from the app database itself:
 * {@code admin reset-password USER} gives a user a new generated password (printed once) and
 * ends any lock-out; {@code admin grant USER admin} gives a user the admin role. For the day the
 * only admin forgot their password or an edit of the database left no admin.
 */
public final class AdminCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  private static final String USAGE_TEXT = "usage: java -jar gauntlet.jar admin reset-password USER [-conf FILE]\n"
      + "       java -jar gauntlet.jar admin grant USER admin [-conf FILE]";

  private AdminCommand() {}

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> words = new ArrayList<>();
    Path conf = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-conf") && i + 1 < args.length) {
        conf = Path.of(args[++i]);
      } else {
        words.add(args[i]);
      }
    }
    boolean reset = words.size() == 2 && words.get(0).equals("reset-password");
    boolean grant = words.size() == 3 && words.get(0).equals("grant") && words.get(2).equals("admin");
    if (!reset && !grant) {
      err.println(USAGE_TEXT);
      return USAGE;
    }
    String user = words.get(1);
    GauntletConfig config;
    try {
      config = GauntletConfig.load(conf, env);
    } catch (IllegalArgumentException e) {
      err.println("gauntlet: " + e.getMessage());
      return USAGE;
    }
    if (!config.appDb().postgres() && !Files.isRegularFile(config.appDatabaseFile())) {
      err.println("gauntlet admin: no app database at " + config.appDatabaseFile());
      return USAGE;
    }
    try (AppDatabase db = AppDatabase.open(config.appDb())) {
      return db.inTransaction(c -> {
        String id = userId(c, user);
        if (id == null) {
          err.println("gauntlet admin: no user named '" + user + "'");
          return FAILED;
        }
        if (reset) {
          String password = Passwords.generate();
          try (PreparedStatement p = c.prepareStatement("UPDATE local_accounts SET password_hash = ?, password_changed_at = ?, "
              + "failed_attempts = 0, locked_until = NULL WHERE user_id = ?")) {
            p.setString(1, Passwords.hash(password));
            p.setString(2, Instant.now().toString());
            p.setString(3, id);
            if (p.executeUpdate() != 1) {
              err.println("gauntlet admin: '" + user + "' signs in through single sign-on; reset the password at the provider");
              return FAILED;
            }
          }
          out.println("new password for '" + user + "' (shown once): " + password);
          return OK;
        }
        JsonArray roles = roles(c, id);
        if (!roles.contains("admin")) {
          roles.add("admin");
          try (PreparedStatement p = c.prepareStatement("UPDATE users SET roles = ? WHERE id = ?")) {
            p.setString(1, roles.encode());
            p.setString(2, id);
            p.executeUpdate();
          }
        }
        out.println("'" + user + "' has the roles " + roles.encode());
        return OK;
      });
    } catch (SQLException | RuntimeException e) {
      err.println("gauntlet admin: " + e.getMessage());
      return FAILED;
    }
  }

  /** The user by frozen username, or else by local login. */
  private static String userId(Connection c, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT id FROM users WHERE username = ? "
        + "UNION ALL SELECT user_id FROM local_accounts WHERE lower(login) = lower(?) LIMIT 1")) {
      p.setString(1, name);
      p.setString(2, name);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static JsonArray roles(Connection c, String id) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT roles FROM users WHERE id = ?")) {
      p.setString(1, id);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return new JsonArray(rs.getString(1));
      }
    }
  }
}
