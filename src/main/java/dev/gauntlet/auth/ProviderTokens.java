package dev.gauntlet.auth;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Verifies JWTs an OpenID Connect provider signed, against the keys it publishes (its JWKS):
 * an asymmetric signature by a published key, the issuer, and an expiry (30 s of clock skew
 * allowed). Keys are fetched without blocking; a token naming an unknown key id makes one
 * refetch (at most every 30 s, so random key ids cannot hammer the provider), and keys older
 * than an hour are refreshed in the background. Used on one event loop.
 */
final class ProviderTokens {

  private static final Logger LOG = Logger.getLogger(ProviderTokens.class.getName());
  private static final int LEEWAY_SECONDS = 30;
  private static final long REFETCH_MS = 30_000;
  private static final long MAX_AGE_MS = 3600_000;
  private static final long RETRY_MS = 5_000;
  /** Signature algorithms a provider's public keys verify; anything else (none, HMAC) is refused up front. */
  private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "EdDSA");

  private final Vertx vertx;
  private final WebClient web;
  private final String issuer;
  private final String jwksUri;
  private final long refetchMs;
  private JWTAuth keys;
  private long fetchedAt;
  private Future<JWTAuth> fetching;

  ProviderTokens(Vertx vertx, String issuer, String jwksUri) {
    this(vertx, issuer, jwksUri, REFETCH_MS);
  }

  ProviderTokens(Vertx vertx, String issuer, String jwksUri, long refetchMs) {
    this.vertx = vertx;
    this.web = WebClient.create(vertx);
    this.issuer = issuer;
    this.jwksUri = jwksUri;
    this.refetchMs = refetchMs;
  }

  /** The verified claims, or a 401 naming no more than that the token is not acceptable. */
  Future<JsonObject> verify(String token) {
    JsonObject header = part(token, 0);
    if (header == null || !(header.getValue("alg") instanceof String alg) || !ALGORITHMS.contains(alg)
        || token.endsWith(".")) {
      return Future.failedFuture(Problem.unauthorized("the access token is invalid or expired"));
    }
    return current().compose(k -> check(k, token)).recover(t -> {
      if (t instanceof NoSuchKeyIdException && System.currentTimeMillis() - fetchedAt >= refetchMs) {
        return fetch().compose(k -> check(k, token));
      }
      return Future.failedFuture(t);
    }).recover(t -> {
      LOG.fine("provider token refused: " + t.getMessage());
      return Future.failedFuture(t instanceof Problem p && p.status() == 503 ? p
          : Problem.unauthorized("the access token is invalid or expired"));
    });
  }

  private static Future<JsonObject> check(JWTAuth k, String token) {
    // vertx-auth-jwt keeps the verified claims as the user's "accessToken" attribute
    return k.authenticate(new TokenCredentials(token)).map(u -> u.attributes().getJsonObject("accessToken")).compose(claims -> claims.getValue("exp") instanceof Number
        ? Future.succeededFuture(claims) : Future.failedFuture(new IllegalStateException("the token has no expiry")));
  }

  private Future<JWTAuth> current() {
    if (keys == null) {
      // while the provider is down, answer at once rather than fetch again for every request
      return fetching == null && fetchedAt > 0 && System.currentTimeMillis() - fetchedAt < RETRY_MS
          ? Future.failedFuture(new Problem(503, "provider_unavailable", "the identity provider's keys cannot be fetched"))
          : fetch();
    }
    if (System.currentTimeMillis() - fetchedAt > MAX_AGE_MS) {
      fetch();
    }
    return Future.succeededFuture(keys);
  }

  /** One fetch at a time; every caller waiting meanwhile shares it. */
  private Future<JWTAuth> fetch() {
    if (fetching != null) {
      return fetching;
    }
    fetchedAt = System.currentTimeMillis();
    Future<JWTAuth> f = web.getAbs(jwksUri).timeout(10_000).send().compose(resp -> {
      if (resp.statusCode() != 200) {
        return Future.failedFuture("the JWKS answered " + resp.statusCode());
      }
      JsonArray published = resp.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
      // only signature keys: an empty key set would leave the verifier accepting unsigned tokens
      List<JsonObject> signing = published.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .filter(k -> !"enc".equals(k.getString("use")) && (k.getValue("alg") == null || ALGORITHMS.contains(k.getString("alg"))))
          .toList();
      if (signing.isEmpty()) {
        return Future.failedFuture("the JWKS holds no signing keys");
      }
      keys = JWTAuth.create(vertx, new JWTAuthOptions().setJwks(signing)
          .setJWTOptions(new JWTOptions().setIssuer(issuer).setLeeway(LEEWAY_SECONDS)));
      return Future.succeededFuture(keys);
    }).recover(t -> {
      LOG.warning("cannot fetch the identity provider's keys from " + jwksUri + ": " + t.getMessage());
      return keys != null ? Future.succeededFuture(keys)
          : Future.failedFuture(new Problem(503, "provider_unavailable", "the identity provider's keys cannot be fetched"));
    });
    fetching = f;
    f.onComplete(done -> fetching = null);
    return f;
  }

  /** A JWT segment decoded as JSON, or null: read only to route and pre-check, never trusted. */
  static JsonObject part(String token, int index) {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    if (parts.length != 3 || parts[index].isEmpty()) {
      return null;
    }
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[index]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** True when an access token is meant for Gauntlet: its audience or authorized party is one of ours. */
  static boolean forAudience(JsonObject claims, List<String> audiences) {
    Object aud = claims.getValue("aud");
    List<?> auds = aud instanceof JsonArray a ? a.getList() : aud == null ? List.of() : List.of(aud);
    return auds.stream().anyMatch(audiences::contains) || claims.getValue("azp") instanceof String azp && audiences.contains(azp);
  }

  /** OpenID Connect Core 3.1.3.7: the ID token is for this client, and answers this sign-in's nonce. */
  static boolean validIdToken(JsonObject claims, String clientId, String nonce) {
    Object aud = claims.getValue("aud");
    List<?> auds = aud instanceof JsonArray a ? a.getList() : aud == null ? List.of() : List.of(aud);
    Object azp = claims.getValue("azp");
    return auds.contains(clientId) && (auds.size() == 1 || azp != null) && (azp == null || clientId.equals(azp))
        && nonce != null && nonce.equals(claims.getValue("nonce"));
  }
}
