package dev.gauntlet.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A generator's {@code requests_per_minute} across the whole cluster: one schedule per generator,
 * kept where its key's partition lives, from which every node reserves the next slot. It is the
 * same token bucket a single node keeps (capacity one, one token every {@code 60 s / rpm}),
 * written as its theoretical arrival time: a request may go at {@code max(now, next)} and moves
 * {@code next} one interval on. One round trip per request, decided by one clock.
 */
public final class ClusterPace {

  private final IMap<String, Long> map;

  ClusterPace(IMap<String, Long> map) {
    this.map = map;
  }

  /**
   * Reserves a slot for one request; completes with the slot's time, in microseconds since the
   * epoch by the clock of the member that decided it. The caller sends at that time by its own
   * clock (nodes keep their clocks in step with NTP), so a slow answer to one reservation does
   * not push its request into the next one's slot.
   */
  public CompletionStage<Long> reserve(String generatorKey, long intervalMicros) {
    return map.submitToKey(generatorKey + "@" + intervalMicros, new Reserve(intervalMicros));
  }

  /**
   * Completes at the reserved slot, by this node's clock: when one request under the schedule
   * {@code key} may go. If the cluster does not answer, after one interval (holding a request
   * back rather than letting it past the limit), with a warning.
   */
  public io.vertx.core.Future<Void> turn(io.vertx.core.Vertx vertx, String key, long intervalMicros) {
    io.vertx.core.Promise<Void> turn = io.vertx.core.Promise.promise();
    io.vertx.core.Future.fromCompletionStage(reserve(key, intervalMicros), vertx.getOrCreateContext()).onComplete(slot -> {
      long waitMicros = slot.succeeded() ? slot.result() - System.currentTimeMillis() * 1000 : intervalMicros;
      if (slot.failed()) {
        LOG.warning("the cluster's pace for " + key + " did not answer (" + slot.cause() + "); waiting one interval");
      }
      if (waitMicros > 0) {
        vertx.setTimer(Math.max(1, java.util.concurrent.TimeUnit.MICROSECONDS.toMillis(waitMicros + 999)), t -> turn.complete());
      } else {
        turn.complete();
      }
    });
    return turn.future();
  }

  /** Provider budgets' requests per minute per endpoint host, shared by every node (see {@link dev.gauntlet.budget.RequestPacer}). */
  public dev.gauntlet.budget.RequestPacer pacer(io.vertx.core.Vertx vertx) {
    return (host, requestsPerMinute) -> turn(vertx, "host:" + host, java.util.concurrent.TimeUnit.MINUTES.toMicros(1) / requestsPerMinute);
  }

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ClusterPace.class.getName());

  static final class Reserve implements EntryProcessor<String, Long, Long> {
    private static final long serialVersionUID = 1L;
    private final long intervalMicros;
    private Long decided;

    Reserve(long intervalMicros) {
      this.intervalMicros = intervalMicros;
    }

    @Override
    public Long process(Map.Entry<String, Long> entry) {
      long now = System.currentTimeMillis() * 1000;
      long next = entry.getValue() == null ? 0 : entry.getValue();
      long slot = Math.max(now, next);
      decided = slot + intervalMicros;
      entry.setValue(decided);
      return slot;
    }

    @Override
    public EntryProcessor<String, Long, Long> getBackupProcessor() {
      Long value = decided;
      return value == null ? null : new StoreNext(value);
    }
  }

  static final class StoreNext implements EntryProcessor<String, Long, Long> {
    private static final long serialVersionUID = 1L;
    private final long value;

    StoreNext(long value) {
      this.value = value;
    }

    @Override
    public Long process(Map.Entry<String, Long> entry) {
      entry.setValue(value);
      return value;
    }

    @Override
    public EntryProcessor<String, Long, Long> getBackupProcessor() {
      return null;
    }
  }
}
