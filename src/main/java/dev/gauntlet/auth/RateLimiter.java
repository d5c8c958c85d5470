package dev.gauntlet.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gauntlet.config.RateLimitConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

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
    int perMinute = perMinute(limit);
    Entry e = buckets.get(limit + "\u0000" + client, k -> new Entry(Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, PERIOD).build()).build(), new AtomicLong()));
    ConsumptionProbe probe = e.bucket().tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return null;
    }
    long now = System.nanoTime();
    long last = e.lastRefusalNanos().get();
    boolean report = (last == 0 || now - last >= AUDIT_EVERY_NANOS) && e.lastRefusalNanos().compareAndSet(last, now);
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
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
