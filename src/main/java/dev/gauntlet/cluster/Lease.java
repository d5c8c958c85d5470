package dev.gauntlet.cluster;

/**
 * One key's lease as the cluster stores it: who holds it, its fencing token (only ever grows,
 * kept when released so the next holder's is higher) and when it runs out, by the clock of the
 * member that owns the key's partition. A released lease has no holder.
 */
public record Lease(String holder, long token, long expiresAtMillis) {

  static Lease parse(String value) {
    if (value == null) {
      return new Lease("", 0, 0);
    }
    String[] p = value.split("\\|", 3);
    return new Lease(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]));
  }

  String encode() {
    return holder + "|" + token + "|" + expiresAtMillis;
  }

  boolean liveAt(long nowMillis) {
    return !holder.isEmpty() && expiresAtMillis > nowMillis;
  }

  /** Held, by anyone, and not yet run out (by this member's clock: a routing hint, never a grant). */
  public boolean live() {
    return liveAt(System.currentTimeMillis());
  }
}
