package dev.gauntlet.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every request {@link FakeOpenAi} received, per prompt text, with the <em>epoch</em> each one
 * arrived in. A crash test moves to the next epoch before each restart of the process under
 * test, so a prompt sent again after a kill shows as epochs {@code [k, k+1]}, and a prompt sent
 * twice by one process as {@code [k, k]}.
 */
final class PromptLog {

  /** Beyond this many distinct prompts, requests are counted but not kept per prompt. */
  static final int MAX_TRACKED_PROMPTS = 200_000;

  /** The epochs of one prompt's requests, in arrival order. */
  private static final class Sends {
    private int[] epochs = new int[1];
    private int n;

    synchronized int add(int epoch) {
      if (n == epochs.length) {
        epochs = java.util.Arrays.copyOf(epochs, n * 2);
      }
      epochs[n++] = epoch;
      return n;
    }

    synchronized int count() {
      return n;
    }

    synchronized int first() {
      return epochs[0];
    }

    synchronized JsonArray toJson() {
      JsonArray a = new JsonArray();
      for (int i = 0; i < n; i++) {
        a.add(epochs[i]);
      }
      return a;
    }
  }

  private final Map<String, Sends> prompts = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> requestsByEpoch = new ConcurrentHashMap<>();
  private final AtomicLong untracked = new AtomicLong();
  private volatile int epoch;

  /** Records one request for {@code prompt} and returns how many it has had, this one included. */
  int record(String prompt) {
    int e = epoch;
    requestsByEpoch.computeIfAbsent(e, k -> new AtomicLong()).incrementAndGet();
    Sends s = prompts.get(prompt);
    if (s == null) {
      if (prompts.size() >= MAX_TRACKED_PROMPTS) {
        untracked.incrementAndGet();
        return 1;
      }
      s = prompts.computeIfAbsent(prompt, p -> new Sends());
    }
    return s.add(e);
  }

  int count(String prompt) {
    Sends s = prompts.get(prompt);
    return s == null ? 0 : s.count();
  }

  int epoch() {
    return epoch;
  }

  void epoch(int e) {
    epoch = e;
  }

  void clear() {
    prompts.clear();
    requestsByEpoch.clear();
    untracked.set(0);
    epoch = 0;
  }

  /**
   * Requests and first sends per epoch, and, with {@code repeated}, the epochs of every prompt
   * requested more than once (those are few; every prompt would be too many to list).
   */
  JsonObject toJson(boolean repeated) {
    Map<Integer, Long> firsts = new TreeMap<>();
    JsonObject again = new JsonObject();
    AtomicInteger twice = new AtomicInteger();
    prompts.forEach((prompt, sends) -> {
      firsts.merge(sends.first(), 1L, Long::sum);
      if (sends.count() > 1) {
        twice.incrementAndGet();
        if (repeated) {
          again.put(prompt, sends.toJson());
        }
      }
    });
    JsonObject byEpoch = new JsonObject();
    new TreeMap<>(requestsByEpoch).forEach((e, n) -> byEpoch.put(Integer.toString(e), n.get()));
    JsonObject firstByEpoch = new JsonObject();
    firsts.forEach((e, n) -> firstByEpoch.put(Integer.toString(e), n));
    JsonObject out = new JsonObject().put("epoch", epoch).put("distinct_prompts", prompts.size())
        .put("prompts_sent_more_than_once", twice.get()).put("untracked_requests", untracked.get())
        .put("requests_by_epoch", byEpoch).put("first_sent_by_epoch", firstByEpoch);
    if (repeated) {
      out.put("repeated", again);
    }
    return out;
  }
}
