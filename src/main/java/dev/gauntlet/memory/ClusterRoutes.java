package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import dev.gauntlet.cluster.Cluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * In cluster mode, which node a user's memory operations go to. The node holding the user's
 * memory lease is asked first (its shards are the only ones that may open the file); with no
 * live lease, this node's own shard takes one. A shard that finds the lease held elsewhere
 * answers {@link #ELSEWHERE} with the holder's id and the request follows it; a holder that has
 * died leaves no handler, and the request waits for its lease to run out, then lands here.
 * The route is remembered per user so the lease is looked up only when it moved.
 */
final class ClusterRoutes {

  /** A shard's answer when the user's memory is held by another node; the message is that node's id. */
  static final String ELSEWHERE = "memory_elsewhere";
  private static final long RETRY_MS = 300;
  private static final int MAX_REMEMBERED = 100_000;

  private final Vertx vertx;
  private final Cluster cluster;
  private final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();

  ClusterRoutes(Vertx vertx, Cluster cluster) {
    this.vertx = vertx;
    this.cluster = cluster;
  }

  String self() {
    return cluster.nodeId();
  }

  Future<JsonObject> send(String username, int shard, MemoryRequest request, DeliveryOptions delivery) {
    // long enough for a dead holder's lease to run out and the user to move
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cluster.memoryLeases().ttlMillis() + 20_000);
    return route(username).compose(node -> attempt(username, shard, node, request, delivery, deadline));
  }

  Future<JsonObject> sendTo(String address, MemoryRequest request, DeliveryOptions delivery) {
    return vertx.eventBus().<JsonObject>request(address, request, delivery).map(m -> m.body())
        .recover(t -> Future.failedFuture(Problem.from(t)));
  }

  private Future<String> route(String username) {
    String remembered = known.get(username);
    if (remembered != null) {
      return Future.succeededFuture(remembered);
    }
    return Future.fromCompletionStage(cluster.memoryLeases().current(username), vertx.getOrCreateContext())
        .map(lease -> lease.live() ? lease.holder() : self());
  }

  private Future<JsonObject> attempt(String username, int shard, String node, MemoryRequest request, DeliveryOptions delivery,
                                     long deadline) {
    return cluster.<JsonObject>request(vertx, node, MemoryClient.address(node, shard), request, delivery)
        .map(m -> {
          remember(username, node);
          return m.body();
        })
        .recover(t -> {
          boolean inTime = System.nanoTime() < deadline;
          if (t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS && inTime) {
            // the holder is gone (or not started yet): ask again once its lease may have run out
            known.remove(username);
            return later().compose(v -> route(username)).compose(next -> attempt(username, shard, next, request, delivery, deadline));
          }
          Problem p = Problem.from(t);
          if (ELSEWHERE.equals(p.code()) && inTime) {
            String holder = p.getMessage();
            remember(username, holder);
            Future<Void> pause = holder.equals(node) ? later() : Future.succeededFuture();
            return pause.compose(v -> attempt(username, shard, holder, request, delivery, deadline));
          }
          if (ELSEWHERE.equals(p.code())) {
            return Future.failedFuture(new Problem(503, "memory_unavailable",
                "the memory of '" + username + "' is held by a node that does not answer; try again shortly"));
          }
          return Future.failedFuture(p);
        });
  }

  private void remember(String username, String node) {
    if (known.size() > MAX_REMEMBERED) {
      known.clear();
    }
    known.put(username, node);
  }

  private Future<Void> later() {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(RETRY_MS, id -> p.complete());
    return p.future();
  }
}
