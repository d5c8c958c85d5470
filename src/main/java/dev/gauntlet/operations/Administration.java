package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.appdb.SwitchEventLog;
import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.files.UserFiles;
import dev.gauntlet.appdb.ExecutionIndex;
import dev.gauntlet.orchestrator.OrchestratorClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.gauntlet.auth.Caller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Users, memory health, audit and the caches, for admins. */
final class Administration {

  private final Vertx vertx;
  private final Accounts accounts;
  private final Users users;
  private final AuditLog audit;
  private final SwitchEventLog switchEvents;
  private final MemoryClient memory;
  private final OrchestratorClient orchestrators;
  private final MemoryPaths paths;
  private final UserFiles files;
  private final ExecutionIndex executions;

  Administration(Vertx vertx, Accounts accounts, Users users, AuditLog audit, SwitchEventLog switchEvents,
                 MemoryClient memory, OrchestratorClient orchestrators, MemoryPaths paths, UserFiles files, ExecutionIndex executions) {
    this.files = files;
    this.executions = executions;
    this.orchestrators = orchestrators;
    this.vertx = vertx;
    this.accounts = accounts;
    this.users = users;
    this.audit = audit;
    this.switchEvents = switchEvents;
    this.memory = memory;
    this.paths = paths;
  }

  Future<JsonObject> createUser(Caller c, JsonObject a) {
    return accounts.createLocal(a).map(UserRecord::toJson);
  }

  Future<JsonObject> listUsers(Caller c, JsonObject a) {
    return users.list().map(list ->
        new JsonObject().put("items", new JsonArray(list.stream().map(UserRecord::toJson).toList())));
  }

  /** Changes login, display name, roles or password. The username and memory file never change. */
  Future<JsonObject> updateUser(Caller c, JsonObject a) {
    String id = Args.id(a);
    JsonObject body = a.copy();
    body.remove("id");
    if (body.containsKey("username")) {
      throw Problem.badRequest("immutable_field", "'username' is fixed at registration (it names the user's memory); change 'login' instead");
    }
    Future<Void> done = users.byId(id).compose(u -> u.isPresent() ? Future.<Void>succeededFuture()
        : Future.failedFuture(Problem.notFound("user", id)));
    if (body.containsKey("login")) {
      String login = Accounts.requireLogin(body.getValue("login"));
      done = done.compose(v -> users.changeLogin(id, login));
    }
    if (body.containsKey("display_name")) {
      Object name = body.getValue("display_name");
      if (!(name instanceof String n) || n.length() > 200) {
        throw Problem.badRequest("invalid_field", "'display_name' must be a string of at most 200 characters");
      }
      done = done.compose(v -> users.changeDisplayName(id, n));
    }
    if (body.containsKey("roles")) {
      List<String> roles = Accounts.requireRoles(body.getValue("roles"));
      done = done.compose(v -> users.changeRoles(id, roles));
    }
    if (body.containsKey("password")) {
      Future<String> hash = accounts.hashPassword(body.getValue("password"));
      done = done.compose(v -> hash).compose(h -> users.changePassword(id, h));
    }
    return done.compose(v -> users.byId(id)).map(u -> u.orElseThrow().toJson());
  }

  /** Disables a user: their sessions end, their tokens and keys are refused from the next request on. */
  Future<JsonObject> disableUser(Caller c, JsonObject a) {
    String id = Args.id(a);
    return users.setDisabled(id, true).compose(v -> users.byId(id)).map(u -> u.orElseThrow().toJson());
  }

  Future<JsonObject> enableUser(Caller c, JsonObject a) {
    String id = Args.id(a);
    return users.setDisabled(id, false).compose(v -> users.byId(id)).map(u -> u.orElseThrow().toJson());
  }

