package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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

  public MemoryClient(Vertx vertx, int shards) {
    this(vertx, shards, ADDRESS_PREFIX);
  }

  private MemoryClient(Vertx vertx, int shards, String prefix) {
    this.vertx = vertx;
    this.shards = shards;
    this.prefix = prefix;
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

  public int shardOf(String username) {
    return Math.floorMod(username.hashCode(), shards);
  }

  public Future<JsonObject> call(MemoryOwner owner, MemoryOp op, JsonObject body) {
    return send(shardOf(owner.username()), new MemoryRequest(op, owner, body, null));
  }

  public Future<JsonObject> config(MemoryOwner owner, MemoryOp op, ConfigKind kind, JsonObject body) {
    return call(owner, op, body.put("kind", kind.table()));
  }

  /** Parses on the caller's thread, so a bad batch is refused before it queues at the shard. */
  public Future<JsonObject> append(MemoryOwner owner, JsonObject body) {
    PieceBatch batch;
    try {
      batch = PieceBatch.parse(body);
    } catch (Problem p) {
      return Future.failedFuture(p);
    }
    return send(shardOf(owner.username()), new MemoryRequest(MemoryOp.PIECES_APPEND, owner, body, batch));
  }

  /**
   * Commits an execution's finished prompts: their pieces and scores and one result row per
   * prompt, in one transaction.
   */
  public Future<JsonObject> recordExecution(MemoryOwner owner, String executionId, PieceBatch batch, JsonArray results) {
    return send(shardOf(owner.username()), new MemoryRequest(MemoryOp.EXECUTION_RECORD, owner,
        new JsonObject().put("id", executionId).put("results", results), batch));
  }

  /** Every shard's open connections. */
  public Future<JsonArray> stats() {
    return everyShard(MemoryOp.SHARD_STATS);
  }

  /** Closes every open memory connection, as idle-closing would. */
  public Future<JsonArray> closeAll() {
    return everyShard(MemoryOp.SHARD_CLOSE_ALL);
  }

  private Future<JsonArray> everyShard(MemoryOp op) {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      replies.add(send(i, new MemoryRequest(op, null, new JsonObject(), null)));
    }
    return Future.all(replies).map(all -> {
      JsonArray out = new JsonArray();
      replies.forEach(f -> out.add(f.result()));
      return out;
    });
  }

  private Future<JsonObject> send(int shard, MemoryRequest request) {
    return vertx.eventBus().<JsonObject>request(prefix + shard, request, DELIVERY)
        .map(m -> m.body())
        .recover(t -> Future.failedFuture(Problem.from(t)));
  }
}
