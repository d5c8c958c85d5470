package dev.gauntlet.appdb;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys: only a hash and a display prefix are stored; the key itself is shown once. */
public final class ApiKeys {

  /** A stored key joined with its owner, as the authenticator needs it. */
  public record KeyRecord(String id, String userId, String name, String prefix, List<String> scopes,
                          String createdAt, String expiresAt, String lastUsedAt, String lastUsedFrom, String revokedAt) {

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name).put("prefix", prefix).put("scopes", new JsonArray(scopes))
          .put("created_at", createdAt).put("expires_at", expiresAt).put("last_used_at", lastUsedAt)
          .put("last_used_from", lastUsedFrom).put("revoked_at", revokedAt);
    }

    public boolean usableAt(Instant now) {
      return revokedAt == null && (expiresAt == null || Instant.parse(expiresAt).isAfter(now));
    }
  }

  private static final String COLUMNS = "id, user_id, name, prefix, scopes, created_at, expires_at, last_used_at, last_used_from, revoked_at";
  private final Pool pool;

  public ApiKeys(Pool pool) {
    this.pool = pool;
  }

  public Future<KeyRecord> create(String id, String userId, String name, String prefix, String keyHash,
                                  List<String> scopes, String expiresAt) {
    return pool.preparedQuery("INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(id, userId, name, prefix, keyHash, new JsonArray(scopes).encode(), Instant.now().toString(), expiresAt))
        .compose(v -> byId(userId, id));
  }

  public Future<List<KeyRecord>> list(String userId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE user_id = ? ORDER BY created_at")
        .execute(Tuple.of(userId)).map(rs -> {
          List<KeyRecord> out = new java.util.ArrayList<>();
          rs.forEach(r -> out.add(from(r)));
          return out;
        });
  }

  /** A user's own key; another user's key is "not found", never "forbidden". */
  public Future<KeyRecord> byId(String userId, String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = ? AND user_id = ?").execute(Tuple.of(id, userId))
        .compose(rs -> rs.size() == 1 ? Future.succeededFuture(from(rs.iterator().next()))
            : Future.failedFuture(Problem.notFound("api key", id)));
  }

  public Future<Optional<KeyRecord>> byHash(String keyHash) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?").execute(Tuple.of(keyHash))
        .map(rs -> rs.size() == 1 ? Optional.of(from(rs.iterator().next())) : Optional.empty());
  }

  public Future<Void> revoke(String userId, String id) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND user_id = ?")
        .execute(Tuple.of(Instant.now().toString(), id, userId))
        .compose(rs -> rs.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(Problem.notFound("api key", id)));
  }

  public Future<Void> touch(String id, String address) {
    return pool.preparedQuery("UPDATE api_keys SET last_used_at = ?, last_used_from = ? WHERE id = ?")
        .execute(Tuple.of(Instant.now().toString(), address, id)).mapEmpty();
  }

  private static KeyRecord from(Row r) {
    return new KeyRecord(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
        new JsonArray(r.getString(4)).stream().map(Object::toString).toList(),
        r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getString(9));
  }
}
