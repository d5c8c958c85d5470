package dev.gauntlet.cluster;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * A change to one lease, decided where the key's partition lives so every node's request is
 * judged by one clock and applied atomically. What the primary decides is what its backups
 * store ({@link #getBackupProcessor}): the clock is read once, never again on a backup.
 */
abstract class LeaseUpdate implements EntryProcessor<String, String, String> {

  private static final long serialVersionUID = 1L;

  /** What the primary stored, copied to the backups as it is. */
  private String decided;

  /** The new lease given the current one and the partition owner's clock; null leaves it as it is. */
  abstract Lease next(Lease current, long nowMillis);

  @Override
  public final String process(Map.Entry<String, String> entry) {
    Lease current = Lease.parse(entry.getValue());
    Lease next = next(current, System.currentTimeMillis());
    if (next == null) {
      decided = null;
      return current.encode();
    }
    decided = next.encode();
    entry.setValue(decided);
    return decided;
  }

  @Override
  public final EntryProcessor<String, String, String> getBackupProcessor() {
    String value = decided;
    return value == null ? null : new Store(value);
  }

  /** Takes the lease when it is free or run out, renews it when already ours; else leaves it. */
  static final class Acquire extends LeaseUpdate {
    private static final long serialVersionUID = 1L;
    private final String holder;
    private final long ttlMillis;

    Acquire(String holder, long ttlMillis) {
      this.holder = holder;
      this.ttlMillis = ttlMillis;
    }

    @Override
    Lease next(Lease current, long now) {
      if (current.holder().equals(holder) && current.liveAt(now)) {
        return new Lease(holder, current.token(), now + ttlMillis);
      }
      if (current.liveAt(now)) {
        return null;
      }
      return new Lease(holder, current.token() + 1, now + ttlMillis);
    }
  }

  /** Extends the lease only if it is still ours under the same token and has not run out. */
  static final class Renew extends LeaseUpdate {
    private static final long serialVersionUID = 1L;
    private final String holder;
    private final long token;
    private final long ttlMillis;

    Renew(String holder, long token, long ttlMillis) {
      this.holder = holder;
      this.token = token;
      this.ttlMillis = ttlMillis;
    }

    @Override
    Lease next(Lease current, long now) {
      if (current.holder().equals(holder) && current.token() == token && current.liveAt(now)) {
        return new Lease(holder, token, now + ttlMillis);
      }
      return null;
    }
  }

  /** Gives the lease up, keeping its token, if it is still ours under that token. */
  static final class Release extends LeaseUpdate {
    private static final long serialVersionUID = 1L;
    private final String holder;
    private final long token;

    Release(String holder, long token) {
      this.holder = holder;
      this.token = token;
    }

    @Override
    Lease next(Lease current, long now) {
      return current.holder().equals(holder) && current.token() == token ? new Lease("", token, 0) : null;
    }
  }

  /** A backup's copy of what the primary decided. */
  static final class Store implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String value;

    Store(String value) {
      this.value = value;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      entry.setValue(value);
      return value;
    }

    @Override
    public EntryProcessor<String, String, String> getBackupProcessor() {
      return null;
    }
  }
}
