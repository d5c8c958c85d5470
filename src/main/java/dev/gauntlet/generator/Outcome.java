package dev.gauntlet.generator;

/**
 * What one attempt against a target gave: the answer, or why not. {@code retryAfterMs} is the
 * target's {@code Retry-After} in milliseconds, or -1 when it sent none. {@code inputTokens} and
 * {@code outputTokens} are what the target reported it used (OpenAI's {@code usage}), -1 when it
 * did not say: what provider budgets count.
 */
record Outcome(String text, ReplyError error, int status, String detail, long retryAfterMs, long inputTokens, long outputTokens) {

  Outcome(String text, ReplyError error, int status, String detail, long retryAfterMs) {
    this(text, error, status, detail, retryAfterMs, -1, -1);
  }

  /** This outcome with the token counts the target reported. */
  Outcome withUsage(long input, long output) {
    return new Outcome(text, error, status, detail, retryAfterMs, input, output);
  }

  static Outcome ok(String text, int status) {
    return new Outcome(text, ReplyError.NONE, status, null, -1);
  }

  static Outcome failed(ReplyError error, int status, String detail) {
    return new Outcome("", error, status, detail, -1);
  }

  static Outcome failed(ReplyError error, int status, String detail, long retryAfterMs) {
    return new Outcome("", error, status, detail, retryAfterMs);
  }

  boolean ok() {
    return error == ReplyError.NONE;
  }

  /** Worth another attempt: the target may answer later. */
  boolean retryable() {
    return switch (error) {
      case RATE_LIMITED, TIMEOUT, CONNECTION -> true;
      case SERVER_ERROR -> status == 500 || status == 502 || status == 503 || status == 504;
      default -> false;
    };
  }
}
