package dev.gauntlet.orchestrator;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * An orchestrator's {@code max_error_rate}: once the first {@code error_rate_window} prompts are
 * committed, a run whose errors among them exceed the rate stops early (as failed, saying why),
 * rather than sending a whole dataset to a target that is down. Judged once, on the first commit
 * that reaches the window (commits come in batches, so "the first N" may be a few more than N).
 * Off unless {@code max_error_rate} is given. One per run: it remembers that it has judged.
 */
final class ErrorBudget {

  static final ErrorBudget OFF = new ErrorBudget(-1, 0);

  private final double maxRate;
  private final int window;
  private boolean judged;

  ErrorBudget(double maxRate, int window) {
    this.maxRate = maxRate;
    this.window = window;
  }

  static ErrorBudget of(JsonObject params) {
    Number rate = params.getNumber("max_error_rate");
    return rate == null ? OFF : new ErrorBudget(rate.doubleValue(), params.getInteger("error_rate_window", 20));
  }

  /**
   * Why the run must stop, or null: asked after each commit with the prompts done so far and the
   * errors among them (by class). Only the commit that first reaches the window can stop it.
   */
  String exceeded(int done, int errors, Map<String, Integer> classes) {
    if (maxRate < 0 || judged || done < window) {
      return null;
    }
    judged = true;
    if (done == 0 || (double) errors / done <= maxRate) {
      return null;
    }
    String which = classes.size() == 1 ? classes.keySet().iterator().next()
        : classes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    return "stopped: " + errors + " of the first " + done + " prompts were errors (" + which + "); max_error_rate " + maxRate;
  }
}
