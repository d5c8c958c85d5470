package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.maintenance.MemoryCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.files.UserFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maintenance for admins inside the running server: consolidating stray memory files, online backups. */
final class Maintenance {

  private final Vertx vertx;
  private final Users users;
  private final MemoryClient memory;
  private final AppDatabase db;
  private final UserFiles files;

  Maintenance(Vertx vertx, Users users, MemoryClient memory, AppDatabase db, UserFiles files) {
    this.vertx = vertx;
    this.users = users;
    this.memory = memory;
    this.db = db;
    this.files = files;
  }

  /**
   * {@code {"from": DIR, "user": NAME?, "dry_run": bool}}: merges each stray DuckDB file in DIR
   * into the user's memory through the user's shard, so the user's one connection does it.
   */
  Future<JsonObject> consolidate(Caller caller, JsonObject body) {
    if (!(body.getValue("from") instanceof String from) || from.isEmpty()) {
      throw Problem.badRequest("invalid_field", "'from' must name a directory on the server");
    }
    Object userValue = body.getValue("user");
    if (userValue != null && !(userValue instanceof String)) {
      throw Problem.badRequest("invalid_field", "'user' must be a username");
    }
    String user = (String) userValue;
    boolean dryRun = Boolean.TRUE.equals(body.getValue("dry_run"));
    Future<List<Path>> files = vertx.executeBlocking(() -> {
      Path dir;
      try {
        dir = Path.of(from);
      } catch (java.nio.file.InvalidPathException e) {
        throw Problem.badRequest("not_a_directory", "'from' is not a path on the server: " + e.getReason());
      }
      if (!Files.isDirectory(dir)) {
        throw Problem.badRequest("not_a_directory", "'" + from + "' is not a directory on the server");
      }
      return MemoryCommand.strayFiles(dir);
    }, false);
    return Future.all(files, users.list()).compose(all -> {
      List<UserRecord> registered = all.resultAt(1);
      Map<String, UserRecord> byFile = new HashMap<>();
      registered.forEach(u -> byFile.put(u.memoryFile(), u));
      Optional<UserRecord> target = registered.stream().filter(u -> u.username().equals(user)).findFirst();
      if (user != null && target.isEmpty()) {
        return Future.failedFuture(Problem.badRequest("unknown_user", "unknown user '" + user + "': 'user' must name a registered user"));
      }
      JsonArray skipped = new JsonArray();
      List<Path> plan = new ArrayList<>();
      JsonArray unowned = new JsonArray();
      for (Path f : files.result()) {
        UserRecord owner = byFile.get(f.getFileName().toString());
        if (owner != null) {
          skipped.add(new JsonObject().put("file", f.toString()).put("reason", "the memory file of user '" + owner.username() + "'"));
        } else if (target.isPresent()) {
          plan.add(f);
        } else {
          unowned.add(f.toString());
        }
      }
      if (!unowned.isEmpty()) {
        return Future.failedFuture(Problem.badRequest("user_required",
            "these files belong to no registered user; name the user to merge them into with 'user' (nothing was changed): "
                + unowned.encode()));
      }
      JsonArray reports = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (Path f : plan) {
        UserRecord u = target.get();
        chain = chain.compose(v -> memory.file(new MemoryOwner(u.username(), u.memoryFile())).consolidate(f, dryRun)).map(r -> {
              reports.add(r);
              return null;
            });
      }
      return chain.map(v -> new JsonObject().put("user", user).put("dry_run", dryRun).put("files", reports)
          .put("skipped", skipped)
          .put("originals", new JsonArray(plan.stream().map(Path::toString).toList())));
    });
  }

  /**
   * {@code {"user": NAME?}}: a consistent copy, while the server runs, of the app database
   * ({@code VACUUM INTO}) and of the user's memory (or every user's), each memory copied by its
   * shard between two of the user's operations, under {@code files/backups/<timestamp>/}.
   */
  Future<JsonObject> backup(Caller caller, JsonObject body) {
    Object userValue = body.getValue("user");
    if (userValue != null && !(userValue instanceof String)) {
      throw Problem.badRequest("invalid_field", "'user' must be a username");
    }
    String user = (String) userValue;
    java.time.Instant at = java.time.Instant.now();
    JsonArray written = new JsonArray();
    return users.list().compose(all -> {
      List<UserRecord> chosen = user == null ? all : all.stream().filter(u -> u.username().equals(user)).toList();
      if (user != null && chosen.isEmpty()) {
        return Future.failedFuture(Problem.notFound("user", user));
      }
      return vertx.executeBlocking(() -> {
        Path dir = files.adminBackupDir(at);
        Path app = dir.resolve("gauntlet.db");
        if (db.dialect() == dev.gauntlet.appdb.Dialect.SQLITE) {
          try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("VACUUM INTO '" + app.toAbsolutePath().toString().replace("'", "''") + "'");
          }
          written.add(new JsonObject().put("file", app.toString()).put("size_bytes", Files.size(app)));
        } else {
          // a server's database is backed up by the server's own tools, with its users and grants
          written.add(new JsonObject().put("app_database", db.location()).put("note", "on PostgreSQL: back it up with pg_dump"));
        }
        Path key = db.file().resolveSibling("secret.key");
        if (Files.isRegularFile(key)) {
          Path copy = Files.copy(key, dir.resolve("secret.key"));
          written.add(new JsonObject().put("file", copy.toString()).put("size_bytes", Files.size(copy)));
        }
        return dir;
      }, false).compose(dir -> {
        List<Future<JsonObject>> copies = new ArrayList<>();
        for (UserRecord u : chosen) {
          copies.add(memory.file(new MemoryOwner(u.username(), u.memoryFile())).backup(dir.resolve("memory").resolve(u.memoryFile())));
        }
        return Future.all(copies).map(done -> {
          copies.forEach(f -> written.add(f.result()));
          return new JsonObject().put("dir", dir.toAbsolutePath().toString()).put("files", written);
        });
      });
    });
  }
}
