package dev.gauntlet.memory;

import dev.gauntlet.cluster.Cluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A shard-wide operation (open connections, close all) asked of every node's shards at once, so
 * memory health describes the whole cluster and not only the node that was asked. Each node's
 * shards get a few seconds: a node that does not answer in time is named in {@code unanswered},
 * never waited for, so a stuck node cannot hang an admin's health page. Alone, the one node is
 * this process.
 */
final class MemoryNodes {

  /** How long a node's shards have to answer a health question. */
  static final long TIMEOUT_MS = 5_000;
  private static final Logger LOG = Logger.getLogger(MemoryNodes.class.getName());
  private static final DeliveryOptions DELIVERY = new DeliveryOptions()
      .setCodecName(MemoryRequest.Codec.NAME).setSendTimeout(TIMEOUT_MS);

  private final Vertx vertx;
  private final int shards;
  /** Null outside cluster mode. */
  private final Cluster cluster;

  MemoryNodes(Vertx vertx, int shards, Cluster cluster) {
    this.vertx = vertx;
    this.shards = shards;
    this.cluster = cluster;
  }

  /**
   * {@code {nodes: [{node, self, shards: [...], <sums>}], unanswered: [node]}}: every answering
   * node's shard replies, with the numeric fields named in {@code sums} added up per node.
   */
  Future<JsonObject> ask(MemoryOp op, List<String> sums) {
    List<String> nodes = cluster == null ? List.of("local") : cluster.nodes();
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String node : nodes) {
      answers.add(askNode(node, op, sums));
    }
    // one node's failure must not hide the others': each answer settles on its own
    return Future.join(answers).transform(ignored -> {
      JsonArray answered = new JsonArray();
      JsonArray unanswered = new JsonArray();
      for (int i = 0; i < nodes.size(); i++) {
        Future<JsonObject> answer = answers.get(i);
        if (answer.succeeded()) {
          answered.add(answer.result());
        } else {
          LOG.warning("memory node " + nodes.get(i) + " did not answer " + op + ": " + answer.cause().getMessage());
          unanswered.add(nodes.get(i));
        }
      }
      return Future.succeededFuture(new JsonObject().put("nodes", answered).put("unanswered", unanswered));
    });
  }

  private Future<JsonObject> askNode(String node, MemoryOp op, List<String> sums) {
    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      MemoryRequest request = new MemoryRequest(op, null, new JsonObject(), null);
      replies.add(cluster == null
          ? vertx.eventBus().request(MemoryClient.address(i), request, DELIVERY)
          : cluster.request(vertx, node, MemoryClient.address(node, i), request, DELIVERY));
    }
    return Future.all(replies).map(all -> {
      JsonObject out = new JsonObject().put("node", node).put("self", cluster == null || node.equals(cluster.nodeId()));
      JsonArray shardReplies = new JsonArray();
      for (String sum : sums) {
        out.put(sum, 0L);
      }
      for (Future<Message<JsonObject>> reply : replies) {
        JsonObject shard = reply.result().body();
        shardReplies.add(shard);
        for (String sum : sums) {
          out.put(sum, out.getLong(sum) + shard.getLong(sum, 0L));
        }
      }
      return out.put("shards", shardReplies);
    });
  }
}
