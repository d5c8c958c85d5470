package dev.gauntlet.appdb;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The append-only audit log: every write, every admin read and every refusal, with who, what,
 * which resource, the outcome, from where and when. No statement here (or anywhere) updates or
 * deletes a row, and the database's triggers refuse any that tries.
 */
public final class AuditLog {

  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
  public static final String SUCCESS = "success";
  public static final String REFUSED = "refused";
  public static final String FAILED = "failed";
  /** Fixed width, so that text order is time order and since/until compare as strings. */
  static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  public record Entry(String actor, String action, String resource, String outcome, int status,
                      String address, String userAgent, String detail) {}

  /**
   * What to list: each field null for "any". {@code action} and {@code resource} match as
   * prefixes, {@code actor} and {@code outcome} exactly; {@code since} inclusive, {@code until} exclusive.
   */
  public record Filter(String actor, String action, String resource, String outcome, Instant since, Instant until) {
    public static final Filter ANY = new Filter(null, null, null, null, null, null);
  }

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** The outcome an HTTP status stands for: refusals are what the caller was not allowed or could not find. */
  public static String outcomeOf(int status) {
    if (status < 400) {
      return SUCCESS;
    }
    return status == 401 || status == 403 || status == 404 || status == 429 ? REFUSED : FAILED;
  }

  public Future<Void> record(Entry e) {
    return pool.preparedQuery("INSERT INTO audit_log (at, actor, action, resource, outcome, status, address, user_agent, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(AT.format(Instant.now()), cap(e.actor(), 200), cap(e.action(), 300), cap(e.resource(), 1000),
            e.outcome(), e.status(), e.address(), cap(e.userAgent(), 500), cap(e.detail(), 2000)))
        .onFailure(t -> LOG.log(Level.SEVERE, "could not write audit entry " + e, t))
        .mapEmpty();
  }

  /** Newest first, filtered; every value is a bound parameter, wildcards in prefixes are literal. */
  public Future<JsonObject> list(Filter f, int offset, int limit) {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (f.actor() != null) {
      where.add("actor = ?");
      args.add(f.actor());
    }
    if (f.action() != null) {
      where.add("action LIKE ? ESCAPE '\\'");
      args.add(likePrefix(f.action()));
    }
    if (f.resource() != null) {
      where.add("resource LIKE ? ESCAPE '\\'");
      args.add(likePrefix(f.resource()));
    }
    if (f.outcome() != null) {
      where.add("outcome = ?");
      args.add(f.outcome());
    }
    if (f.since() != null) {
      where.add("at >= ?");
      args.add(AT.format(f.since()));
    }
    if (f.until() != null) {
      where.add("at < ?");
      args.add(AT.format(f.until()));
    }
    String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    Tuple filter = Tuple.from(args);
    List<Object> paged = new ArrayList<>(args);
    paged.add(limit);
    paged.add(offset);
    return pool.preparedQuery("SELECT count(*) FROM audit_log" + clause).execute(filter).compose(count ->
        pool.preparedQuery("SELECT id, at, actor, action, resource, outcome, status, address, user_agent, detail FROM audit_log"
                + clause + " ORDER BY id DESC LIMIT ? OFFSET ?")
            .execute(Tuple.from(paged))
            .map(rs -> {
              JsonArray items = new JsonArray();
              rs.forEach(r -> items.add(r.toJson()));
              return new JsonObject().put("items", items).put("total", count.iterator().next().getLong(0))
                  .put("offset", offset).put("limit", limit);
            }));
  }

  private static String likePrefix(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private static String cap(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
