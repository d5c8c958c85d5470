package dev.gauntlet.cluster;

import com.hazelcast.map.IMap;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Cluster-wide leases with fencing tokens, one map of them per kind of thing held (a user's
 * memory, a running execution). A node holds a key until it releases it or stops renewing it;
 * then, {@code ttl} after its last renewal, another node may take it with a higher token.
 *
 * <p>Built on a Hazelcast map whose entries change only through {@link LeaseUpdate}s on their
 * partition, rather than the CP subsystem's FencedLock: that needs at least three CP members and
 * a lock session per holder, while a lease here is one map entry and works from one node up.
 *
 * <p>A holder must stop using what it holds once {@link Hold#valid} turns false: that moment is
 * measured on the holder's own monotonic clock from when it <em>sent</em> its last successful
 * renewal, minus a margin, so it comes before the partition's clock can let anyone else in.
 */
public final class Leases {

  /** What a node holds: the token it writes under and how long, by its own clock, it may go on. */
  public record Hold(String key, long token, long validUntilNanos) {
    public boolean valid() {
      return System.nanoTime() < validUntilNanos;
    }
  }

  /** The answer to an acquire: the hold when granted, else the lease someone else holds. */
  public record Grant(Hold hold, Lease other) {
    public boolean granted() {
      return hold != null;
    }
  }

  private static final long MARGIN_MILLIS = 1000;

  private final IMap<String, String> map;
  private final String node;
  private final long ttlMillis;

  Leases(IMap<String, String> map, String node, long ttlMillis) {
    this.map = map;
    this.node = node;
    this.ttlMillis = ttlMillis;
  }

  public long ttlMillis() {
    return ttlMillis;
  }

  public String node() {
    return node;
  }

  /** Takes the key for this node (or renews it if already ours). Blocks: call from a worker. */
  public Grant acquire(String key) {
    long sent = System.nanoTime();
    Lease after = Lease.parse(map.executeOnKey(key, new LeaseUpdate.Acquire(node, ttlMillis)));
    return after.holder().equals(node) ? new Grant(hold(key, after.token(), sent), null) : new Grant(null, after);
  }

  /** The same, without blocking. */
  public CompletionStage<Grant> acquireAsync(String key) {
    long sent = System.nanoTime();
    return map.submitToKey(key, new LeaseUpdate.Acquire(node, ttlMillis)).thenApply(v -> {
      Lease after = Lease.parse(v);
      return after.holder().equals(node) ? new Grant(hold(key, after.token(), sent), null) : new Grant(null, after);
    });
  }

  /** Renews one hold; null when it is no longer ours. Blocks. */
  public Hold renew(Hold hold) {
    long sent = System.nanoTime();
    Lease after = Lease.parse(map.executeOnKey(hold.key(), new LeaseUpdate.Renew(node, hold.token(), ttlMillis)));
    return renewed(hold, after, sent);
  }

  /**
   * Renews many holds in one call per partition owner: the renewed holds by key; a key missing
   * from the answer is no longer ours. Without blocking.
   */
  public CompletionStage<Map<String, Hold>> renewAll(Map<String, Hold> holds) {
    long sent = System.nanoTime();
    // one processor serves every key only if every token is the same; tokens differ, so group by token
    Map<Long, Set<String>> byToken = new HashMap<>();
    holds.values().forEach(h -> byToken.computeIfAbsent(h.token(), t -> new java.util.HashSet<>()).add(h.key()));
    CompletionStage<Map<String, Hold>> all = java.util.concurrent.CompletableFuture.completedFuture(new HashMap<>());
    for (Map.Entry<Long, Set<String>> group : byToken.entrySet()) {
      CompletionStage<Map<String, String>> answers = map.submitToKeys(group.getValue(),
          new LeaseUpdate.Renew(node, group.getKey(), ttlMillis));
      all = all.thenCombine(answers, (out, a) -> {
        a.forEach((key, value) -> {
          Hold h = renewed(holds.get(key), Lease.parse(value), sent);
          if (h != null) {
            out.put(key, h);
          }
        });
        return out;
      });
    }
    return all;
  }

  /** Gives the key up if still ours; the token stays so the next holder's is higher. */
  public CompletionStage<String> release(Hold hold) {
    return map.submitToKey(hold.key(), new LeaseUpdate.Release(node, hold.token()));
  }

  /** The key's lease as stored (a routing hint: it may change the moment after). */
  public CompletionStage<Lease> current(String key) {
    return map.getAsync(key).thenApply(Lease::parse);
  }

  private Hold renewed(Hold before, Lease after, long sentNanos) {
    if (before == null || !after.holder().equals(node) || after.token() != before.token()) {
      return null;
    }
    return hold(before.key(), after.token(), sentNanos);
  }

  private Hold hold(String key, long token, long sentNanos) {
    return new Hold(key, token, sentNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(500, ttlMillis - MARGIN_MILLIS)));
  }
}
