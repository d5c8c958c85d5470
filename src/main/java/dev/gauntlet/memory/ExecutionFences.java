package dev.gauntlet.memory;

import dev.gauntlet.Problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fence a memory shard keeps in front of each execution's writes in cluster mode: the highest
 * execution-lease token its runners' requests have carried. A node whose lease ran out may still
 * be sending (cut off, or paused past its lease) while another node has taken the execution over
 * with a higher token; the new runner's first read raises the fence, so the old runner's later
 * commits are refused instead of adding a second result for a prompt the new one sends again.
 * Kept in the shard's memory: it is lost when the user's memory moves to another node, where the
 * new runner's next request sets it again. A request without a token (0: one process alone) passes.
 */
final class ExecutionFences {

  static final String FENCED = "execution_fenced";
  private static final int MAX_TRACKED = 10_000;

  private final Map<String, Long> highest = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  /** Lets a request carrying {@code token} for {@code executionId} through, raising the fence; refuses a stale one. */
  void admit(String executionId, long token) {
    if (token <= 0 || executionId == null) {
      return;
    }
    Long high = highest.get(executionId);
    if (high != null && token < high) {
      throw new Problem(409, FENCED, "execution '" + executionId + "' is run by a newer holder (token " + high
          + "); this runner's lease (token " + token + ") has run out");
    }
    highest.put(executionId, token);
  }
}
