package dev.gauntlet.memory;

import dev.gauntlet.Metrics;
import dev.gauntlet.Problem;
import dev.gauntlet.config.MemoryConfig;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.gauntlet.memory.MemoryKeys.*;

/**
 * One memory shard, deployed as a worker: it owns the DuckDB connections of the users routed
 * to it and applies their operations one at a time, in arrival order. A connection is opened
 * only at the path {@link MemoryPaths} decides for the user and only if that is the path the
 * app database registered; it is closed when idle or least recently used, and reopened at the
 * same path.
 */
public final class MemoryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(MemoryVerticle.class.getName());

  private final int shard;
  private final MemoryPaths paths;
  private final MemoryConfig config;
  private final SwitchEvents switchEvents;
  private final LinkedHashMap<String, UserMemory> open = new LinkedHashMap<>(16, 0.75f, true);
  private MessageConsumer<MemoryRequest> consumer;
  private long idleTimer = -1;
  /** In cluster mode, the memory leases this shard holds, one per open user (see {@link #hold}); null alone. */
  private dev.gauntlet.cluster.Leases leases;
  private final Map<String, dev.gauntlet.cluster.Leases.Hold> holds = new java.util.HashMap<>();
  private long renewTimer = -1;
  /** Switch attempts this shard refused since start: memory health reports them per node. */
  private long switchesRefused;
  /** The newest execution-lease token each execution's requests carried: stale runners' writes are refused. */
  private final ExecutionFences fences = new ExecutionFences();

  public MemoryVerticle(int shard, MemoryPaths paths, MemoryConfig config, SwitchEvents switchEvents) {
    this.shard = shard;
    this.paths = paths;
    this.config = config;
    this.switchEvents = switchEvents;
  }

  @Override
  public Future<?> start() {
    dev.gauntlet.cluster.Cluster cluster = dev.gauntlet.cluster.Cluster.of(vertx);
    leases = cluster == null ? null : cluster.memoryLeases();
    consumer = vertx.eventBus().consumer(cluster == null ? MemoryClient.address(shard) : MemoryClient.address(cluster.nodeId(), shard),
        this::handle);
    if (leases != null) {
      renewTimer = vertx.setPeriodic(Math.max(500, leases.ttlMillis() / 3), id -> renewHolds());
    }
    long idleMs = TimeUnit.SECONDS.toMillis(config.idleCloseSeconds());
    if (idleMs > 0) {
      idleTimer = vertx.setPeriodic(Math.max(1000, Math.min(idleMs / 2, 30_000)), id -> closeIdle(idleMs));
    }
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    if (renewTimer >= 0) {
      vertx.cancelTimer(renewTimer);
    }
    Promise<Void> done = Promise.promise();
    consumer.unregister().onComplete(ar -> {
      closeAll();
      done.complete();
    });
    return done.future();
  }

  /** The longest id a request may name: DuckDB's index refuses a key over 120 KB with an error; no id Gauntlet or PyRIT makes comes near. */
  static final int MAX_ID_CHARS = 4096;

  private void handle(Message<MemoryRequest> message) {
    MemoryRequest r = message.body();
    try {
      checkIds(r.body(), null, 0);
      message.reply(apply(r));
    } catch (Problem p) {
      p.failReply(message);
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.SEVERE, "memory operation " + r.op() + " failed on shard " + shard, e);
      new Problem(500, "memory_error", "the memory operation failed: " + e.getMessage()).failReply(message);
    }
  }

  private JsonObject apply(MemoryRequest r) throws SQLException {
    if (r.op().shardWide()) {
      return switch (r.op()) {
        case SHARD_STATS -> stats();
        case SHARD_CLOSE_ALL -> new JsonObject().put("shard", shard).put("closed", closeAll());
        default -> throw new IllegalStateException(r.op().name());
      };
    }
    if (r.op() == MemoryOp.ARCHIVE) {
      return archive(r.owner(), Path.of(r.body().getString(TARGET)));
    }
    if (r.body() != null && r.body().containsKey(FENCE)) {
      fences.admit(r.body().getString(ID), r.body().getLong(FENCE));
    }
    return applyTo(memoryOf(r.owner()), r);
  }

  /**
   * Closes the user's connection and moves the memory file (and its write-ahead log) into
   * {@code target}, in one message: no other operation of this user can run in between, since
   * the shard applies them one at a time. Never deletes; a missing file moves nothing.
   */
  private JsonObject archive(MemoryOwner owner, Path target) {
    UserMemory memory = open.remove(owner.username());
    if (memory != null) {
      closeQuietly(memory, "archiving");
    }
    // in a cluster the file moves only under this node's lease, released once it has moved
    hold(owner.username());
    try {
      return moveInto(owner, target);
    } finally {
      unhold(owner.username());
    }
  }

  private JsonObject moveInto(MemoryOwner owner, Path target) {
    Path file = paths.fileFor(owner.username());
    JsonArray moved = new JsonArray();
    try {
      dev.gauntlet.files.Private.dir(target);
      for (Path p : List.of(file, file.resolveSibling(file.getFileName() + ".wal"))) {
        if (java.nio.file.Files.exists(p)) {
          java.nio.file.Files.move(p, target.resolve(p.getFileName()));
          moved.add(p.getFileName().toString());
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new Problem(500, "archive_failed", "could not move the memory of '" + owner.username() + "' to " + target + ": " + e.getMessage());
    }
    return new JsonObject().put("dir", target.toString()).put("files", moved);
  }

  /** One user operation on an open memory: the shard's own work, and the warm-up's on its scratch memory. */
  static JsonObject applyTo(UserMemory memory, MemoryRequest r) throws SQLException {
    JsonObject body = r.body() == null ? new JsonObject() : r.body();
    return switch (r.op()) {
      case CONFIG_LIST -> memory.config().list(kind(body), offset(body), limit(body, 100), body.getBoolean(NAMES, false));
      case CONFIG_GET -> memory.config().get(kind(body), id(body), offset(body), limit(body, 1000));
      case CONFIG_WITH_REFERENCES -> memory.config().withReferences(kind(body), id(body), body.getJsonObject(REFERENCES));
      case CONFIG_CREATE -> body.getString(DUPLICATE_OF) != null
          ? memory.config().duplicate(kind(body), body.getString(DUPLICATE_OF))
          : memory.config().create(kind(body), body.getJsonObject(VALUE), ConfigNaming.parse(body.getString(NAMING)));
      case CONFIG_REPLACE -> memory.config().replace(kind(body), id(body), body.getJsonObject(VALUE));
      case CONFIG_DELETE -> {
        JsonObject deleted = memory.config().delete(kind(body), id(body), body.getJsonObject(REFERENCES), body.getBoolean(FORCE, false));
        yield deleted.put("deleted", id(body));
      }
      case PIECES_APPEND -> memory.pieces().append(r.batch() != null ? r.batch() : PieceBatch.parse(body));
      case CONVERSATIONS_LIST -> memory.pieces().conversations(offset(body), limit(body, 50));
      case CONVERSATION_GET -> memory.pieces().conversation(id(body));
      case SCORE_SUMMARY -> memory.dashboard().summary(DashboardFilter.parse(body));
      case DASHBOARD_RESULTS -> memory.dashboard().results(ResultsQuery.parse(body));
      case DASHBOARD_COMPARE -> memory.dashboard().compare(compared(body),
          body.getJsonObject(FILTER) == null ? null : MatrixQuery.parse(body.getJsonObject(FILTER)));
      case DASHBOARD_MATRIX -> memory.dashboard().matrix(MatrixQuery.parse(body));
      case DASHBOARD_HEATMAP -> memory.dashboard().heatmap(MatrixQuery.parse(body));
      case DASHBOARD_EXPORT -> memory.dashboard().export(DashboardFilter.parse(body.getJsonObject(FILTER, new JsonObject())),
          body.getString(FORMAT, "csv"), Path.of(body.getString(PATH)));
      case REVIEW_SET, REVIEW_GET, REVIEW_LIST, REVIEW_QUEUE, REVIEW_PAIRS -> memory.reviews().apply(r.op(), body);
      case STATUS -> memory.status();
      case EXECUTION_CREATE -> body.getJsonObject(CONFIGS) == null
          ? memory.executions().create(body.getJsonObject(ORCHESTRATOR), body.getJsonObject(LABELS))
          : memory.executions().create(body.getJsonObject(ORCHESTRATOR), body.getJsonObject(LABELS), body.getJsonObject(CONFIGS),
              FrozenPrompts.fromJson(body.getJsonObject(PROMPTS)));
      case EXECUTION_GET -> memory.executions().get(id(body), body.getBoolean(COUNTS, true));
      case EXECUTION_SNAPSHOT -> memory.executions().snapshot(id(body));
      case EXECUTION_LIST -> memory.executions().list(body.getString(ORCHESTRATOR_ID), offset(body), limit(body, 50));
      case EXECUTION_UPDATE -> memory.executions().update(ExecutionUpdate.fromJson(body));
      case EXECUTION_DONE -> memory.executions().done(id(body));
      case EXECUTION_RECORD -> memory.executions().record(id(body), body.getJsonArray(RESULTS),
          r.batch() != null ? r.batch() : PieceBatch.parse(body));
      case EXECUTION_RESULTS -> memory.executions().results(id(body), offset(body), limit(body, 50));
      case EXECUTION_SUCCESSFUL_PROMPTS -> memory.executions().successfulPrompts(body.getString(EXECUTION_ID));
      case EXPORT -> memory.exports().export(body);
      case BACKUP -> memory.backupTo(Path.of(body.getString(TARGET)));
      case RESCORE_CREATE, RESCORE_GET, RESCORE_UPDATE, RESCORE_ANSWERS, RESCORE_COMMIT -> memory.rescores().apply(r.op(), body, r.batch());
      case SCAN_CREATE -> memory.scans().create(body.getString(NAME), body.getJsonObject(REQUEST), body.getJsonObject(PLAN));
      case SCAN_FAIL -> memory.scans().fail(id(body), body.getString(ERROR));
      case SCAN_GET -> memory.scans().get(id(body));
      case SCAN_LIST -> memory.scans().list(offset(body), limit(body, 50));
      case SCAN_EXECUTIONS -> memory.scans().executionIds(id(body));
      case COMPLIANCE_ROWS -> memory.scans().compliance(body.getJsonArray(IDS));
      case IMPORT_BEGIN -> memory.imports().begin(body.getString(IMPORT_ID));
      case IMPORT_STAGE -> memory.imports().stage(body.getString(IMPORT_ID), r.batch(), body.getJsonObject(ROWS));
      case IMPORT_COMMIT -> memory.imports().commit(body.getString(IMPORT_ID), body.getBoolean(DRY_RUN, false));
      case IMPORT_ABORT -> memory.imports().abort(body.getString(IMPORT_ID));
      case CONSOLIDATE -> memory.consolidate(Path.of(body.getString(FILE)), body.getBoolean(DRY_RUN, false));
      default -> throw new IllegalStateException(r.op().name());
    };
  }

  /** Refuses, as the caller's mistake, any id (a field named id, *_id or *_ids, at any depth) too long to be one. */
  static void checkIds(Object value, String key, int depth) {
    if (value instanceof JsonObject o && depth < 8) {
      o.forEach(e -> checkIds(e.getValue(), e.getKey(), depth + 1));
    } else if (value instanceof io.vertx.core.json.JsonArray a && depth < 8) {
      a.forEach(v -> checkIds(v, key, depth + 1));
    } else if (value instanceof String s && s.length() > MAX_ID_CHARS && key != null
        && (key.equals(ID) || key.endsWith("_id") || key.endsWith("_ids"))) {
      throw Problem.badRequest("invalid_id", "'" + key + "' is " + s.length() + " characters long; an id has at most " + MAX_ID_CHARS);
    }
  }

  private static String id(JsonObject body) {
    return body.getString(ID);
  }

  private static int offset(JsonObject body) {
    return body.getInteger(OFFSET, 0);
  }

  private static int limit(JsonObject body, int otherwise) {
    return body.getInteger(LIMIT, otherwise);
  }

  private static ConfigKind kind(JsonObject body) {
    return ConfigKind.byTable(body.getString(KIND, ""))
        .orElseThrow(() -> Problem.badRequest("unknown_kind", "unknown configuration kind '" + body.getString(KIND) + "'"));
  }

  /**
   * The user's one connection. Any attempt to use a path other than the registered one is
   * refused, recorded as a switch event and logged: a user's memory never moves.
   */
  UserMemory memoryOf(MemoryOwner owner) throws SQLException {
    if (owner == null || owner.username() == null) {
      throw new Problem(500, "memory_owner_missing", "a memory operation named no user");
    }
    Path expected = paths.fileFor(owner.username());
    if (!expected.getFileName().toString().equals(owner.memoryFile())) {
      refuseSwitch(owner.username(), owner.memoryFile(), expected);
    }
    UserMemory memory = open.get(owner.username());
    if (memory != null) {
      if (!memory.file().equals(expected)) {
        refuseSwitch(owner.username(), memory.file().getFileName().toString(), expected);
      }
      if (fenced(memory)) {
        return memory;
      }
    }
    // the least recently used memories go, save those an import is landing in (closing one would fail the import): with
    // every one importing, the shard holds one more open until an import ends
    Iterator<Map.Entry<String, UserMemory>> eldest = open.entrySet().iterator();
    while (open.size() >= config.maxOpenPerShard() && eldest.hasNext()) {
      UserMemory lru = eldest.next().getValue();
      if (!lru.importing()) {
        eldest.remove();
        closeQuietly(lru, "least recently used");
      }
    }
    hold(owner.username());
    try {
      memory = UserMemory.open(owner.username(), expected, config.duckdbMemoryLimit(), config.duckdbThreads());
    } catch (SQLException | RuntimeException e) {
      unhold(owner.username());
      throw e;
    }
    open.put(owner.username(), memory);
    Metrics.OPEN_MEMORY_CONNECTIONS.incrementAndGet();
    return memory;
  }

  private void refuseSwitch(String username, String registered, Path attempted) {
    LOG.severe("memory switch refused for user '" + username + "': registered " + registered + ", attempted " + attempted);
    switchesRefused++;
    switchEvents.record(username, registered, attempted.toString(), "memory shard " + shard);
    throw new Problem(500, "memory_switch_refused",
        "refused to open memory for '" + username + "' at a path other than its registered file");
  }

  private JsonObject stats() {
    JsonArray users = new JsonArray();
    open.values().forEach(m -> users.add(new JsonObject().put("username", m.username())
        .put("file", m.file().getFileName().toString())
        .put("idle_seconds", TimeUnit.NANOSECONDS.toSeconds(m.idleNanos()))));
    return new JsonObject().put("shard", shard).put("open", open.size()).put("switch_events", switchesRefused).put("connections", users);
  }

  private void closeIdle(long idleMs) {
    long limit = TimeUnit.MILLISECONDS.toNanos(idleMs);
    open.entrySet().removeIf(e -> {
      if (e.getValue().idleNanos() >= limit && !e.getValue().importing()) {
        closeQuietly(e.getValue(), "idle");
        return true;
      }
      return false;
    });
  }

  private int closeAll() {
    List<UserMemory> all = new ArrayList<>(open.values());
    open.clear();
    all.forEach(m -> closeQuietly(m, "closing all"));
    return all.size();
  }

  private void closeQuietly(UserMemory memory, String why) {
    Metrics.OPEN_MEMORY_CONNECTIONS.decrementAndGet();
    try {
      memory.close();
      LOG.fine(() -> "closed memory of " + memory.username() + " (" + why + ")");
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "closing memory of " + memory.username() + " failed", e);
    }
    // only once the file is closed may another node have it
    unhold(memory.username());
  }

  // --- cluster mode: one node holds a user's memory at a time --------------------------------

  /**
   * Takes (or keeps) this node's lease on the user's memory before its file is touched; when
   * another node holds it, answers {@link ClusterRoutes#ELSEWHERE} with that node's id, and the
   * client follows. Alone, there is nothing to take.
   */
  private void hold(String username) {
    if (leases == null) {
      return;
    }
    dev.gauntlet.cluster.Leases.Grant grant = leases.acquire(username);
    if (!grant.granted()) {
      throw new Problem(409, ClusterRoutes.ELSEWHERE, grant.other().holder());
    }
    holds.put(username, grant.hold());
  }

  private void unhold(String username) {
    dev.gauntlet.cluster.Leases.Hold h = holds.remove(username);
    if (h != null) {
      leases.release(h);
    }
  }

  /**
   * The fence: an open memory is used only while this node's lease on it is surely still its
   * own. Past that moment (a renewal missed, say while cut off from the cluster) the lease is
   * renewed first; if it was lost, the file is closed here (false) and opening it again starts
   * from taking the lease, which sends the request on to the new holder if there is one.
   */
  private boolean fenced(UserMemory memory) {
    if (leases == null) {
      return true;
    }
    dev.gauntlet.cluster.Leases.Hold h = holds.get(memory.username());
    if (h != null && h.valid()) {
      return true;
    }
    dev.gauntlet.cluster.Leases.Hold renewed = h == null ? null : leases.renew(h);
    if (renewed != null) {
      holds.put(memory.username(), renewed);
      return true;
    }
    LOG.warning("memory lease of '" + memory.username() + "' lost on shard " + shard + "; closing its file here");
    holds.remove(memory.username());
    open.remove(memory.username());
    closeQuietly(memory, "lease lost");
    return false;
  }

  /** Renews every lease this shard holds, in one call; a memory whose lease was lost is closed at once. */
  private void renewHolds() {
    if (holds.isEmpty()) {
      return;
    }
    Map<String, dev.gauntlet.cluster.Leases.Hold> renewed;
    try {
      renewed = leases.renewAll(new java.util.HashMap<>(holds)).toCompletableFuture().get(leases.ttlMillis() / 2, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warning("renewing memory leases on shard " + shard + " failed: " + e);
      return;
    }
    for (String username : new ArrayList<>(holds.keySet())) {
      dev.gauntlet.cluster.Leases.Hold h = renewed.get(username);
      if (h != null) {
        holds.put(username, h);
        continue;
      }
      LOG.warning("memory lease of '" + username + "' lost on shard " + shard + "; closing its file here");
      holds.remove(username);
      UserMemory m = open.remove(username);
      if (m != null) {
        closeQuietly(m, "lease lost");
      }
    }
  }

  /** The executions a comparison names: A, B, then the others ({@code ids}). */
  private static java.util.List<String> compared(JsonObject body) {
    java.util.List<String> ids = new java.util.ArrayList<>(java.util.List.of(body.getString(A), body.getString(B)));
    body.getJsonArray(IDS, new io.vertx.core.json.JsonArray()).forEach(o -> ids.add((String) o));
    return ids;
  }
}
