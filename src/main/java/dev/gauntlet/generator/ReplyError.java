package dev.gauntlet.generator;

/**
 * Why a generator gave no usable answer, as recorded in PyRIT's {@code response_error} column
 * ({@code none} when it answered).
 */
public enum ReplyError {
  NONE("none"),
  /** The target refused by policy (content filter), as opposed to the model declining in text. */
  BLOCKED("blocked"),
  TIMEOUT("timeout"),
  RATE_LIMITED("rate_limited"),
  SERVER_ERROR("server_error"),
  CLIENT_ERROR("client_error"),
  INVALID_RESPONSE("invalid_response"),
  TOO_LARGE("too_large"),
  CONNECTION("connection"),
  /** Gauntlet's egress policy refused the address: nothing was sent. */
  EGRESS_DENIED("egress_denied"),
  UNKNOWN("unknown");

  private final String value;

  ReplyError(String value) {
    this.value = value;
  }

  /** The value stored in {@code response_error}. */
  public String value() {
    return value;
  }
}
