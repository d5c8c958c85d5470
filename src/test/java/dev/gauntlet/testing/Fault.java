package dev.gauntlet.testing;

import java.util.Locale;

/** One scripted misbehaviour of {@link FakeOpenAi}. */
public record Fault(Kind kind, int status, String retryAfter, long millis, long bytes) {

  public enum Kind { STATUS, TIMEOUT, DELAY, RESET, CUT, MALFORMED, HUGE, DRIP, CONTENT_FILTER }

  public static Fault status(int status) {
    return new Fault(Kind.STATUS, status, null, 0, 0);
  }

  /** {@code retryAfter} as sent: seconds, or an HTTP-date. */
  public static Fault status(int status, String retryAfter) {
    return new Fault(Kind.STATUS, status, retryAfter, 0, 0);
  }

  /** Never answers; the connection stays open until the client gives up. */
  public static Fault timeout() {
    return new Fault(Kind.TIMEOUT, 0, null, 0, 0);
  }

  /** The normal answer, after {@code millis}. */
  public static Fault delay(long millis) {
    return new Fault(Kind.DELAY, 200, null, millis, 0);
  }

  /** Closes the connection without answering. */
  public static Fault reset() {
    return new Fault(Kind.RESET, 0, null, 0, 0);
  }

  /** Starts the normal answer, then closes the connection halfway through its body. */
  public static Fault cut() {
    return new Fault(Kind.CUT, 200, null, 0, 0);
  }

  public static Fault malformed() {
    return new Fault(Kind.MALFORMED, 200, null, 0, 0);
  }

  /** A valid chat answer whose content is {@code bytes} long, streamed with backpressure. */
  public static Fault huge(long bytes) {
    return new Fault(Kind.HUGE, 200, null, 0, bytes);
  }

  /** The normal answer, one byte every {@code millis}. */
  public static Fault drip(long millis) {
    return new Fault(Kind.DRIP, 200, null, millis, 0);
  }

  public static Fault contentFilter() {
    return new Fault(Kind.CONTENT_FILTER, 400, null, 0, 0);
  }

  /**
   * {@code 429}, {@code 429:2} (Retry-After 2), {@code 503:Wed, 21 Oct 2015 07:28:00 GMT},
   * {@code timeout}, {@code delay:300}, {@code reset}, {@code cut}, {@code malformed}, {@code huge[:bytes]},
   * {@code drip[:ms]}, {@code content_filter}.
   */
  public static Fault parse(String spec) {
    String s = spec.trim();
    int colon = s.indexOf(':');
    String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? null : s.substring(colon + 1).trim();
    return switch (name) {
      case "timeout" -> timeout();
      case "delay" -> delay(Long.parseLong(arg));
      case "reset" -> reset();
      case "cut" -> cut();
      case "malformed" -> malformed();
      case "huge" -> huge(arg == null ? 10L * 1024 * 1024 : Long.parseLong(arg));
      case "drip" -> drip(arg == null ? 20 : Long.parseLong(arg));
      case "content_filter" -> contentFilter();
      default -> status(Integer.parseInt(name), arg);
    };
  }
}
