package dev.gauntlet.generator;

import dev.gauntlet.Metrics;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Every generator type as users get it: one {@link Target} behind a concurrency cap with a FIFO
 * queue, a requests-per-minute pace, a timeout per attempt, and retries with exponential backoff
 * and jitter that defer to the target's {@code Retry-After}. A send holds its slot across its
 * retries so a struggling target sees less traffic, not more. Nothing here blocks: waits are
 * timers.
 */
final class ResilientGenerator implements Generator {

  /** The longest {@code Retry-After} we honour; a target asking for hours gets retried sooner. */
  static final long MAX_RETRY_AFTER_MS = 120_000;
  private static final long MAX_BACKOFF_MS = 60_000;

  private final Vertx vertx;
  private final Target target;
  private final Resilience limits;
  private final ConcurrencyGate gate;
  private final Bucket pace;
  private final Metrics.Generator meters;
  private volatile boolean closed;

  /** In cluster mode, the pace every node's copy of this generator shares (see {@link dev.gauntlet.cluster.ClusterPace}); null alone. */
  private final dev.gauntlet.cluster.ClusterPace clusterPace;
  private final String paceKey;
  private static final java.util.logging.Logger PACE_WARNINGS = java.util.logging.Logger.getLogger(ResilientGenerator.class.getName());

  ResilientGenerator(Vertx vertx, Target target, Resilience limits, Metrics.Generator meters) {
    this(vertx, target, limits, meters, null);
  }

  /** {@code key} names the generator across the cluster (its id), so every node paces it as one. */
  ResilientGenerator(Vertx vertx, Target target, Resilience limits, Metrics.Generator meters, String key) {
    dev.gauntlet.cluster.Cluster cluster = key == null || limits.requestsPerMinute() <= 0 ? null : dev.gauntlet.cluster.Cluster.of(vertx);
    this.clusterPace = cluster == null ? null : cluster.pace();
    this.paceKey = key;
    this.vertx = vertx;
    this.target = target;
    this.limits = limits;
    this.meters = meters;
    this.gate = new ConcurrencyGate(vertx, limits.maxConcurrency());
    // capacity 1: attempts are spaced evenly instead of bursting a minute's worth at once
    this.pace = limits.requestsPerMinute() <= 0 ? null : Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(1)
            .refillGreedy(1, Duration.ofNanos(TimeUnit.MINUTES.toNanos(1) / limits.requestsPerMinute())).build())
        .build();
  }

  @Override
  public Future<GeneratorReply> send(List<ChatMessage> messages) {
    List<ChatMessage> conversation = List.copyOf(messages);
    return gate.acquire().transform(slot -> {
      if (slot.failed()) {
        return Future.succeededFuture(closedReply(0));
      }
      Promise<GeneratorReply> done = Promise.promise();
      long start = System.nanoTime();
      done.future().onComplete(r -> {
        gate.release();
        meters.reply(System.nanoTime() - start, r.succeeded() ? r.result().error() : ReplyError.UNKNOWN);
      });
      attempt(conversation, 1, start, done);
      return done.future();
    });
  }

  @Override
  public JsonObject identifier() {
    return target.identifier();
  }

  @Override
  public void close() {
    closed = true;
    gate.close();
    target.close();
  }

  /** Attempt {@code n}, once the pace allows it. */
  private void attempt(List<ChatMessage> conversation, int n, long start, Promise<GeneratorReply> done) {
    if (closed) {
      done.complete(closedReply(n - 1));
      return;
    }
    if (clusterPace != null) {
      long intervalMicros = TimeUnit.MINUTES.toMicros(1) / limits.requestsPerMinute();
      Future.fromCompletionStage(clusterPace.reserve(paceKey, intervalMicros), vertx.getOrCreateContext()).onComplete(slot -> {
        // the cluster not answering holds requests back rather than letting them past the limit
        long waitMicros = slot.succeeded() ? slot.result() - System.currentTimeMillis() * 1000 : intervalMicros;
        if (slot.failed()) {
          PACE_WARNINGS.warning("the cluster's pace for generator " + paceKey + " did not answer (" + slot.cause()
              + "); waiting one interval");
        }
        if (waitMicros > 0) {
          vertx.setTimer(Math.max(1, TimeUnit.MICROSECONDS.toMillis(waitMicros + 999)), t -> fire(conversation, n, start, done));
        } else {
          fire(conversation, n, start, done);
        }
      });
      return;
    }
    long waitNanos = pace == null ? 0 : pace.consumeIgnoringRateLimits(1);
    if (waitNanos > 0) {
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)), t -> fire(conversation, n, start, done));
    } else {
      fire(conversation, n, start, done);
    }
  }

  private void fire(List<ChatMessage> conversation, int n, long start, Promise<GeneratorReply> done) {
    Promise<Void> abandoned = Promise.promise();
    Promise<Outcome> outcome = Promise.promise();
    long timeoutMs = limits.timeoutMs();
    long timer = vertx.setTimer(timeoutMs, t -> {
      outcome.tryComplete(Outcome.failed(ReplyError.TIMEOUT, 0, "no complete answer within " + timeoutMs + " ms"));
      abandoned.tryComplete();
    });
    Future<Outcome> answer;
    try {
      answer = target.attempt(conversation, timeoutMs, abandoned.future());
    } catch (RuntimeException bug) {
      answer = Future.failedFuture(bug);
    }
    answer.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        outcome.tryComplete(ar.result());
      } else {
        outcome.tryFail(ar.cause());
      }
    });
    outcome.future().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause()); // a fault of ours, not of the target
        return;
      }
      Outcome o = ar.result();
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (o.ok()) {
        done.complete(GeneratorReply.ok(o.text(), o.status(), elapsedMs, n));
      } else if (o.retryable() && n <= limits.maxRetries() && !closed) {
        meters.retry();
        vertx.setTimer(Math.max(1, delayBefore(n + 1, o)), t -> attempt(conversation, n + 1, start, done));
      } else {
        String detail = o.detail() == null ? o.error().value() : o.detail();
        done.complete(GeneratorReply.failed(o.error(), o.status(), elapsedMs, n,
            n > 1 ? detail + " (after " + n + " attempts)" : detail));
      }
    });
  }

  /** Retry-After when a 429 or 503 sent one; else exponential backoff with equal jitter. */
  private long delayBefore(int nextAttempt, Outcome last) {
    if (last.retryAfterMs() >= 0 && (last.status() == 429 || last.status() == 503)) {
      return Math.min(last.retryAfterMs(), MAX_RETRY_AFTER_MS);
    }
    long exp = Math.min(MAX_BACKOFF_MS, limits.retryBackoffMs() << Math.min(nextAttempt - 2, 20));
    return exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
  }

  private static GeneratorReply closedReply(int attempts) {
    return GeneratorReply.failed(ReplyError.UNKNOWN, 0, 0, attempts, "the generator was closed");
  }
}
