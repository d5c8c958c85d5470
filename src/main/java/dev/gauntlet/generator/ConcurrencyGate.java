package dev.gauntlet.generator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code max} holders at once; the rest wait first come, first served. Nobody blocks: a
 * waiter's future completes, on its own context, when a slot passes to it. Handing over on the
 * context rather than in {@link #release}'s stack keeps long queues of instant answers from
 * recursing.
 */
final class ConcurrencyGate {

  private record Waiter(Promise<Void> promise, Context context) {}

  private final Vertx vertx;
  private final int max;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int held;
  private boolean closed;

  ConcurrencyGate(Vertx vertx, int max) {
    this.vertx = vertx;
    this.max = max;
  }

  Future<Void> acquire() {
    Promise<Void> p = Promise.promise();
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("closed"));
      }
      if (held < max) {
        held++;
        return Future.succeededFuture();
      }
      waiting.add(new Waiter(p, vertx.getOrCreateContext()));
    }
    return p.future();
  }

  void release() {
    Waiter next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        held--;
        return;
      }
    }
    next.context().runOnContext(v -> next.promise().complete());
  }

  /** Refuses newcomers and fails everyone still waiting. */
  void close() {
    List<Waiter> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(waiting);
      waiting.clear();
    }
    dropped.forEach(w -> w.context().runOnContext(v -> w.promise().fail(new IllegalStateException("closed"))));
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
