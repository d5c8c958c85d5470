package dev.gauntlet.appdb;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Browser sessions, kept in the app database so that a restart signs nobody out. A row is found
 * by the SHA-256 of the cookie's id, never the id itself: whoever reads the database (or a
 * backup of it) holds no cookie that works. Expired rows are never returned and are removed.
 */
public final class Sessions {

  /** What a session holds: who signed in (null before sign-in), its CSRF token, the provider's ID token. */
  public record Stored(String userId, String csrf, String providerIdToken, Instant lastSeen, Instant expires) {}

  private final Pool pool;

  public Sessions(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Stored>> get(String sessionId) {
    return pool.preparedQuery("SELECT user_id, csrf, provider_id_token, last_seen_at, expires_at FROM " + Users.SESSIONS
            + " WHERE id_hash = ? AND expires_at > ?").execute(Tuple.of(hash(sessionId), Instant.now().toString()))
        .map(rs -> {
          if (rs.size() == 0) {
            return Optional.empty();
          }
          Row r = rs.iterator().next();
          return Optional.of(new Stored(r.getString(0), r.getString(1), r.getString(2), Instant.parse(r.getString(3)),
              Instant.parse(r.getString(4))));
        });
  }

  /** Writes the session under its id's hash, replacing what was there. */
  public Future<Void> put(String sessionId, Stored s) {
    return pool.preparedQuery("INSERT INTO " + Users.SESSIONS + " (id_hash, user_id, csrf, provider_id_token, created_at, last_seen_at, "
            + "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id_hash) DO UPDATE SET user_id = excluded.user_id, "
            + "csrf = excluded.csrf, provider_id_token = excluded.provider_id_token, last_seen_at = excluded.last_seen_at, "
            + "expires_at = excluded.expires_at")
        .execute(Tuple.of(hash(sessionId), s.userId(), s.csrf(), s.providerIdToken(), Instant.now().toString(), s.lastSeen().toString(),
            s.expires().toString()))
        .mapEmpty();
  }

  public Future<Void> delete(String sessionId) {
    return pool.preparedQuery("DELETE FROM " + Users.SESSIONS + " WHERE id_hash = ?").execute(Tuple.of(hash(sessionId))).mapEmpty();
  }

  /** Removes every session that has expired; returns how many went. */
  public Future<Integer> deleteExpired() {
    return pool.preparedQuery("DELETE FROM " + Users.SESSIONS + " WHERE expires_at <= ?").execute(Tuple.of(Instant.now().toString()))
        .map(rs -> rs.rowCount());
  }

  public Future<Integer> count() {
    return pool.query("SELECT count(*) FROM " + Users.SESSIONS).execute().map(rs -> rs.iterator().next().getInteger(0));
  }

  public Future<Void> clear() {
    return pool.query("DELETE FROM " + Users.SESSIONS).execute().mapEmpty();
  }

  /** The key a session is stored under. Session ids carry at least 32 random characters, so a fast hash suffices. */
  static String hash(String sessionId) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
