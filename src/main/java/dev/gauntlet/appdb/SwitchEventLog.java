package dev.gauntlet.appdb;

import dev.gauntlet.Metrics;
import dev.gauntlet.memory.SwitchEvents;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Switch events kept in the app database, so the count survives restarts. */
public final class SwitchEventLog implements SwitchEvents {

  private static final Logger LOG = Logger.getLogger(SwitchEventLog.class.getName());
  private final Pool pool;

  public SwitchEventLog(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void record(String username, String registeredFile, String attemptedFile, String origin) {
    Metrics.switchEvent();
    pool.preparedQuery("INSERT INTO memory_switch_events (at, username, registered_file, attempted_file, origin) VALUES (?, ?, ?, ?, ?)")
        .execute(Tuple.of(Instant.now().toString(), username, registeredFile, attemptedFile, origin))
        .onFailure(t -> LOG.log(Level.SEVERE, "could not record a memory switch event for " + username, t));
  }

  public Future<Long> count() {
    return pool.query("SELECT count(*) FROM memory_switch_events").execute().map(rs -> rs.iterator().next().getLong(0));
  }
}
