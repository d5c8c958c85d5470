package dev.gauntlet;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * A failure the caller can act on: an HTTP status, a stable machine code and a sentence naming
 * what was wrong. It crosses the event bus as a reply failure so that the memory shards, the
 * orchestrator and the HTTP layer speak the same errors.
 */
public final class Problem extends RuntimeException {

  private final int status;
  private final String code;
  private final long retryAfterSeconds;
  /** What the caller may need to act on beyond the sentence (e.g. what still uses a configuration), or null. */
  private JsonObject details;

  public Problem(int status, String code, String message) {
    this(status, code, message, 0);
  }

  private Problem(int status, String code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A 429 that tells the caller, in {@code Retry-After}, how many seconds to wait. */
  public static Problem tooManyRequests(String code, String message, long retryAfterSeconds) {
    return new Problem(429, code, message, Math.max(1, retryAfterSeconds));
  }

  public static Problem badRequest(String code, String message) {
    return new Problem(400, code, message);
  }

  public static Problem notFound(String what, String id) {
    return new Problem(404, "not_found", what + " '" + id + "' does not exist");
  }

  public static Problem unauthorized(String message) {
    return new Problem(401, "unauthorized", message);
  }

  public static Problem forbidden(String message) {
    return new Problem(403, "forbidden", message);
  }

  public static Problem conflict(String code, String message) {
    return new Problem(409, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Seconds to wait before retrying, or 0 when the problem says nothing about it. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** This problem carrying {@code details}, sent beside the code and message (in the API's {@code error} object). */
  public Problem withDetails(JsonObject details) {
    this.details = details;
    return this;
  }

  public JsonObject details() {
    return details;
  }

  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code).put("message", getMessage());
    if (details != null) {
      error.put("details", details);
    }
    return new JsonObject().put("error", error);
  }

  /** Fails an event-bus message so that {@link #from} on the other side rebuilds this problem. */
  public void failReply(Message<?> message) {
    message.fail(status, new JsonObject().put("code", code).put("message", getMessage()).put("details", details).encode());
  }

  /** The problem behind any failure: ours as it was, anything else an internal error. */
  public static Problem from(Throwable t) {
    if (t instanceof Problem p) {
      return p;
    }
    if (t instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 600) {
      try {
        JsonObject body = new JsonObject(re.getMessage());
        return new Problem(re.failureCode(), body.getString("code", "error"), body.getString("message", ""))
            .withDetails(body.getJsonObject("details"));
      } catch (RuntimeException notJson) {
        return new Problem(re.failureCode(), "error", String.valueOf(re.getMessage()));
      }
    }
    if (t instanceof ReplyException re && re.failureType() == io.vertx.core.eventbus.ReplyFailure.TIMEOUT) {
      return new Problem(503, "timeout", "the operation did not finish in time");
    }
    return new Problem(500, "internal_error", "internal error");
  }
}
