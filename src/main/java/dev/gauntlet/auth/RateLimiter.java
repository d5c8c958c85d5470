package dev.gauntlet.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gauntlet.cluster.Cluster;
import dev.gauntlet.config.RateLimitConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets per client (an address, a login, a user), shared by every HTTP verticle. A bucket
 * of {@code n} per minute holds {@code n} and refills evenly, so a client idle for a minute has a
 * full bucket: forgetting it then changes nothing, which is what keeps the cache small.
 */
public final class RateLimiter {

  /** What is limited, per whom. */
  public enum Limit { SIGN_IN_PER_ADDRESS, SIGN_IN_PER_LOGIN, TOKENS_PER_USER, API_PER_USER, API_PER_ADDRESS }

  /** A refusal: when to retry, and whether it is the first refusal of this client in a second (the one worth auditing). */
  public record Refusal(long retryAfterSeconds, boolean worthAuditing) {}

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(RateLimiter.class.getName());
  private static final Duration PERIOD = Duration.ofMinutes(1);
  private static final long AUDIT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Entry(Bucket bucket, AtomicLong lastRefusalNanos) {}

  private final RateLimitConfig config;
  private final Cache<String, Entry> buckets;

  public RateLimiter(RateLimitConfig config) {
    this.config = config;
    this.buckets = Caffeine.newBuilder().maximumSize(config.maxTracked()).expireAfterAccess(PERIOD)
        .executor(Runnable::run).build();
  }

  /** Takes one token from the client's bucket; null when allowed, else the refusal. */
  public Refusal take(Limit limit, String client) {
    if (!config.enabled() || client == null) {
      return null;
    }
    Entry e = entry(limit, client);
    ConsumptionProbe probe = e.bucket().tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return null;
    }
    return refusal(e, probe.getNanosToWaitForRefill());
  }

  /**
   * As {@link #take(Limit, String)}, but in cluster mode from the bucket every node shares
   * ({@link dev.gauntlet.cluster.ClusterRates}: one round trip to the bucket's partition), so a
   * client spreading requests over nodes still gets the limit once. Alone, or when the cluster
   * does not answer, this node's own bucket decides: a limit is never a reason to fail a request.
   */
  public Future<Refusal> takeShared(Vertx vertx, Limit limit, String client) {
    Cluster cluster = Cluster.of(vertx);
    if (cluster == null || !config.enabled() || client == null) {
      return Future.succeededFuture(take(limit, client));
    }
    return Future.fromCompletionStage(cluster.rates().take(limit + ":" + client, perMinute(limit)), vertx.getOrCreateContext())
        .map(waitMicros -> waitMicros == 0 ? null : refusal(entry(limit, client), TimeUnit.MICROSECONDS.toNanos(waitMicros)))
        .recover(t -> {
          LOG.warning("the cluster's rate limit for " + limit + " did not answer (" + t + "); this node's own bucket decides");
          return Future.succeededFuture(take(limit, client));
        });
  }

  private Entry entry(Limit limit, String client) {
    int perMinute = perMinute(limit);
    return buckets.get(limit + "\u0000" + client, k -> new Entry(Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, PERIOD).build()).build(), new AtomicLong()));
  }

  private static Refusal refusal(Entry e, long nanosToWait) {
    long now = System.nanoTime();
    long last = e.lastRefusalNanos().get();
    boolean report = (last == 0 || now - last >= AUDIT_EVERY_NANOS) && e.lastRefusalNanos().compareAndSet(last, now);
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
    return new Refusal(seconds, report);
  }

  /** How many clients are remembered now (after pending evictions). */
  public long tracked() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  private int perMinute(Limit limit) {
    return switch (limit) {
      case SIGN_IN_PER_ADDRESS -> config.signInPerAddressPerMinute();
      case SIGN_IN_PER_LOGIN -> config.signInPerLoginPerMinute();
      case TOKENS_PER_USER -> config.tokensPerUserPerMinute();
      case API_PER_USER -> config.apiPerUserPerMinute();
      case API_PER_ADDRESS -> config.apiPerAddressPerMinute();
    };
  }
}
