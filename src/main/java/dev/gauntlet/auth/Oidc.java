package dev.gauntlet.auth;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.config.OidcConfig;
import dev.gauntlet.memory.MemoryPaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Sign-in through an OpenID Connect provider found by discovery: the browser's code flow with
 * PKCE and a nonce, and bearer access tokens verified against the provider's keys. Whoever signs
 * in is registered by issuer and subject with a username frozen at the first sign-in (which
 * names their memory); their roles follow the provider's at every sign-in. One instance per
 * HTTP verticle, used on its event loop.
 */
public final class Oidc {

  private static final Logger LOG = Logger.getLogger(Oidc.class.getName());
  private static final long REDISCOVER_MS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where to send the browser, and what the callback must match (kept server-side). */
  public record Start(String url, String state, String nonce, String verifier) {}

  /** A finished browser sign-in: the user, and the ID token the provider's logout wants back. */
  public record SignedIn(UserRecord user, String idToken) {}

  private record Provider(OAuth2Auth oauth2, ProviderTokens tokens, boolean endSession) {}

  private final Vertx vertx;
  private final OidcConfig config;
  private final Users users;
  private final MemoryPaths paths;
  private final OidcClaims claims;
  private Future<Provider> provider;
  private long discoveredAt;

  public Oidc(Vertx vertx, OidcConfig config, Users users, MemoryPaths paths) {
    this.vertx = vertx;
    this.config = config;
    this.users = users;
    this.paths = paths;
    this.claims = new OidcClaims(config);
  }

  public OidcConfig config() {
    return config;
  }

  /** Discovers the provider at first use; a failed discovery is tried again at a later use, at most every 10 s. */
  private Future<Provider> provider() {
    if (provider != null && !(provider.failed() && System.currentTimeMillis() - discoveredAt >= REDISCOVER_MS)) {
      return provider;
    }
    discoveredAt = System.currentTimeMillis();
    OAuth2Options options = new OAuth2Options().setSite(config.issuer()).setClientId(config.clientId())
        .setClientSecret(config.publicClient() ? null : config.clientSecret()).setUserAgent("gauntlet");
    provider = OpenIDConnectAuth.discover(vertx, options)
        // tokens carry the issuer exactly as the discovery document spells it (some end in a slash)
        .map(oauth2 -> new Provider(oauth2, new ProviderTokens(vertx, options.getJWTOptions().getIssuer() != null
            ? options.getJWTOptions().getIssuer() : config.issuer(), options.getJwkPath()), options.getLogoutPath() != null))
        .recover(t -> {
          LOG.warning("OpenID Connect discovery at " + config.issuer() + " failed: " + t.getMessage());
          return Future.failedFuture(new Problem(503, "provider_unavailable", "the identity provider cannot be reached"));
        });
    return provider;
  }

  /** Starts a browser sign-in: a fresh state, nonce and PKCE verifier, and the provider's authorization URL. */
  public Future<Start> start(String redirectUri) {
    return provider().map(p -> {
      String state = random();
      String nonce = random();
      String verifier = random();
      String url = p.oauth2().authorizeURL(new OAuth2AuthorizationURL().setRedirectUri(redirectUri).setScopes(config.scopes())
          .setState(state).setCodeChallenge(s256(verifier)).setCodeChallengeMethod("S256")
          .putAdditionalParameter("nonce", nonce));
      return new Start(url, state, nonce, verifier);
    });
  }

