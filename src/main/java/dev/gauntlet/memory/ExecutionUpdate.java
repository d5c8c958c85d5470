package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;

/**
 * A change to an execution's row: its status, its total, its error, whether it has ended, and
 * whether a resume reopens it. Travels as JSON; this record is the only place its keys are spelled.
 */
public record ExecutionUpdate(String id, String status, Integer total, String error, boolean finished, boolean reopen) {

  /** The runner has its prompts: running, with {@code total} of them. */
  public static ExecutionUpdate running(String id, int total) {
    return new ExecutionUpdate(id, "running", total, null, false, false);
  }

  /** The execution ended as {@code status}, with {@code error} when it failed. */
  public static ExecutionUpdate ended(String id, String status, String error) {
    return new ExecutionUpdate(id, status, null, error, true, false);
  }

  /** Waiting, unfinished, until a provider budget allows it again: the reason is kept as its error meanwhile. */
  public static final String PAUSED = "paused";

  /** The run waits for a provider budget ({@code reason}); it stays unfinished and resumes by itself. */
  public static ExecutionUpdate paused(String id, String reason) {
    return new ExecutionUpdate(id, PAUSED, null, reason, false, false);
  }

  /** The budget allows it again (or a restart picks it up): running, the pause's reason cleared. */
  public static ExecutionUpdate unpaused(String id, Integer total) {
    return new ExecutionUpdate(id, "running", total, null, false, true);
  }

  /** A resume queues it again: its old end and error no longer hold. */
  public static ExecutionUpdate reopened(String id) {
    return new ExecutionUpdate(id, "queued", null, null, false, true);
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("status", status).put("total", total).put("error", error)
        .put("finished", finished).put("reopen", reopen);
  }

  static ExecutionUpdate fromJson(JsonObject json) {
    return new ExecutionUpdate(json.getString("id"), json.getString("status"), json.getInteger("total"),
        json.getString("error"), json.getBoolean("finished", false), json.getBoolean("reopen", false));
  }
}
