package dev.gauntlet.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generator's {@code max_concurrency} across the whole cluster: one entry per generator counts
 * the requests in flight on each node, and a node may start one only while the sum is under the
 * limit. Counts of nodes that have left the cluster are dropped at the next acquire, so a dead
 * node's permits come back. A node refused waits a moment and asks again.
 */
public final class ClusterConcurrency {

  private static final long RETRY_MS = 15;

  private final IMap<String, String> map;
  private final Cluster cluster;

  ClusterConcurrency(IMap<String, String> map, Cluster cluster) {
    this.map = map;
    this.cluster = cluster;
  }

  /** Completes once this node holds one of the generator's {@code max} permits. */
  public Future<Void> acquire(Vertx vertx, String key, int max) {
    Promise<Void> granted = Promise.promise();
    attempt(vertx, key, max, granted);
    return granted.future();
  }

  private void attempt(Vertx vertx, String key, int max, Promise<Void> granted) {
    Future.fromCompletionStage(map.submitToKey(key, new Acquire(cluster.nodeId(), max, cluster.nodes())), vertx.getOrCreateContext())
        .onComplete(ar -> {
          if (ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
            granted.complete();
          } else {
            vertx.setTimer(RETRY_MS, t -> attempt(vertx, key, max, granted));
          }
        });
  }

  /** Gives one permit back. */
  public void release(String key) {
    map.submitToKey(key, new Release(cluster.nodeId()));
  }

  static Map<String, Integer> parse(String value) {
    Map<String, Integer> counts = new TreeMap<>();
    if (value != null && !value.isEmpty()) {
      for (String part : value.split(",")) {
        int eq = part.lastIndexOf('=');
        counts.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
      }
    }
    return counts;
  }

  static String encode(Map<String, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.forEach((node, n) -> {
      if (n > 0) {
        b.append(b.length() == 0 ? "" : ",").append(node).append('=').append(n);
      }
    });
    return b.toString();
  }

  /** Deterministic (no clock): the backups apply the same processor and reach the same counts. */
  static final class Acquire implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String node;
    private final int max;
    private final List<String> live;

    Acquire(String node, int max, List<String> live) {
      this.node = node;
      this.max = max;
      this.live = List.copyOf(live);
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      Map<String, Integer> counts = parse(entry.getValue());
      counts.keySet().retainAll(live);
      int total = counts.values().stream().mapToInt(Integer::intValue).sum();
      boolean ok = total < max;
      if (ok) {
        counts.merge(node, 1, Integer::sum);
      }
      entry.setValue(encode(counts));
      return ok;
    }
  }

  static final class Release implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String node;

    Release(String node) {
      this.node = node;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      Map<String, Integer> counts = parse(entry.getValue());
      counts.computeIfPresent(node, (k, n) -> n - 1);
      entry.setValue(encode(counts));
      return true;
    }
  }
}
