package dev.gauntlet.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps ids unique in a table that has no index: a Bloom filter ({@link UuidBloom}) over every
 * id in the table, built on first use and grown as it fills. Ids the filter has never seen are
 * new for certain; the rare "maybe" (a resent batch, or a false positive, a few in a million at
 * most) is settled by an exact query. A retried batch therefore adds nothing twice.
 */
final class IdFilter {

  private static final long MIN_CAPACITY = 1L << 16;

  private final String table;
  private UuidBloom filter;
  private long capacity;
  private long count;

  IdFilter(String table) {
    this.table = table;
  }

  /** The ids among {@code ids} already stored in the table. */
  Set<UUID> existing(Connection c, Collection<UUID> ids) throws SQLException {
    ensureBuilt(c);
    List<UUID> maybe = ids.stream().filter(filter::mightContain).toList();
    Set<UUID> found = new HashSet<>();
    if (maybe.isEmpty()) {
      return found;
    }
    for (int from = 0; from < maybe.size(); from += 1000) {
      List<UUID> chunk = maybe.subList(from, Math.min(maybe.size(), from + 1000));
      String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id IN (" + marks + ")")) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setObject(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add((UUID) rs.getObject(1));
          }
        }
      }
    }
    return found;
  }

  /** Records ids that were committed. */
  void added(Connection c, Collection<UUID> ids) throws SQLException {
    if (filter == null) {
      return; // not built yet (or reset): the first use builds it from the table, these ids included
    }
    count += ids.size();
    if (count > capacity) {
      // outgrown: the next look-up rebuilds it, so writers that never look up (re-scoring) never pay for it
      filter = null;
      return;
    }
    ids.forEach(filter::put);
  }

  /** Forgets everything; the next use rebuilds from the table (after a rollback, for instance). */
  void reset() {
    filter = null;
  }

  private void ensureBuilt(Connection c) throws SQLException {
    if (filter == null) {
      long rows;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        rows = rs.getLong(1);
      }
      build(c, rows);
    }
  }

  private void build(Connection c, long rows) throws SQLException {
    capacity = Math.max(MIN_CAPACITY, rows * 2);
    UuidBloom fresh = new UuidBloom(capacity);
    long n = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
      while (rs.next()) {
        fresh.put((UUID) rs.getObject(1));
        n++;
      }
    }
    filter = fresh;
    count = n;
  }
}
