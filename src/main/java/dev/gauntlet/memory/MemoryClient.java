package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How every other part of Gauntlet reaches a user's memory: over the event bus to the shard
 * that owns the user ({@code hash(username) mod shards}), so one user's operations are applied
 * one at a time in arrival order while different users proceed in parallel.
 */
public final class MemoryClient {

  public static final String ADDRESS_PREFIX = "gauntlet.memory.shard.";
  /** Where {@link ScratchShard} listens: never a user's shard, so no user's operation can reach it. */
  static final String SCRATCH_PREFIX = "gauntlet.memory.scratch.";
  private static final DeliveryOptions DELIVERY = new DeliveryOptions()
      .setCodecName(MemoryRequest.Codec.NAME).setSendTimeout(120_000);

  private final Vertx vertx;
  private final int shards;
  private final String prefix;
  /** In cluster mode, which node's shards hold each user's memory (see {@link ClusterRoutes}); null alone. */
  private final ClusterRoutes routes;
  /** Every node's shards, for memory health (see {@link MemoryNodes}). */
  private final MemoryNodes nodes;

  public MemoryClient(Vertx vertx, int shards) {
    this(vertx, shards, ADDRESS_PREFIX);
  }

  private MemoryClient(Vertx vertx, int shards, String prefix) {
    this.vertx = vertx;
    this.shards = shards;
    this.prefix = prefix;
    dev.gauntlet.cluster.Cluster cluster = prefix.equals(ADDRESS_PREFIX) ? dev.gauntlet.cluster.Cluster.of(vertx) : null;
    this.routes = cluster == null ? null : new ClusterRoutes(vertx, cluster);
    this.nodes = new MemoryNodes(vertx, shards, cluster);
  }

  /** A client of the one {@link ScratchShard} deployed on {@code vertx}: the warm-up's memory, which is no one's. */
  public static MemoryClient scratch(Vertx vertx) {
    return new MemoryClient(vertx, 1, SCRATCH_PREFIX);
  }

  /** Registers the request codec once per Vert.x instance. */
  public static void registerCodec(Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(MemoryRequest.class, new MemoryRequest.Codec());
  }

  public static String address(int shard) {
    return ADDRESS_PREFIX + shard;
  }

  /** A shard of one node of a cluster: every node's shards listen on addresses of their own. */
  public static String address(String node, int shard) {
    return "gauntlet.memory.node." + node + ".shard." + shard;
  }

  public int shardOf(String username) {
    return Math.floorMod(username.hashCode(), shards);
  }

  /** One user's configurations: generators, datasets, converters, scorers, orchestrators. */
  public Configs configs(MemoryOwner owner) {
    return new Configs(owner);
  }

  /** One user's executions: their rows, their committed prompts, their results. */
  public Executions executions(MemoryOwner owner) {
    return new Executions(owner);
  }

  /** One user's re-scoring jobs (see {@link RescoreStore}). */
  public Rescores rescores(MemoryOwner owner) {
    return new Rescores(owner);
  }

  /** One user's prompt and response pieces, with their scores. */
  public Pieces pieces(MemoryOwner owner) {
    return new Pieces(owner);
  }

  /** One user's conversations, as stored pieces grouped by conversation. */
  public Conversations conversations(MemoryOwner owner) {
    return new Conversations(owner);
  }

  /** One user's dashboard: aggregates computed by the shard, next to the data. */
  public DashboardReads dashboard(MemoryOwner owner) {
    return new DashboardReads(owner);
  }

  /** One user's human verdicts on results, and the pairs judge quality counts. */
  public Scans scans(MemoryOwner owner) {
    return new Scans(owner);
  }

  public Reviews reviews(MemoryOwner owner) {
    return new Reviews(owner);
  }

  /** One user's memory file as a whole: its status, exports, backups, consolidation of stray files. */
  public MemoryFile file(MemoryOwner owner) {
    return new MemoryFile(owner);
  }

