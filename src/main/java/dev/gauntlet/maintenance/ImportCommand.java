package dev.gauntlet.maintenance;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.imports.ImportRunner;
import dev.gauntlet.imports.LandingTarget;
import dev.gauntlet.memory.Consolidation;
import dev.gauntlet.memory.ImportStore;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemorySalt;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * {@code gauntlet memory import --from FILE --user NAME [--format F] [--dry-run] [-conf FILE]}:
 * another tool's file into a user's memory with Gauntlet stopped, exactly as
 * {@code POST /api/v1/imports} does it through the server. Exit codes as {@link MemoryCommand}'s.
 */
final class ImportCommand {

  static final String USAGE_LINE = "usage: java -jar gauntlet.jar memory import --from FILE --user NAME [--format F] [--dry-run] [-conf FILE]";

  private ImportCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path from = null;
    Path conf = null;
    String user = null;
    String format = null;
    boolean dryRun = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--dry-run")) {
        dryRun = true;
      } else if ((a.equals("--from") || a.equals("--user") || a.equals("--format") || a.equals("-conf")) && i + 1 < args.length) {
        String v = args[++i];
        switch (a) {
          case "--from" -> from = Path.of(v);
          case "--user" -> user = v;
          case "--format" -> format = v;
          default -> conf = Path.of(v);
        }
      } else {
        err.println("gauntlet memory import: unknown argument '" + a + "'\n" + USAGE_LINE);
        return MemoryCommand.USAGE;
      }
    }
    if (from == null || !Files.isRegularFile(from) || user == null) {
      err.println("gauntlet memory import: --from FILE (an existing file) and --user NAME are required\n" + USAGE_LINE);
      return MemoryCommand.USAGE;
    }
    GauntletConfig config;
    try {
      config = GauntletConfig.load(conf, env);
    } catch (IllegalArgumentException e) {
      err.println("gauntlet: " + e.getMessage());
      return MemoryCommand.USAGE;
    }
    if (!Files.isRegularFile(config.appDatabaseFile())) {
      err.println("gauntlet memory import: no app database at " + config.appDatabaseFile()
          + ": start Gauntlet once on this data directory (and register the users) first");
      return MemoryCommand.USAGE;
    }
    try (AppDatabase db = AppDatabase.open(config.appDatabaseFile())) {
      MemoryPaths paths;
      try {
        paths = new MemoryPaths(config.memory().dir(), MemorySalt.resolve(config.memory().salt(), db));
      } catch (MemorySalt.Mismatch e) {
        err.println("gauntlet: " + e.getMessage());
        return MemoryCommand.SALT;
      }
      try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
        ps.setString(1, user);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            err.println("gauntlet memory import: unknown user '" + user + "': --user must name a registered user; nothing was changed");
            return MemoryCommand.USAGE;
          }
        }
      }
      Path target = paths.fileFor(user);
      Connection memory;
      try {
        memory = Consolidation.openTarget(target);
      } catch (Consolidation.Locked l) {
        err.println("gauntlet memory import: " + l.getMessage());
        return MemoryCommand.LOCKED;
      }
      try {
        JsonObject report = ImportRunner.run(from, from.getFileName().toString(), format, user, dryRun,
            LandingTarget.direct(ImportStore.direct(memory)));
        print(out, user, report);
        return MemoryCommand.OK;
      } catch (Problem p) {
        err.println("gauntlet memory import: " + from + ": refused, nothing stored: " + p.getMessage());
        return MemoryCommand.FAILED;
      } finally {
        try (Statement s = memory.createStatement()) {
          s.execute("CHECKPOINT");
        } catch (java.sql.SQLException ignored) {
          // closing still keeps what was committed
        }
        memory.close();
      }
    } catch (Exception e) {
      err.println("gauntlet memory import: " + e.getMessage());
      return MemoryCommand.FAILED;
    }
  }

  static void print(PrintStream out, String user, JsonObject report) {
    out.println(report.getString("file") + " (" + report.getString("format") + ") into user '" + user + "'"
        + (report.getBoolean("dry_run") ? " [dry run: nothing stored]" : "") + ":");
    JsonObject tables = report.getJsonObject("tables");
    for (String t : tables.fieldNames()) {
      JsonObject r = tables.getJsonObject(t);
      out.println("  " + t + ": " + r.getLong("read") + " read, " + r.getLong("added") + " added, " + r.getLong("present") + " already present");
    }
    out.println("  " + report.getLong("rows") + " rows in " + report.getDouble("seconds") + " s (" + report.getLong("rows_per_second") + " rows/s)");
  }
}