  /**
   * Deletes a user. Their memory is never erased: the shard that owns it closes it and moves it to
   * {@code archive/<username>-<time>/} beside the memory folder (the same disk, so the move is a
   * rename), with their files folder; only then do the rows go. A running execution would write
   * on into a new file, so the user's executions must end first.
   */
  Future<JsonObject> deleteUser(Caller c, JsonObject a) {
    String id = Args.id(a);
    return users.byId(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Problem.notFound("user", id));
      }
      UserRecord u = found.get();
      MemoryOwner owner = new MemoryOwner(u.username(), u.memoryFile());
      Path dir = archiveDir(u.username());
      return users.refuseLastAdmin(id)
          .compose(v -> executions.unfinished())
          .compose(open -> open.stream().anyMatch(e -> e.owner().username().equals(u.username()))
              ? Future.failedFuture(Problem.conflict("executions_running",
                  "'" + u.username() + "' has executions still queued or running: cancel them first"))
              : Future.succeededFuture())
          // disabled first, so nothing the user holds can reopen the memory while it moves
          .compose(v -> users.setDisabled(id, true))
          .compose(v -> memory.file(owner).archive(dir))
          .compose(moved -> vertx.executeBlocking(() -> archiveFiles(u.username(), dir), false).map(moved))
          .compose(moved -> users.delete(id).map(moved))
          .map(moved -> new JsonObject().put("deleted", id).put("username", u.username())
              .put("archive", dir.toString()).put("files", moved.getJsonArray("files")));
    });
  }

  /** A new folder name for a deleted user's memory: the name (made safe for a path) and the time. */
  Path archiveDir(String username) {
    String safe = username.replaceAll("[^\\p{L}\\p{M}\\p{N}._@-]", "_").replaceAll("^\\.+", "_");
    String at = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.now());
    Path root = archiveRoot();
    Path dir = root.resolve(safe + "-" + at);
    for (int n = 2; Files.exists(dir); n++) {
      dir = root.resolve(safe + "-" + at + "-" + n);
    }
    return dir;
  }

  /** Where deleted users' memories go: {@code archive/} beside the memory folder ({@code data/archive/} by default). */
  Path archiveRoot() {
    return paths.dir().resolveSibling("archive");
  }

  /** The user's uploads, exports and backups follow their memory, so a new user of the same name does not see them. */
  private Void archiveFiles(String username, Path dir) throws IOException {
    Path own = files.userDir(username);
    if (Files.isDirectory(own)) {
      Files.move(own, dir.resolve("files"));
    }
    return null;
  }

  Future<JsonObject> memoryHealth(Caller c, JsonObject a) {
    Future<List<String>> files = vertx.executeBlocking(this::databaseFiles, false);
    Future<List<String>> owned = users.memoryFiles();
    Future<Long> userCount = users.count();
    Future<Long> switches = switchEvents.count();
    Future<JsonObject> nodes = memory.statsEveryNode();
    Future<JsonArray> archived = vertx.executeBlocking(this::archived, false);
    return Future.all(List.of(files, owned, userCount, switches, nodes, archived)).map(all -> {
      Set<String> ownedSet = new HashSet<>(owned.result());
      JsonArray orphans = new JsonArray();
      long memoryFiles = 0;
      for (String f : files.result()) {
        if (MemoryPaths.FILE_NAME.matcher(f).matches()) {
          memoryFiles++;
        }
        if (!ownedSet.contains(f)) {
          orphans.add(f);
        }
      }
      // every node's open memories (the whole cluster's, not only this node's), and who did not answer
      JsonArray perNode = new JsonArray();
      long open = 0;
      for (Object o : nodes.result().getJsonArray("nodes")) {
        JsonObject n = (JsonObject) o;
        open += n.getLong("open");
        perNode.add(new JsonObject().put("node", n.getString("node")).put("self", n.getBoolean("self"))
            .put("open_connections", n.getLong("open")).put("switch_events", n.getLong("switch_events")));
      }
      return new JsonObject().put("files", memoryFiles).put("users", userCount.result())
          .put("open_connections", open).put("orphans", orphans).put("switch_events", switches.result())
          .put("memory_dir", paths.dir().toString()).put("archived", archived.result())
          .put("nodes", perNode).put("unanswered_nodes", nodes.result().getJsonArray("unanswered"));
    });
  }

  /** The archived memories of deleted users: each folder with its files and their sizes. */
  private JsonArray archived() throws IOException {
    JsonArray out = new JsonArray();
    Path root = archiveRoot();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        JsonArray inside = new JsonArray();
        try (Stream<Path> s = Files.list(d)) {
          for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
            inside.add(new JsonObject().put("name", f.getFileName().toString()).put("bytes", Files.size(f)));
          }
        }
        out.add(new JsonObject().put("dir", d.getFileName().toString()).put("files", inside));
      }
    }
    return out;
  }

  /** Every DuckDB file in the memory directory, by name. */
  private List<String> databaseFiles() throws IOException {
    if (!Files.isDirectory(paths.dir())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(paths.dir())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".db") || n.endsWith(".duckdb")).sorted().toList();
    }
  }

  /**
   * {@code ?user&action&resource&outcome&since&until&offset&limit}: {@code user} (or {@code actor})
   * and {@code outcome} exact, {@code action} and {@code resource} prefixes, times ISO-8601.
   */
  Future<JsonObject> auditLog(Caller c, JsonObject a) {
    String user = Args.optional(a, "user");
    String actor = user != null ? user : Args.optional(a, "actor");
    String outcome = Args.optional(a, "outcome");
    if (outcome != null && !List.of(AuditLog.SUCCESS, AuditLog.REFUSED, AuditLog.FAILED).contains(outcome)) {
      throw Problem.badRequest("invalid_parameter", "'outcome' must be one of success, refused, failed");
    }
    AuditLog.Filter filter = new AuditLog.Filter(actor, Args.optional(a, "action"), Args.optional(a, "resource"), outcome,
        instant(a, "since"), instant(a, "until"));
    JsonObject page = Args.page(a, 100);
    return audit.list(filter, page.getInteger("offset"), page.getInteger("limit"));
  }

  private static java.time.Instant instant(JsonObject a, String name) {
    String v = Args.optional(a, name);
    try {
      return v == null ? null : java.time.Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
  }

  Future<JsonObject> memoryConnections(Caller c, JsonObject a) {
    return memory.statsEveryNode().map(Administration::byShard);
  }

  Future<JsonObject> closeMemoryConnections(Caller c, JsonObject a) {
    return memory.closeAllEveryNode().map(Administration::byShard);
  }

  /** Every node's shards in one list, each naming its node, beside the per-node sums and the nodes that did not answer. */
  private static JsonObject byShard(JsonObject everyNode) {
    JsonArray shards = new JsonArray();
    JsonArray nodes = new JsonArray();
    for (Object o : everyNode.getJsonArray("nodes")) {
      JsonObject n = ((JsonObject) o).copy();
      for (Object s : (JsonArray) n.remove("shards")) {
        shards.add(((JsonObject) s).copy().put("node", n.getString("node")));
      }
      nodes.add(n);
    }
    return new JsonObject().put("shards", shards).put("nodes", nodes).put("unanswered_nodes", everyNode.getJsonArray("unanswered"));
  }

  Future<JsonObject> orchestratorStats(Caller c, JsonObject a) {
    return orchestrators.stats();
  }

  Future<JsonObject> evictOrchestrators(Caller c, JsonObject a) {
    return orchestrators.evictAll();
  }
}
