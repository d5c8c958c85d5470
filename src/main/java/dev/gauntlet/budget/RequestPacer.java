package dev.gauntlet.budget;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Spaces the requests to one host evenly, {@code requestsPerMinute} a minute: a bucket of one
 * token refilled every {@code 60 s / requestsPerMinute}, so no minute (however it is cut) sees more
 * than that many. {@link #local} paces this process; a cluster passes one whose bucket all nodes
 * share, and {@link LocalProviderBudgets} is otherwise the same.
 */
public interface RequestPacer {

  /** Completes when one request to {@code host} may go, under {@code requestsPerMinute} (above 0). */
  Future<Void> take(String host, int requestsPerMinute);

  /** This process's buckets, one per host and rate (a changed rate starts a fresh bucket). */
  static RequestPacer local(Vertx vertx) {
    Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    return (host, rpm) -> {
      Bucket bucket = buckets.computeIfAbsent(host + "@" + rpm, k -> Bucket.builder()
          .addLimit(Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofNanos(TimeUnit.MINUTES.toNanos(1) / rpm)).build())
          .build());
      long waitNanos = bucket.consumeIgnoringRateLimits(1);
      if (waitNanos <= 0) {
        return Future.succeededFuture();
      }
      Promise<Void> turn = Promise.promise();
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)), t -> turn.complete());
      return turn.future();
    };
  }
}
