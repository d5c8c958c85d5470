package dev.gauntlet.maintenance;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.memory.Consolidation;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemorySalt;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code gauntlet memory consolidate --from DIR [--user NAME] [--dry-run] [-conf FILE]}: merges
 * stray DuckDB files into users' memories, with Gauntlet stopped. Exit codes: 0 done, 1 a merge
 * failed, 2 usage or an unknown / missing user, 3 salt mismatch, 4 a file is locked.
 */
public final class MemoryCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int SALT = 3;
  public static final int LOCKED = 4;

  private MemoryCommand() {}

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("consolidate")) {
      err.println("usage: java -jar gauntlet.jar memory consolidate --from DIR [--user NAME] [--dry-run] [-conf FILE]");
      return USAGE;
    }
    Path from = null;
    Path conf = null;
    String user = null;
    boolean dryRun = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--dry-run")) {
        dryRun = true;
      } else if ((a.equals("--from") || a.equals("--user") || a.equals("-conf")) && i + 1 < args.length) {
        String v = args[++i];
        switch (a) {
          case "--from" -> from = Path.of(v);
          case "--user" -> user = v;
          default -> conf = Path.of(v);
        }
      } else {
        err.println("gauntlet memory consolidate: unknown argument '" + a + "'");
        return USAGE;
      }
    }
    if (from == null || !Files.isDirectory(from)) {
      err.println("gauntlet memory consolidate: --from DIR is required and must be a directory" + (from == null ? "" : " (" + from + ")"));
      return USAGE;
    }
    GauntletConfig config;
    try {
      config = GauntletConfig.load(conf, env);
    } catch (IllegalArgumentException e) {
      err.println("gauntlet: " + e.getMessage());
      return USAGE;
    }
    if (!config.appDb().postgres() && !Files.isRegularFile(config.appDatabaseFile())) {
      err.println("gauntlet memory consolidate: no app database at " + config.appDatabaseFile()
          + ": start Gauntlet once on this data directory (and register the users) first");
      return USAGE;
    }
    try (AppDatabase db = AppDatabase.open(config.appDb())) {
      MemoryPaths paths;
      try {
        paths = new MemoryPaths(config.memory().dir(), MemorySalt.resolve(config.memory().salt(), db));
      } catch (MemorySalt.Mismatch e) {
        err.println("gauntlet: " + e.getMessage());
        return SALT;
      }
      Map<String, String> fileOwners = new LinkedHashMap<>();
      try (Connection c = db.connection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT username, memory_file FROM users ORDER BY username")) {
        while (rs.next()) {
          fileOwners.put(rs.getString(2), rs.getString(1));
        }
      }
      if (user != null && !fileOwners.containsValue(user)) {
        err.println("gauntlet memory consolidate: unknown user '" + user + "': --user must name a registered user "
            + "(see GET /api/v1/admin/users); nothing was changed");
        return USAGE;
      }
      List<Path> files = strayFiles(from);
      Map<Path, String> plan = new LinkedHashMap<>();
      List<Path> unowned = new ArrayList<>();
      for (Path f : files) {
        String owner = fileOwners.get(f.getFileName().toString());
        if (owner != null) {
          out.println(f + ": skipped, it is the memory file of user '" + owner + "' (nothing to merge)");
        } else if (user != null) {
          plan.put(f, user);
        } else {
          unowned.add(f);
        }
      }
      if (!unowned.isEmpty()) {
        err.println("gauntlet memory consolidate: these files belong to no registered user; name the user to merge them into "
            + "with --user NAME (nothing was changed):");
        unowned.forEach(f -> err.println("  " + f));
        return USAGE;
      }
      if (plan.isEmpty()) {
        out.println("no stray DuckDB files to merge in " + from);
        return OK;
      }
      int code = OK;
      Map<String, List<Path>> byUser = new LinkedHashMap<>();
      plan.forEach((f, u) -> byUser.computeIfAbsent(u, k -> new ArrayList<>()).add(f));
      for (Map.Entry<String, List<Path>> e : byUser.entrySet()) {
        Path target = paths.fileFor(e.getKey());
        out.println("into user '" + e.getKey() + "' (" + target + ")" + (dryRun ? " [dry run: nothing written]" : ""));
        Connection c;
        try {
          c = Consolidation.openTarget(target);
        } catch (Consolidation.Locked l) {
          err.println("gauntlet memory consolidate: " + l.getMessage());
          return LOCKED;
        }
        try {
          for (Path f : e.getValue()) {
            try {
              print(out, Consolidation.merge(c, f, dryRun));
            } catch (Consolidation.Locked l) {
              err.println("gauntlet memory consolidate: " + l.getMessage());
              return LOCKED;
            } catch (SQLException | RuntimeException x) {
              err.println("  " + f + ": FAILED, nothing merged from it: " + x.getMessage());
              code = FAILED;
            }
          }
        } finally {
          try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
          } catch (SQLException ignored) {
            // closing still commits what was committed
          }
          c.close();
        }
      }
      out.println("originals left in place (never modified); remove them yourself once satisfied:");
      plan.keySet().forEach(f -> out.println("  " + f));
      return code;
    } catch (SQLException | IOException | RuntimeException e) {
      err.println("gauntlet memory consolidate: " + e.getMessage());
      return FAILED;
    }
  }

  static void print(PrintStream out, JsonObject report) {
    out.println("  " + report.getString("file") + ":");
    JsonObject tables = report.getJsonObject("tables");
    if (tables.isEmpty()) {
      out.println("    no PyRIT tables");
    }
    for (String t : tables.fieldNames()) {
      JsonObject r = tables.getJsonObject(t);
      out.println("    " + t + ": " + r.getLong("source") + " in source, " + r.getLong("added") + " added, "
          + r.getLong("present") + " already present"
          + (r.containsKey("missing_columns") ? "; missing columns " + r.getJsonArray("missing_columns") : "")
          + (r.containsKey("ignored_columns") ? "; ignored columns " + r.getJsonArray("ignored_columns") : "")
          + (r.containsKey("skipped") ? "; skipped: " + r.getString("skipped") : ""));
    }
  }

  /** DuckDB files in a directory (not their write-ahead logs), sorted by name. */
  public static List<Path> strayFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".db") || p.getFileName().toString().endsWith(".duckdb"))
          .sorted().toList();
    }
  }
}
