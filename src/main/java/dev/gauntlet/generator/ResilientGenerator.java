package dev.gauntlet.generator;

import dev.gauntlet.Metrics;
import dev.gauntlet.budget.ProviderBudgets;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
  /** The endpoint host (null for none) and model whose provider budget every attempt draws from. */
  private final String host;
  private final String model;
  private final ProviderBudgets budgets;
  private volatile boolean closed;

  /** In cluster mode, the pace every node's copy of this generator shares (see {@link dev.gauntlet.cluster.ClusterPace}); null alone. */
  private final dev.gauntlet.cluster.ClusterPace clusterPace;
  private final String paceKey;
  /** In cluster mode, the generator's requests in flight on every node (see {@link dev.gauntlet.cluster.ClusterConcurrency}); null alone. */
  private final dev.gauntlet.cluster.ClusterConcurrency clusterConcurrency;

  ResilientGenerator(Vertx vertx, Target target, Resilience limits, Metrics.Generator meters) {
    this(vertx, target, limits, meters, null, null, null);
  }

  /** {@code key} names the generator across the cluster (its id), so every node paces it as one. */
  ResilientGenerator(Vertx vertx, Target target, Resilience limits, Metrics.Generator meters, String host, String model, String key) {
    dev.gauntlet.cluster.Cluster cluster = key == null ? null : dev.gauntlet.cluster.Cluster.of(vertx);
    this.clusterPace = cluster == null || limits.requestsPerMinute() <= 0 ? null : cluster.pace();
    this.clusterConcurrency = cluster == null ? null : cluster.concurrency();
    this.paceKey = key;
    this.vertx = vertx;
    this.target = target;
    this.limits = limits;
    this.meters = meters;
    this.host = host;
    this.model = model;
    this.budgets = ProviderBudgets.of(vertx);
    this.gate = new ConcurrencyGate(vertx, limits.maxConcurrency());
    // capacity 1: attempts are spaced evenly instead of bursting a minute's worth at once
    this.pace = limits.requestsPerMinute() <= 0 ? null : Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(1)
            .refillGreedy(1, Duration.ofNanos(TimeUnit.MINUTES.toNanos(1) / limits.requestsPerMinute())).build())
        .build();
  }

  @Override
  public Future<GeneratorReply> send(List<ChatMessage> messages) {
    return send(messages, null);
  }

  @Override
  public Future<GeneratorReply> send(List<ChatMessage> messages, JsonArray tools) {
    Request conversation = new Request(List.copyOf(messages), ToolCalls.definitions(tools));
    return gate.acquire().transform(slot -> {
      if (slot.failed()) {
        return Future.succeededFuture(closedReply(0));
      }
      Promise<GeneratorReply> done = Promise.promise();
      long start = System.nanoTime();
      done.future().onComplete(r -> {
        if (clusterConcurrency != null) {
          clusterConcurrency.release(paceKey);
        }
        gate.release();
        meters.reply(System.nanoTime() - start, r.succeeded() ? r.result().error() : ReplyError.UNKNOWN);
      });
      if (clusterConcurrency == null) {
        attempt(conversation, 1, start, done);
      } else {
        // this node's slot first, then one of the cluster's: max_concurrency holds across every node
        clusterConcurrency.acquire(vertx, paceKey, limits.maxConcurrency()).onComplete(permit -> attempt(conversation, 1, start, done));
      }
      return done.future();
    });
  }

  @Override
  public JsonObject identifier() {
    return target.identifier();
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public void close() {
    closed = true;
    gate.close();
    target.close();
  }

  /** Attempt {@code n}, once the pace allows it. */
  private void attempt(Request conversation, int n, long start, Promise<GeneratorReply> done) {
    if (closed) {
      done.complete(closedReply(n - 1));
      return;
    }
    if (clusterPace != null) {
      long intervalMicros = TimeUnit.MINUTES.toMicros(1) / limits.requestsPerMinute();
      clusterPace.turn(vertx, paceKey, intervalMicros).onComplete(t -> budgeted(conversation, n, start, done));
      return;
    }
    long waitNanos = pace == null ? 0 : pace.consumeIgnoringRateLimits(1);
    if (waitNanos > 0) {
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)), t -> budgeted(conversation, n, start, done));
    } else {
      budgeted(conversation, n, start, done);
    }
  }

  /** Attempt {@code n}, once the host's provider budget allows one more request. */
  private void budgeted(Request conversation, int n, long start, Promise<GeneratorReply> done) {
    if (!budgets.covers(host)) {
      fire(conversation, n, start, done);
      return;
    }
    Future<Void> turn = budgets.acquire(host);
    if (turn.succeeded()) {
      fire(conversation, n, start, done);
    } else {
      turn.onComplete(t -> {
        if (closed) {
          done.complete(closedReply(n - 1));
        } else {
          fire(conversation, n, start, done);
        }
      });
    }
  }

  /** Tells the host's budget what an answer used: the target's own count, else about 4 characters a token. */
  private void consumed(Request conversation, Outcome o) {
    long in = o.inputTokens();
    long out = o.outputTokens();
    if (in < 0 || out < 0) {
      long chars = 0;
      for (ChatMessage m : conversation.messages()) {
        chars += m.content() == null ? 0 : m.content().length();
      }
      in = (chars + 3) / 4;
      out = (o.text().length() + 3L) / 4;
    }
    budgets.consumed(host, model, in, out);
  }

  private void fire(Request conversation, int n, long start, Promise<GeneratorReply> done) {
    Promise<Void> abandoned = Promise.promise();
    Promise<Outcome> outcome = Promise.promise();
    long timeoutMs = limits.timeoutMs();
    long timer = vertx.setTimer(timeoutMs, t -> {
      outcome.tryComplete(Outcome.failed(ReplyError.TIMEOUT, 0, "no complete answer within " + timeoutMs + " ms"));
      abandoned.tryComplete();
    });
    Future<Outcome> answer;
    try {
      answer = conversation.tools() == null ? target.attempt(conversation.messages(), timeoutMs, abandoned.future())
          : target.attempt(conversation.messages(), conversation.tools(), timeoutMs, abandoned.future());
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
      if (o.ok() && budgets.covers(host)) {
        consumed(conversation, o);
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (o.ok()) {
        done.complete(GeneratorReply.ok(o.text(), o.status(), elapsedMs, n).withToolCalls(o.toolCalls()));
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

  /** What every attempt of one send carries: the conversation and the tools offered (null: none). */
  private record Request(List<ChatMessage> messages, JsonArray tools) {}

  private static GeneratorReply closedReply(int attempts) {
    return GeneratorReply.failed(ReplyError.UNKNOWN, 0, 0, attempts, "the generator was closed");
  }
}
