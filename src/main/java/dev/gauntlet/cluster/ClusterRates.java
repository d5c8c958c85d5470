package dev.gauntlet.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Rate limits ({@code rateLimit.*}) shared by every node: one bucket per limit and client, kept
 * where its key's partition lives. The bucket is the one a single node keeps (holds {@code n},
 * refills {@code n} a minute evenly), written as its theoretical arrival time (GCRA): a request
 * moves the time one interval on from {@code max(now, time)} and is allowed while that stays
 * within {@code n} intervals of now. One entry processor, one round trip per request.
 */
public final class ClusterRates {

  private final IMap<String, Long> map;

  ClusterRates(IMap<String, Long> map) {
    this.map = map;
  }

  /** The rates kept in {@code hazelcast}'s map of them (what {@link Cluster#rates} is; for benchmarks and tests). */
  public static ClusterRates on(com.hazelcast.core.HazelcastInstance hazelcast) {
    return new ClusterRates(hazelcast.getMap(Cluster.RATES));
  }

  /**
   * Takes one token from {@code key}'s bucket of {@code perMinute}; completes with 0 when allowed,
   * else the microseconds until a token is back (nothing is taken then).
   */
  public CompletionStage<Long> take(String key, int perMinute) {
    return map.submitToKey(key + "@" + perMinute, new Take(perMinute));
  }

  static final class Take implements EntryProcessor<String, Long, Long> {
    private static final long serialVersionUID = 1L;
    private static final long MINUTE_MICROS = 60_000_000L;
    private final int perMinute;
    private Long decided;

    Take(int perMinute) {
      this.perMinute = perMinute;
    }

    @Override
    public Long process(Map.Entry<String, Long> entry) {
      long now = System.currentTimeMillis() * 1000;
      long interval = MINUTE_MICROS / perMinute;
      long time = entry.getValue() == null ? now : Math.max(now, entry.getValue());
      long next = time + interval;
      long over = next - now - interval * perMinute;
      if (over > 0) {
        decided = null;
        return over;
      }
      decided = next;
      entry.setValue(next);
      return 0L;
    }

    @Override
    public EntryProcessor<String, Long, Long> getBackupProcessor() {
      Long value = decided;
      return value == null ? null : new ClusterPace.StoreNext(value);
    }
  }
}
