package dev.gauntlet.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

/**
 * This node's view of the cluster: its id, and the leases and limits every node shares. Found
 * from any component by its Vert.x ({@link #of}); absent outside cluster mode, where one
 * process holds everything and nothing needs a lease.
 */
public final class Cluster implements Shareable {

  private static final String LOCAL_MAP = "gauntlet.cluster";
  /** Memory leases are keyed by username; executions by execution id, re-scoring jobs by "rescore:" + id. */
  static final String MEMORY_LEASES = "gauntlet.leases.memory";
  static final String EXECUTION_LEASES = "gauntlet.leases.execution";
  static final String PACE = "gauntlet.generator.pace";
  static final String IN_FLIGHT = "gauntlet.generator.inflight";
  static final String RATES = "gauntlet.ratelimit";

  private final String nodeId;
  private final HazelcastInstance hazelcast;
  private final Leases memory;
  private final Leases executions;
  private final ClusterPace pace;
  private final ClusterConcurrency concurrency;
  private final ClusterRates rates;
  private final io.vertx.core.spi.cluster.ClusterManager manager;

  Cluster(io.vertx.core.spi.cluster.ClusterManager manager, String nodeId, HazelcastInstance hazelcast, long leaseMillis) {
    this.manager = manager;
    this.nodeId = nodeId;
    this.hazelcast = hazelcast;
    this.memory = new Leases(hazelcast.getMap(MEMORY_LEASES), nodeId, leaseMillis);
    this.executions = new Leases(hazelcast.getMap(EXECUTION_LEASES), nodeId, leaseMillis);
    this.pace = new ClusterPace(hazelcast.getMap(PACE));
    this.concurrency = new ClusterConcurrency(hazelcast.getMap(IN_FLIGHT), this);
    this.rates = new ClusterRates(hazelcast.getMap(RATES));
  }

  /** The cluster this Vert.x is a node of, or null when it runs alone. */
  public static Cluster of(Vertx vertx) {
    if (vertx == null || !vertx.isClustered()) {
      return null;
    }
    return (Cluster) vertx.sharedData().getLocalMap(LOCAL_MAP).get("cluster");
  }

  static void attach(Vertx vertx, Cluster cluster) {
    vertx.sharedData().getLocalMap(LOCAL_MAP).put("cluster", cluster);
  }

  /** This node's id: its Vert.x cluster node id. */
  public String nodeId() {
    return nodeId;
  }

  /** Who holds each user's memory. */
  public Leases memoryLeases() {
    return memory;
  }

  /** Who runs each execution (and re-scoring job). */
  public Leases executionLeases() {
    return executions;
  }

  /** Generators' requests per minute, across every node. */
  public ClusterPace pace() {
    return pace;
  }

  /** Generators' requests in flight, across every node. */
  public ClusterConcurrency concurrency() {
    return concurrency;
  }

  /** The API and sign-in rate limits ({@code rateLimit.*}), across every node. */
  public ClusterRates rates() {
    return rates;
  }

  /** The nodes in the cluster now (this member's view). */
  public java.util.List<String> nodes() {
    return manager.getNodes();
  }

  /** Whether a node is in the cluster now (this member's view). */
  public boolean isMember(String node) {
    return manager.getNodes().contains(node);
  }

  /**
   * A request to an address only {@code node} listens on, failing with {@link
   * io.vertx.core.eventbus.ReplyFailure#NO_HANDLERS} as soon as that node leaves the cluster:
   * Vert.x itself would wait out the whole send timeout for an answer a dead node never sends.
   */
  public <T> io.vertx.core.Future<io.vertx.core.eventbus.Message<T>> request(Vertx vertx, String node, String address, Object message,
                                                                             io.vertx.core.eventbus.DeliveryOptions options) {
    if (node.equals(nodeId)) {
      return vertx.eventBus().request(address, message, options);
    }
    if (!isMember(node)) {
      return io.vertx.core.Future.failedFuture(new io.vertx.core.eventbus.ReplyException(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS,
          "node " + node + " has left the cluster"));
    }
    io.vertx.core.Promise<io.vertx.core.eventbus.Message<T>> answer = io.vertx.core.Promise.promise();
    long watch = vertx.setPeriodic(250, id -> {
      if (!isMember(node)) {
        answer.tryFail(new io.vertx.core.eventbus.ReplyException(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS,
            "node " + node + " left the cluster before answering"));
      }
    });
    vertx.eventBus().<T>request(address, message, options).onComplete(ar -> {
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else {
        answer.tryFail(ar.cause());
      }
    });
    return answer.future().onComplete(ar -> vertx.cancelTimer(watch));
  }

  /** The members now in the cluster, by address. */
  public int members() {
    return hazelcast.getCluster().getMembers().size();
  }
}
