package dev.gauntlet.imports.garak;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A set of attempt ids kept as two longs each (16 bytes a slot, open addressing, linear probing
 * with backward-shift removal): the reader's memory for attempts generated but not yet evaluated
 * stays a few MB even for a report with a million of them in flight. A garak id that is not a
 * UUID is kept by its name-based UUID.
 */
final class AttemptIds {

  private long[] hi = new long[1024];
  private long[] lo = new long[1024];
  private boolean[] used = new boolean[1024];
  private int size;

  static UUID key(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }
  }

  int size() {
    return size;
  }

  boolean contains(UUID id) {
    return find(id.getMostSignificantBits(), id.getLeastSignificantBits()) >= 0;
  }

  /** Adds the id; false when it was there already. */
  boolean add(UUID id) {
    if ((size + 1) * 4L > used.length * 3L) {
      grow();
    }
    long h = id.getMostSignificantBits();
    long l = id.getLeastSignificantBits();
    int mask = used.length - 1;
    int i = slot(h, l, mask);
    while (used[i]) {
      if (hi[i] == h && lo[i] == l) {
        return false;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    hi[i] = h;
    lo[i] = l;
    size++;
    return true;
  }

  /** Removes the id; false when it was not there. */
  boolean remove(UUID id) {
    int i = find(id.getMostSignificantBits(), id.getLeastSignificantBits());
    if (i < 0) {
      return false;
    }
    int mask = used.length - 1;
    used[i] = false;
    size--;
    // shift later members of the run back so that every lookup still finds them
    int j = (i + 1) & mask;
    while (used[j]) {
      int home = slot(hi[j], lo[j], mask);
      boolean between = i <= j ? (home <= i || home > j) : (home <= i && home > j);
      if (between) {
        used[i] = true;
        hi[i] = hi[j];
        lo[i] = lo[j];
        used[j] = false;
        i = j;
      }
      j = (j + 1) & mask;
    }
    return true;
  }

  private int find(long h, long l) {
    int mask = used.length - 1;
    int i = slot(h, l, mask);
    while (used[i]) {
      if (hi[i] == h && lo[i] == l) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private static int slot(long h, long l, int mask) {
    long x = h * 0x9E3779B97F4A7C15L ^ l;
    x ^= x >>> 31;
    return (int) x & mask;
  }

  private void grow() {
    long[] oh = hi;
    long[] ol = lo;
    boolean[] ou = used;
    hi = new long[ou.length * 2];
    lo = new long[ou.length * 2];
    used = new boolean[ou.length * 2];
    size = 0;
    for (int i = 0; i < ou.length; i++) {
      if (ou[i]) {
        add(new UUID(oh[i], ol[i]));
      }
    }
  }
}