  /**
   * A raw operation, for the memory package's own tests of the shard protocol; everything else
   * calls the typed faces above, which spell each operation's keys once.
   */
  Future<JsonObject> call(MemoryOwner owner, MemoryOp op, JsonObject body) {
    return send(owner, op, body, null);
  }

  public final class Configs {
    private final MemoryOwner owner;

    private Configs(MemoryOwner owner) {
      this.owner = owner;
    }

    public Future<JsonObject> list(ConfigKind kind, int offset, int limit) {
      return send(owner, MemoryOp.CONFIG_LIST, kinded(kind).put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    /** The configuration; a dataset comes with its first 1,000 prompts (see {@link #getDataset}). */
    public Future<JsonObject> get(ConfigKind kind, String id) {
      return send(owner, MemoryOp.CONFIG_GET, kinded(kind).put(MemoryKeys.ID, id), null);
    }

    /** A dataset with one page of its prompts ({@code limit} 0: none, only its row). */
    public Future<JsonObject> getDataset(String id, int offset, int limit) {
      return send(owner, MemoryOp.CONFIG_GET, kinded(ConfigKind.DATASETS).put(MemoryKeys.ID, id)
          .put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    /**
     * The configuration and every one it refers to, transitively, in one operation: {@code
     * {"configs": {"table/id": row}}}, as stored. {@code references} names, per kind and type, the
     * parameters that refer to another kind ({@code {"scorers": {"composite": {"scorer_ids": "scorers"}}}}).
     */
    public Future<JsonObject> withReferences(ConfigKind kind, String id, JsonObject references) {
      return send(owner, MemoryOp.CONFIG_WITH_REFERENCES, kinded(kind).put(MemoryKeys.ID, id)
          .put(MemoryKeys.REFERENCES, references), null);
    }

    /** Stores an already validated value ({@link ConfigKind#validate}) under a new id; a taken name is a 409. */
    public Future<JsonObject> create(ConfigKind kind, JsonObject value) {
      return create(kind, value, ConfigNaming.STRICT);
    }

    /** Stores an already validated value under a new id, a taken name handled as {@code naming} says. */
    public Future<JsonObject> create(ConfigKind kind, JsonObject value, ConfigNaming naming) {
      return send(owner, MemoryOp.CONFIG_CREATE, kinded(kind).put(MemoryKeys.VALUE, value).put(MemoryKeys.NAMING, naming.name()), null);
    }

    /** A copy under the first free "name (copy)", "name (copy 2)"…, secrets as stored, a dataset with all its prompts. */
    public Future<JsonObject> duplicate(ConfigKind kind, String id) {
      return send(owner, MemoryOp.CONFIG_CREATE, kinded(kind).put(MemoryKeys.DUPLICATE_OF, id), null);
    }

    /** A page with every configuration's name by kind and id ({@code names}) and deleted ones still referred to ({@code deleted}). */
    public Future<JsonObject> listWithNames(ConfigKind kind, int offset, int limit) {
      return send(owner, MemoryOp.CONFIG_LIST, kinded(kind).put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit)
          .put(MemoryKeys.NAMES, true), null);
    }

    /**
     * Deletes unless other configurations refer to it ({@code references}: the catalogs' map): a 409
     * whose details list them as {@code used_by}, unless {@code force}.
     */
    public Future<JsonObject> delete(ConfigKind kind, String id, JsonObject references, boolean force) {
      return send(owner, MemoryOp.CONFIG_DELETE, kinded(kind).put(MemoryKeys.ID, id).put(MemoryKeys.REFERENCES, references)
          .put(MemoryKeys.FORCE, force), null);
    }

    public Future<JsonObject> replace(ConfigKind kind, String id, JsonObject value) {
      return send(owner, MemoryOp.CONFIG_REPLACE, kinded(kind).put(MemoryKeys.ID, id).put(MemoryKeys.VALUE, value), null);
    }

    public Future<JsonObject> delete(ConfigKind kind, String id) {
      return send(owner, MemoryOp.CONFIG_DELETE, kinded(kind).put(MemoryKeys.ID, id), null);
    }

    private JsonObject kinded(ConfigKind kind) {
      return new JsonObject().put(MemoryKeys.KIND, kind.table());
    }
  }

  public final class Executions {
    private final MemoryOwner owner;

    private Executions(MemoryOwner owner) {
      this.owner = owner;
    }

    /** The execution with its committed progress (a count over its results). */
    public Future<JsonObject> get(String id) {
      return send(owner, MemoryOp.EXECUTION_GET, new JsonObject().put(MemoryKeys.ID, id), null);
    }

    /** The execution's row only, without counting its results. */
    public Future<JsonObject> getWithoutCounts(String id) {
      return send(owner, MemoryOp.EXECUTION_GET, new JsonObject().put(MemoryKeys.ID, id).put(MemoryKeys.COUNTS, false), null);
    }

    /** A page of executions, newest first; all orchestrators' when {@code orchestratorId} is null. */
    public Future<JsonObject> list(String orchestratorId, int offset, int limit) {
      return send(owner, MemoryOp.EXECUTION_LIST, new JsonObject().put(MemoryKeys.ORCHESTRATOR_ID, orchestratorId)
          .put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    /**
     * A queued execution of the orchestrator {@code snapshot} alone, with the labels given at
     * launch (or null): what launches stored before executions kept everything they use. Such an
     * execution runs from the stored configurations; launches use the four-argument create.
     */
    public Future<JsonObject> create(JsonObject snapshot, JsonObject labels) {
      return send(owner, MemoryOp.EXECUTION_CREATE, new JsonObject().put(MemoryKeys.ORCHESTRATOR, snapshot)
          .put(MemoryKeys.LABELS, labels), null);
    }

    /**
     * A queued execution launched from a snapshot: the orchestrator, every configuration it
     * refers to ({@code table/id} → row, as {@link Configs#withReferences} answers them), and the
     * prompts it will send, which the shard copies in the same transaction. Answers the execution
     * as {@link #snapshot} would read it (its row without progress, with {@code configs} and the
     * frozen {@code prompts}): what its runner starts from.
     */
    public Future<JsonObject> create(JsonObject orchestrator, JsonObject configs, FrozenPrompts prompts, JsonObject labels) {
      return send(owner, MemoryOp.EXECUTION_CREATE, new JsonObject().put(MemoryKeys.ORCHESTRATOR, orchestrator)
          .put(MemoryKeys.LABELS, labels).put(MemoryKeys.CONFIGS, configs).put(MemoryKeys.PROMPTS, prompts.toJson()), null);
    }

    /**
     * The execution's row with what it runs from: {@code configs} and {@code prompts} as frozen at
     * launch, both null for an execution launched before they were kept.
     */
    public Future<JsonObject> snapshot(String id) {
      return send(owner, MemoryOp.EXECUTION_SNAPSHOT, new JsonObject().put(MemoryKeys.ID, id), null);
    }

    public Future<JsonObject> update(ExecutionUpdate update) {
      return update(update, 0);
    }

    /** As {@link #update(ExecutionUpdate)}, from a runner holding the execution's lease with {@code fence} (0: none). */
    public Future<JsonObject> update(ExecutionUpdate update, long fence) {
      return send(owner, MemoryOp.EXECUTION_UPDATE, fenced(update.toJson(), fence), null);
    }

    /** The prompt indexes already committed, with their counts: where a resume starts from. */
    public Future<JsonObject> done(String id) {
      return done(id, 0);
    }

    /** As {@link #done(String)}; a runner's first read with its lease token {@code fence} fences out older runners. */
    public Future<JsonObject> done(String id, long fence) {
      return send(owner, MemoryOp.EXECUTION_DONE, fenced(new JsonObject().put(MemoryKeys.ID, id), fence), null);
    }

    /**
     * Commits finished prompts: their pieces and scores and one result row per prompt, in one
     * transaction; refused ({@code execution_fenced}) when a runner with a newer lease token
     * {@code fence} has reached the shard (0: no lease, one process alone).
     */
    public Future<JsonObject> record(String id, PieceBatch batch, JsonArray results, long fence) {
      return send(owner, MemoryOp.EXECUTION_RECORD, fenced(new JsonObject().put(MemoryKeys.ID, id).put(MemoryKeys.RESULTS, results),
          fence), batch);
    }

    public Future<JsonObject> record(String id, PieceBatch batch, JsonArray results) {
      return record(id, batch, results, 0);
    }

    private JsonObject fenced(JsonObject body, long fence) {
      return fence > 0 ? body.put(MemoryKeys.FENCE, fence) : body;
    }

    /** A page of results, each prompt with its conversation's pieces and scores. */
    public Future<JsonObject> results(String id, int offset, int limit) {
      return send(owner, MemoryOp.EXECUTION_RESULTS, new JsonObject().put(MemoryKeys.ID, id)
          .put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    /** The prompts whose attack succeeded: of one execution, or of all when {@code executionId} is null. */
    public Future<JsonObject> successfulPrompts(String executionId) {
      return send(owner, MemoryOp.EXECUTION_SUCCESSFUL_PROMPTS, new JsonObject().put(MemoryKeys.EXECUTION_ID, executionId), null);
    }
  }

  public final class Rescores {
    private final MemoryOwner owner;

    private Rescores(MemoryOwner owner) {
      this.owner = owner;
    }

    /** A queued job re-scoring the execution's stored answers with the scorers {@code configs} holds (as resolved at launch). */
    public Future<JsonObject> create(String executionId, JsonArray scorerIds, JsonObject configs) {
      return send(owner, MemoryOp.RESCORE_CREATE, new JsonObject().put("execution_id", executionId).put("scorer_ids", scorerIds)
          .put("configs", configs), null);
    }

    /** The job's row (with its {@code configs} when asked). */
    public Future<JsonObject> get(String id, boolean withConfigs) {
      return send(owner, MemoryOp.RESCORE_GET, new JsonObject().put("id", id).put("configs", withConfigs), null);
    }

    /** Sets the job's status (and error); {@code finished} stamps its end, {@code reopen} clears it for a resume. */
    public Future<JsonObject> update(String id, String status, String error, boolean finished, boolean reopen) {
      return send(owner, MemoryOp.RESCORE_UPDATE, new JsonObject().put("id", id).put("status", status).put("error", error)
          .put("finished", finished).put("reopen", reopen), null);
    }

    /** Up to {@code limit} of the job's answers from position {@code from}, column by column. */
    public Future<JsonObject> answers(String id, int from, int limit) {
      return send(owner, MemoryOp.RESCORE_ANSWERS, new JsonObject().put("id", id).put("from", from).put("limit", limit), null);
    }

    /** The scores of the answers at [from, from + count), with the job's new position, in one transaction. */
    public Future<JsonObject> commit(String id, int from, int count, PieceBatch scores) {
      return send(owner, MemoryOp.RESCORE_COMMIT, new JsonObject().put("id", id).put("from", from).put("count", count), scores);
    }
  }

  public final class Pieces {
    private final MemoryOwner owner;

    private Pieces(MemoryOwner owner) {
      this.owner = owner;
    }

    /** Parses on the caller's thread, so a bad batch is refused before it queues at the shard. */
    public Future<JsonObject> append(JsonObject body) {
      PieceBatch batch;
      try {
        batch = PieceBatch.parse(body);
      } catch (Problem p) {
        return Future.failedFuture(p);
      }
      return send(owner, MemoryOp.PIECES_APPEND, body, batch);
    }
  }

  public final class Conversations {
    private final MemoryOwner owner;

    private Conversations(MemoryOwner owner) {
      this.owner = owner;
    }

    public Future<JsonObject> list(int offset, int limit) {
      return send(owner, MemoryOp.CONVERSATIONS_LIST, new JsonObject().put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    public Future<JsonObject> get(String id) {
      return send(owner, MemoryOp.CONVERSATION_GET, new JsonObject().put(MemoryKeys.ID, id), null);
    }
  }

  public final class DashboardReads {
    private final MemoryOwner owner;

    private DashboardReads(MemoryOwner owner) {
      this.owner = owner;
    }

    /** The executive summary over what {@code filter} keeps ({@link DashboardFilter#toJson}). */
    public Future<JsonObject> summary(JsonObject filter) {
      return send(owner, MemoryOp.SCORE_SUMMARY, filter, null);
    }

    /** A page of detailed rows ({@link ResultsQuery#toJson}, with an optional cursor). */
    public Future<JsonObject> results(JsonObject query) {
      return send(owner, MemoryOp.DASHBOARD_RESULTS, query, null);
    }

    /** Two executions side by side. */
    public Future<JsonObject> compare(String a, String b) {
      return send(owner, MemoryOp.DASHBOARD_COMPARE, new JsonObject().put(MemoryKeys.A, a).put(MemoryKeys.B, b), null);
    }

    /** Executions side by side: A, B and {@code more}, the prompts narrowed by the matrix's chips ({@link MatrixQuery#toJson}). */
    public Future<JsonObject> compare(String a, String b, java.util.List<String> more, JsonObject chips) {
      return send(owner, MemoryOp.DASHBOARD_COMPARE, new JsonObject().put(MemoryKeys.A, a).put(MemoryKeys.B, b)
          .put(MemoryKeys.IDS, new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(more))).put(MemoryKeys.FILTER, chips), null);
    }

    /** A page of the results matrix ({@link MatrixQuery#toJson}). */
    public Future<JsonObject> matrix(JsonObject query) {
      return send(owner, MemoryOp.DASHBOARD_MATRIX, query, null);
    }

    /** The heat map and rates by chain, attack, execution and time bucket ({@link MatrixQuery#toJson}). */
    public Future<JsonObject> heatmap(JsonObject query) {
      return send(owner, MemoryOp.DASHBOARD_HEATMAP, query, null);
    }

    /** Writes every result {@code filter} keeps to {@code path} as csv, jsonl or parquet. */
    public Future<JsonObject> export(JsonObject filter, String format, Path path) {
      return send(owner, MemoryOp.DASHBOARD_EXPORT, new JsonObject().put(MemoryKeys.FILTER, filter)
          .put(MemoryKeys.FORMAT, format).put(MemoryKeys.PATH, path.toString()), null);
    }
  }

  /** Scans and what compliance reports read (ScanStore). */
  public final class Scans {
    private final MemoryOwner owner;

    private Scans(MemoryOwner owner) {
      this.owner = owner;
    }

    public Future<JsonObject> create(String name, JsonObject request, JsonObject plan) {
      return send(owner, MemoryOp.SCAN_CREATE, new JsonObject().put(MemoryKeys.NAME, name).put(MemoryKeys.REQUEST, request)
          .put(MemoryKeys.PLAN, plan), null);
    }

    /** Records why launching stopped part way. */
    public Future<JsonObject> fail(String id, String error) {
      return send(owner, MemoryOp.SCAN_FAIL, new JsonObject().put(MemoryKeys.ID, id).put(MemoryKeys.ERROR, error), null);
    }

    /** The scan with its executions and their progress; a 404 for one not in this memory. */
    public Future<JsonObject> get(String id) {
      return send(owner, MemoryOp.SCAN_GET, new JsonObject().put(MemoryKeys.ID, id), null);
    }

    public Future<JsonObject> list(int offset, int limit) {
      return send(owner, MemoryOp.SCAN_LIST, new JsonObject().put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    /** {@code {"ids": [...]}}: the scan's executions, oldest first. */
    public Future<JsonObject> executionIds(String id) {
      return send(owner, MemoryOp.SCAN_EXECUTIONS, new JsonObject().put(MemoryKeys.ID, id), null);
    }

    /** Per execution: orchestrator, converters' types, dataset harm categories, outcomes by probe. */
    public Future<JsonObject> compliance(JsonArray executionIds) {
      return send(owner, MemoryOp.COMPLIANCE_ROWS, new JsonObject().put(MemoryKeys.IDS, executionIds), null);
    }
  }

  public final class Reviews {
    private final MemoryOwner owner;

    private Reviews(MemoryOwner owner) {
      this.owner = owner;
    }

    /** Records a person's verdict on the result whose answer is piece {@code pieceId}; the latest wins. */
    public Future<JsonObject> set(String pieceId, String verdict, String comment) {
      return send(owner, MemoryOp.REVIEW_SET, new JsonObject().put(ReviewStore.PIECE_ID, pieceId).put(ReviewStore.VERDICT, verdict)
          .put(ReviewStore.COMMENT, comment).put(ReviewStore.REVIEWER, owner.username()), null);
    }

    /** The result with its prompt, answer, automatic scores, current review and history. */
    public Future<JsonObject> get(String pieceId) {
      return send(owner, MemoryOp.REVIEW_GET, new JsonObject().put(ReviewStore.PIECE_ID, pieceId), null);
    }

    /** Current reviews of one execution (or all, when null), newest first. */
    public Future<JsonObject> list(String executionId, int offset, int limit) {
      return send(owner, MemoryOp.REVIEW_LIST, new JsonObject().put(MemoryKeys.EXECUTION_ID, executionId)
          .put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    /** Results to review from {@code source}: sample (per scorer), disagreement or unscored. */
    public Future<JsonObject> queue(String source, String executionId, String scorer, int size, String seed, boolean includeReviewed,
                                    int offset, int limit) {
      return send(owner, MemoryOp.REVIEW_QUEUE, new JsonObject().put(ReviewStore.SOURCE, source).put(MemoryKeys.EXECUTION_ID, executionId)
          .put(ReviewStore.SCORER, scorer).put(ReviewStore.SIZE, size).put(ReviewStore.SEED, seed)
          .put(ReviewStore.INCLUDE_REVIEWED, includeReviewed).put(MemoryKeys.OFFSET, offset).put(MemoryKeys.LIMIT, limit), null);
    }

    /** Each score of a reviewed result beside its human verdict, of one scorer (or all, when null). */
    public Future<JsonObject> pairs(String scorerId) {
      return send(owner, MemoryOp.REVIEW_PAIRS, new JsonObject().put(ReviewStore.SCORER_ID, scorerId), null);
    }
  }

  public final class MemoryFile {
    private final MemoryOwner owner;

    private MemoryFile(MemoryOwner owner) {
      this.owner = owner;
    }

    /** File, size, schema version and row counts per table. */
    public Future<JsonObject> status() {
      return send(owner, MemoryOp.STATUS, new JsonObject(), null);
    }

    /** Writes the pieces {@code filter} keeps to {@code path} as {@code format} (csv, jsonl, parquet, html rows). */
    public Future<JsonObject> export(JsonObject filter, String format, Path path) {
      return send(owner, MemoryOp.EXPORT, new JsonObject().put(MemoryKeys.FORMAT, format).put(MemoryKeys.FILTER, filter)
          .put(MemoryKeys.PATH, path.toString()), null);
    }

    /** A consistent copy of the memory at {@code target}. */
    public Future<JsonObject> backup(Path target) {
      return send(owner, MemoryOp.BACKUP, new JsonObject().put(MemoryKeys.TARGET, target.toAbsolutePath().toString()), null);
    }

    /** Closes this memory and moves its file into {@code dir} (created 0700); nothing is deleted. */
    public Future<JsonObject> archive(Path dir) {
      return send(owner, MemoryOp.ARCHIVE, new JsonObject().put(MemoryKeys.TARGET, dir.toAbsolutePath().toString()), null);
    }

    /** Merges a stray DuckDB file into this memory, or only reports what would merge. */
    public Future<JsonObject> consolidate(Path stray, boolean dryRun) {
      return send(owner, MemoryOp.CONSOLIDATE, new JsonObject().put(MemoryKeys.FILE, stray.toAbsolutePath().toString())
          .put(MemoryKeys.DRY_RUN, dryRun), null);
    }
  }

  /** One user's imports in progress: staged batch by batch, then committed in one transaction (see {@link ImportStore}). */
  public Imports imports(MemoryOwner owner) {
    return new Imports(owner);
  }

  public final class Imports {
    private final MemoryOwner owner;

    private Imports(MemoryOwner owner) {
      this.owner = owner;
    }

    public Future<JsonObject> begin(String importId) {
      return send(owner, MemoryOp.IMPORT_BEGIN, new JsonObject().put(MemoryKeys.IMPORT_ID, importId), null);
    }

    /** Stages pieces and scores ({@code batch}, may be null) and other tables' rows ({@code {table: [rows]}}, may be null). */
    public Future<JsonObject> stage(String importId, PieceBatch batch, JsonObject rows) {
      return send(owner, MemoryOp.IMPORT_STAGE, new JsonObject().put(MemoryKeys.IMPORT_ID, importId).put(MemoryKeys.ROWS, rows), batch);
    }

    public Future<JsonObject> commit(String importId, boolean dryRun) {
      return send(owner, MemoryOp.IMPORT_COMMIT, new JsonObject().put(MemoryKeys.IMPORT_ID, importId).put(MemoryKeys.DRY_RUN, dryRun), null);
    }

    public Future<JsonObject> abort(String importId) {
      return send(owner, MemoryOp.IMPORT_ABORT, new JsonObject().put(MemoryKeys.IMPORT_ID, importId), null);
    }
  }

  /** Every shard's open connections. */
  public Future<JsonArray> stats() {
    return everyShard(MemoryOp.SHARD_STATS);
  }

  /** Closes every open memory connection, as idle-closing would. */
  public Future<JsonArray> closeAll() {
    return everyShard(MemoryOp.SHARD_CLOSE_ALL);
  }

  /**
   * Every node's open connections and refused switches since its start, node by node, and the
   * nodes that did not answer in time: {@code {nodes: [{node, self, open, switch_events, shards}], unanswered}}.
   */
  public Future<JsonObject> statsEveryNode() {
    return nodes.ask(MemoryOp.SHARD_STATS, List.of("open", "switch_events"));
  }

  /** Closes every open memory connection on every node: {@code {nodes: [{node, self, closed, shards}], unanswered}}. */
  public Future<JsonObject> closeAllEveryNode() {
    return nodes.ask(MemoryOp.SHARD_CLOSE_ALL, List.of("closed"));
  }

  private Future<JsonArray> everyShard(MemoryOp op) {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      MemoryRequest request = new MemoryRequest(op, null, new JsonObject(), null);
      // in a cluster: this node's shards
      replies.add(routes == null ? send(i, request) : routes.sendTo(address(routes.self(), i), request, DELIVERY));
    }
    return Future.all(replies).map(all -> {
      JsonArray out = new JsonArray();
      replies.forEach(f -> out.add(f.result()));
      return out;
    });
  }

  private Future<JsonObject> send(MemoryOwner owner, MemoryOp op, JsonObject body, PieceBatch batch) {
    if (routes != null) {
      return routes.send(owner.username(), shardOf(owner.username()), new MemoryRequest(op, owner, body, batch), DELIVERY);
    }
    return send(shardOf(owner.username()), new MemoryRequest(op, owner, body, batch));
  }

  private Future<JsonObject> send(int shard, MemoryRequest request) {
    return vertx.eventBus().<JsonObject>request(prefix + shard, request, DELIVERY)
        .map(m -> m.body())
        .recover(t -> Future.failedFuture(Problem.from(t)));
  }
}
