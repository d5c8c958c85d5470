package dev.gauntlet.memory;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * Reads the one time format nearly every client sends, {@code 2025-01-31T09:15:02.123456Z}
 * (UTC, 'T' and 'Z', 0 to 9 fraction digits), without java.time's general parser, which costs
 * more than the rest of a piece's checks. Anything else, including every malformed or
 * out-of-range time, returns null so the caller's general parser decides and reports it.
 */
final class IsoUtc {

  private IsoUtc() {}

  static LocalDateTime parse(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n == 21) {
        return null;
      }
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    } catch (DateTimeException outOfRange) {
      return null;
    }
  }

  /** The decimal number in s[from, to), or -1 if any character there is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
