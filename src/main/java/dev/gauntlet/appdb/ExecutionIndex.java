package dev.gauntlet.appdb;

import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The executions that are not finished yet, and whose they are: read at start to resume them.
 * The execution itself (and its results) lives in its owner's memory.
 */
public final class ExecutionIndex {

  public record Entry(String id, MemoryOwner owner, String orchestratorId, String status) {}

  private final Pool pool;

  public ExecutionIndex(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> add(String id, MemoryOwner owner, String orchestratorId) {
    String now = Instant.now().toString();
    return pool.preparedQuery("INSERT INTO execution_index VALUES (?, ?, ?, ?, 'queued', ?, ?)")
        .execute(Tuple.of(id, owner.username(), owner.memoryFile(), orchestratorId, now, now)).mapEmpty();
  }

  public Future<Void> setStatus(String id, String status) {
    return pool.preparedQuery("UPDATE execution_index SET status = ?, updated_at = ? WHERE id = ?")
        .execute(Tuple.of(status, Instant.now().toString(), id)).mapEmpty();
  }

  public Future<List<Entry>> unfinished() {
    return pool.query("SELECT id, username, memory_file, orchestrator_id, status FROM execution_index "
        + "WHERE status IN ('queued', 'running') ORDER BY created_at").execute().map(rs -> {
          List<Entry> out = new ArrayList<>();
          rs.forEach(r -> out.add(new Entry(r.getString(0), new MemoryOwner(r.getString(1), r.getString(2)), r.getString(3), r.getString(4))));
          return out;
        });
  }

  /**
   * Unfinished entries created before {@code before}: in a cluster, what a node may take over
   * once their runner's lease has run out (a younger entry's runner is still taking its lease).
   */
  public Future<List<Entry>> unfinishedCreatedBefore(Instant before) {
    return pool.preparedQuery("SELECT id, username, memory_file, orchestrator_id, status FROM execution_index "
        + "WHERE status IN ('queued', 'running') AND created_at < ? ORDER BY created_at").execute(Tuple.of(before.toString())).map(rs -> {
          List<Entry> out = new ArrayList<>();
          rs.forEach(r -> out.add(new Entry(r.getString(0), new MemoryOwner(r.getString(1), r.getString(2)), r.getString(3), r.getString(4))));
          return out;
        });
  }

  public Future<Long> countByStatus(String status) {
    return pool.preparedQuery("SELECT count(*) FROM execution_index WHERE status = ?").execute(Tuple.of(status))
        .map(rs -> rs.iterator().next().getLong(0));
  }
}
