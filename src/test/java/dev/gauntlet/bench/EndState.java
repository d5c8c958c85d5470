package dev.gauntlet.bench;

import io.vertx.core.json.JsonObject;

/**
 * The status a finished execution must have for what it did: {@code completed} when every prompt
 * has a verdict, {@code completed_with_errors} when its progress counts any error or unscored
 * result (verdict/Outcomes). A fault-free benchmark run is thus still held to {@code completed}.
 */
final class EndState {

  static final String COMPLETED = "completed";
  static final String COMPLETED_WITH_ERRORS = "completed_with_errors";

  private EndState() {}

  /** The status {@code execution} ({@code GET /executions/{id}}) must end with, from its progress counts. */
  static String expected(JsonObject execution) {
    JsonObject p = execution.getJsonObject("progress", new JsonObject());
    return p.getLong("error", 0L) + p.getLong("unscored", 0L) > 0 ? COMPLETED_WITH_ERRORS : COMPLETED;
  }

  /** Whether {@code execution} ended as its counts say it must. */
  static boolean endedRight(JsonObject execution) {
    return expected(execution).equals(execution.getString("status"));
  }

  /** Why not, in words, for a report line: the status, the expected one and the counts behind it. */
  static String why(JsonObject execution) {
    JsonObject p = execution.getJsonObject("progress", new JsonObject());
    return "ended " + execution.getString("status") + " where its counts (error " + p.getLong("error", 0L) + ", unscored "
        + p.getLong("unscored", 0L) + ") call for " + expected(execution) + ": " + execution.getString("error");
  }
}
