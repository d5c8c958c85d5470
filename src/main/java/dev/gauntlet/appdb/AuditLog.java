package dev.gauntlet.appdb;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The append-only audit log: every write and every admin read, with who, what and the outcome. */
public final class AuditLog {

  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

  public record Entry(String actor, String action, String resource, String outcome, int status,
                      String address, String userAgent, String detail) {}

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> record(Entry e) {
    return pool.preparedQuery("INSERT INTO audit_log (at, actor, action, resource, outcome, status, address, user_agent, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(Instant.now().toString(), e.actor(), e.action(), e.resource(), e.outcome(), e.status(),
            e.address(), e.userAgent(), e.detail()))
        .onFailure(t -> LOG.log(Level.SEVERE, "could not write audit entry " + e, t))
        .mapEmpty();
  }

  /** Newest first, optionally filtered by actor and action prefix. */
  public Future<JsonObject> list(String actor, String actionPrefix, int offset, int limit) {
    String where = " WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action LIKE ? ESCAPE '\\')";
    String like = actionPrefix == null ? null : actionPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    Tuple filter = Tuple.of(actor, actor, like, like);
    return pool.preparedQuery("SELECT count(*) FROM audit_log" + where).execute(filter).compose(count ->
        pool.preparedQuery("SELECT id, at, actor, action, resource, outcome, status, address, user_agent, detail FROM audit_log"
                + where + " ORDER BY id DESC LIMIT ? OFFSET ?")
            .execute(Tuple.of(actor, actor, like, like, limit, offset))
            .map(rs -> {
              JsonArray items = new JsonArray();
              rs.forEach(r -> items.add(r.toJson()));
              return new JsonObject().put("items", items).put("total", count.iterator().next().getLong(0))
                  .put("offset", offset).put("limit", limit);
            }));
  }
}
