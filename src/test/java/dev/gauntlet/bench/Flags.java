package dev.gauntlet.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --name=value} flags, read by name with a default; counts take
 * 10k, 1_500 or 10,000, durations 90s, 3m or 1h. A flag nobody reads is an error, so a typo
 * never silently runs the defaults.
 */
final class Flags {

  private final Map<String, String> values = new HashMap<>();
  private final Set<String> read = new HashSet<>();

  Flags(String[] args, List<String> switches) {
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + flag + "'");
      }
      int eq = flag.indexOf('=');
      if (eq > 0) {
        values.put(flag.substring(2, eq), flag.substring(eq + 1));
      } else if (switches.contains(flag.substring(2))) {
        values.put(flag.substring(2), "true");
      } else if (i + 1 < args.length) {
        values.put(flag.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException(flag + " needs a value");
      }
    }
  }

  boolean has(String name) {
    read.add(name);
    return values.containsKey(name);
  }

  String text(String name, String otherwise) {
    read.add(name);
    return values.getOrDefault(name, otherwise);
  }

  Path path(String name, Path otherwise) {
    String v = text(name, null);
    return v == null ? otherwise : Path.of(v);
  }

  long count(String name, long otherwise) {
    String v = text(name, null);
    if (v == null) {
      return otherwise;
    }
    String n = v.trim().toLowerCase().replace("_", "").replace(",", "");
    long unit = n.endsWith("k") ? 1_000 : 1;
    try {
      long c = Long.parseLong(unit == 1 ? n : n.substring(0, n.length() - 1)) * unit;
      if (c < 0) {
        throw new IllegalArgumentException("--" + name + " must not be negative");
      }
      return c;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes a count such as 1500 or 10k, got '" + v + "'");
    }
  }

  /** Seconds, from {@code 90}, {@code 90s}, {@code 3m} or {@code 1h}. */
  long seconds(String name, long otherwise) {
    String v = text(name, null);
    if (v == null) {
      return otherwise;
    }
    String s = v.trim().toLowerCase();
    long unit = s.endsWith("h") ? 3600 : s.endsWith("m") ? 60 : 1;
    try {
      return Long.parseLong(Character.isDigit(s.charAt(s.length() - 1)) ? s : s.substring(0, s.length() - 1)) * unit;
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("--" + name + " takes a duration such as 90s, 3m or 1h, got '" + v + "'");
    }
  }

  /** Fails on any flag that was given but never read. */
  void checkAllRead() {
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
    }
  }
}
