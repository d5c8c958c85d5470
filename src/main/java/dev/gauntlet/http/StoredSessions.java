package dev.gauntlet.http;

import dev.gauntlet.appdb.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.AbstractSession;
import io.vertx.ext.web.sstore.SessionStore;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The session store behind {@link WebSessions}: the app database ({@link Sessions}), so sessions
 * survive a restart and are shared by every HTTP verticle. A session holds three strings (user id,
 * CSRF token, the provider's ID token); anything else put in one is not kept. A session seen again
 * within {@link #TOUCH_MS} with nothing changed is not written again, so reading pages costs no write.
 */
final class StoredSessions implements SessionStore {

  private static final Logger LOG = Logger.getLogger(StoredSessions.class.getName());
  static final String USER_ID = "user_id";
  static final String CSRF = "csrf";
  static final String ID_TOKEN = "oidc_id_token";
  private static final long TOUCH_MS = 60_000;
  private static final long SWEEP_MS = TimeUnit.MINUTES.toMillis(10);

  private final Sessions sessions;
  private final VertxContextPRNG random;
  private final long sweepTimer;
  private final Vertx vertx;

  StoredSessions(Vertx vertx, Sessions sessions) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.random = VertxContextPRNG.current(vertx);
    sweep();
    this.sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
  }

  private void sweep() {
    sessions.deleteExpired().onFailure(t -> LOG.warning("removing expired sessions failed: " + t.getMessage()));
  }

  /** A session as loaded: remembers what it held, to skip writing it back unchanged. */
  static final class Stored extends AbstractSession {
    private String loaded;
    private long loadedAt;

    Stored(VertxContextPRNG random, long timeout, int length) {
      super(random, timeout, length);
    }

    Stored(VertxContextPRNG random, String id, long timeout, Sessions.Stored s) {
      super(random);
      setId(id);
      setTimeout(timeout);
      JsonObject data = new JsonObject();
      if (s.userId() != null) {
        data.put(USER_ID, s.userId());
      }
      if (s.csrf() != null) {
        data.put(CSRF, s.csrf());
      }
      if (s.providerIdToken() != null) {
        data.put(ID_TOKEN, s.providerIdToken());
      }
      setData(data);
      setLastAccessed(s.lastSeen().toEpochMilli());
      loaded = data.encode();
      loadedAt = s.lastSeen().toEpochMilli();
    }

    String encoded() {
      return new JsonObject(data()).encode();
    }

    boolean unchangedSince(long accessed) {
      return !isRegenerated() && encoded().equals(loaded) && accessed - loadedAt < TOUCH_MS;
    }
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    return this;
  }

  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return new Stored(random, timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new Stored(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    // the handler hands over the timeout only when it creates a session; ours is WebSessions'
    return sessions.get(id).map(found -> found.<Session>map(s -> new Stored(random, id, WebSessions.TIMEOUT_MS, s)).orElse(null));
  }

  @Override
  public Future<Void> delete(String id) {
    return sessions.delete(id);
  }

  @Override
  public Future<Void> put(Session session) {
    long accessed = session.lastAccessed();
    if (session instanceof Stored s && s.unchangedSince(accessed)) {
      return Future.succeededFuture();
    }
    Instant seen = Instant.ofEpochMilli(accessed);
    return sessions.put(session.id(), new Sessions.Stored(session.get(USER_ID), session.get(CSRF), session.get(ID_TOKEN), seen,
        seen.plusMillis(session.timeout())));
  }

  @Override
  public Future<Void> clear() {
    return sessions.clear();
  }

  @Override
  public Future<Integer> size() {
    return sessions.count();
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweepTimer);
  }
}