  /**
   * Finishes a browser sign-in: trades the code (with the PKCE verifier) for tokens, checks the
   * ID token's signature, audience and nonce, and registers or refreshes the user.
   */
  public Future<SignedIn> finish(String code, String redirectUri, String verifier, String nonce) {
    return provider().compose(p -> p.oauth2().authenticate(new Oauth2Credentials().setFlow(OAuth2FlowType.AUTH_CODE)
            .setCode(code).setRedirectUri(redirectUri).setCodeVerifier(verifier))
        .recover(t -> Future.failedFuture(Problem.unauthorized("the identity provider did not accept the sign-in: " + t.getMessage())))
        .compose(tokens -> {
          String idToken = tokens.principal().getString("id_token");
          String accessToken = tokens.principal().getString("access_token");
          if (idToken == null) {
            return Future.failedFuture(Problem.unauthorized("the identity provider returned no ID token"));
          }
          Future<JsonObject> access = ProviderTokens.part(accessToken, 1) == null ? Future.succeededFuture(null)
              // straight from the token endpoint for our code: its roles count even if its audience is another service
              : p.tokens().verify(accessToken).otherwiseEmpty();
          return p.tokens().verify(idToken)
              .compose(id -> ProviderTokens.validIdToken(id, config.clientId(), nonce) ? Future.succeededFuture(id)
                  : Future.failedFuture(Problem.unauthorized("the ID token is not for this client or this sign-in")))
              .compose(id -> access.compose(a -> register(id, true, a != null && Objects.equals(a.getValue("sub"), id.getValue("sub"))
                  ? new JsonObject[] {id, a} : new JsonObject[] {id})))
              .map(user -> new SignedIn(user, idToken));
        }));
  }

  /** True when a bearer token names this provider as its issuer (unverified: it only picks the verifier). */
  public boolean issued(String token) {
    JsonObject payload = ProviderTokens.part(token, 1);
    return payload != null && payload.getValue("iss") instanceof String iss
        && config.issuer().equals(iss.endsWith("/") ? iss.substring(0, iss.length() - 1) : iss);
  }

  /** A bearer access token: verified, meant for Gauntlet (audience or authorized party), and not an ID token. */
  public Future<UserRecord> bearer(String token) {
    return provider().compose(p -> p.tokens().verify(token)).compose(c -> {
      if (!ProviderTokens.forAudience(c, config.audiences()) || "ID".equals(c.getValue("typ"))) {
        return Future.failedFuture(Problem.unauthorized("the access token is not meant for Gauntlet"));
      }
      return register(c, false, c);
    });
  }

  /** The provider's end-session URL for this ID token, or null when it has none or cannot be reached. */
  public Future<String> logoutUrl(String idToken, String postLogoutRedirectUri) {
    return provider().map(p -> p.endSession() ? p.oauth2().endSessionURL(User.create(new JsonObject().put("id_token", idToken)),
        new JsonObject().put("post_logout_redirect_uri", postLogoutRedirectUri).put("client_id", config.clientId())) : null)
        .otherwise((String) null);
  }

  /**
   * The registered user for verified claims: found by issuer and subject, or registered with a
   * frozen username. Their roles follow the mapping; nobody without a mapped role gets in.
   */
  Future<UserRecord> register(JsonObject identity, boolean signIn, JsonObject... roleSources) {
    if (!(identity.getValue("sub") instanceof String subject) || subject.isBlank()) {
      return Future.failedFuture(Problem.unauthorized("the token names no subject"));
    }
    List<String> roles = claims.gauntletRoles(claims.providerRoles(roleSources));
    if (roles.isEmpty()) {
      return Future.failedFuture(Problem.forbidden("the identity provider grants this account none of the roles Gauntlet maps "
          + "(admin: " + config.adminRoles() + ", user: " + config.userRoles() + ")"));
    }
    String displayName = claims.displayName(identity);
    return users.byIdentity(config.issuer(), subject).compose(found -> {
      if (found.isEmpty()) {
        return users.registerIdentity(config.issuer(), subject, claims.wantedUsername(identity), displayName, roles, paths::fileName);
      }
      UserRecord u = found.get();
      if (u.disabled()) {
        return Future.failedFuture(Problem.unauthorized("this account is disabled in Gauntlet"));
      }
      boolean changed = !u.roles().equals(roles) || !Objects.equals(u.displayName(), displayName);
      return signIn || changed
          ? users.recordIdentitySignIn(u.id(), roles, displayName).compose(v -> users.byId(u.id())).map(r -> r.orElseThrow())
          : Future.succeededFuture(u);
    });
  }

  static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
