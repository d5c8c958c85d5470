package dev.gauntlet.auth;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.appdb.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Turns a bearer credential into a {@link Caller}: an access token this server signed, an API
 * key ({@code gk_<prefix>_<secret>}) looked up by its hash, or, when OpenID Connect is on, an
 * access token the provider signed. The user's name and memory file always come from the app
 * database, never from the credential's claims.
 */
public final class Authenticator {

  static final String ISSUER = "gauntlet";
  private static final String KEY_PREFIX = "gk_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JWTAuth jwt;
  private final Users users;
  private final ApiKeys keys;
  private final long tokenTtlSeconds;
  private Oidc oidc;

  public Authenticator(Vertx vertx, String tokenSecret, Users users, ApiKeys keys, long tokenTtlSeconds) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(tokenSecret))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAlgorithm("HS256")));
    this.users = users;
    this.keys = keys;
    this.tokenTtlSeconds = tokenTtlSeconds;
  }

  /** Also accepts the access tokens of this OpenID Connect provider. */
  public Authenticator withOidc(Oidc oidc) {
    this.oidc = oidc;
    return this;
  }

  public Users users() {
    return users;
  }

  public ApiKeys keys() {
    return keys;
  }

  public long tokenTtlSeconds() {
    return tokenTtlSeconds;
  }

  public String issueToken(UserRecord user) {
    return jwt.generateToken(new JsonObject(), new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER)
        .setSubject(user.id()).setExpiresInSeconds((int) tokenTtlSeconds));
  }

  public Future<Caller> authenticate(String bearer, String address) {
    if (bearer == null || bearer.isBlank()) {
      return Future.failedFuture(Problem.unauthorized("a bearer access token or API key is required"));
    }
    if (bearer.startsWith(KEY_PREFIX)) {
      return byKey(bearer, address);
    }
    if (oidc != null && oidc.issued(bearer)) {
      return oidc.bearer(bearer).map(u -> Caller.signedIn(u, "oidc"));
    }
    return jwt.authenticate(new TokenCredentials(bearer))
        .recover(t -> Future.failedFuture(Problem.unauthorized("the access token is invalid or expired")))
        .compose(u -> users.byId(u.principal().getString("sub", "")))
        .compose(found -> found.filter(r -> !r.disabled())
            .map(r -> Future.succeededFuture(Caller.signedIn(r, "token")))
            .orElseGet(() -> Future.failedFuture(Problem.unauthorized("the token's user no longer exists or is disabled"))));
  }

  /** The user a browser session signed in as; the session holds only the user id. */
  public Future<Caller> bySession(String userId) {
    return users.byId(userId).compose(found -> found.filter(r -> !r.disabled())
        .map(r -> Future.succeededFuture(Caller.signedIn(r, "session")))
        .orElseGet(() -> Future.failedFuture(Problem.unauthorized("the session's user no longer exists or is disabled"))));
  }

  private Future<Caller> byKey(String key, String address) {
    return keys.byHash(hashKey(key)).compose(found -> {
      if (found.isEmpty() || !found.get().usableAt(Instant.now())) {
        return Future.failedFuture(Problem.unauthorized("the API key is unknown, revoked or expired"));
      }
      ApiKeys.KeyRecord k = found.get();
      keys.touch(k.id(), address);
      return users.byId(k.userId()).compose(u -> u.filter(r -> !r.disabled())
          .map(r -> Future.succeededFuture(Caller.withKey(r, k.id(), k.scopes())))
          .orElseGet(() -> Future.failedFuture(Problem.unauthorized("the API key's user is disabled"))));
    });
  }

  /** A new key: the full text (shown once), and what is stored of it. */
  public record NewKey(String id, String key, String prefix, String hash) {}

  public static NewKey newKey() {
    String id = UUID.randomUUID().toString();
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String prefix = KEY_PREFIX + id.substring(0, 8);
    String key = prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new NewKey(id, key, prefix, hashKey(key));
  }

  /** Keys carry 256 random bits, so a fast hash is as safe as a slow one and keeps lookups cheap. */
  static String hashKey(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<String> validScopes(Object value) {
    if (value == null) {
      return List.of(Caller.READ, Caller.WRITE);
    }
    if (!(value instanceof io.vertx.core.json.JsonArray a) || a.isEmpty()
        || !a.stream().allMatch(s -> s instanceof String x && List.of(Caller.READ, Caller.WRITE, Caller.ADMIN).contains(x))) {
      throw Problem.badRequest("invalid_field", "'scopes' must be a non-empty array of \"read\", \"write\", \"admin\"");
    }
    return a.stream().map(Object::toString).distinct().toList();
  }
}
