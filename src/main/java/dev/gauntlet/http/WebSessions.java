package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Browser sessions: server-side (the session holds only the user id and a CSRF token), an
 * HttpOnly SameSite=Strict cookie, and a per-session CSRF token every state-changing request
 * carries, as the form field {@code _csrf} or the header {@code X-CSRF-Token}.
 */
final class WebSessions {

  static final String COOKIE = "gauntlet.session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "_csrf";
  private static final String USER_ID = "user_id";
  private static final String CSRF = "csrf";
  private static final long TIMEOUT_MS = 8 * 3600_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String HSTS = "max-age=31536000; includeSubDomains";

  private final SessionHandler handler;
  private final Authenticator authenticator;

  WebSessions(Vertx vertx, Authenticator authenticator) {
    this.authenticator = authenticator;
    // the local store lives in a shared map, so every HTTP verticle instance sees every session
    this.handler = SessionHandler.create(LocalSessionStore.create(vertx)).setSessionCookieName(COOKIE)
        .setCookieHttpOnlyFlag(true).setCookieSameSite(CookieSameSite.STRICT).setLazySession(true)
        .setSessionTimeout(TIMEOUT_MS).setMinLength(32);
  }

  SessionHandler handler() {
    return handler;
  }

  /**
   * Every response (pages, static files, API answers and errors) forbids inline script,
   * framing and sniffing; over TLS it also tells browsers to use nothing but TLS from now on.
   */
  static void securityHeaders(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin").putHeader("X-Frame-Options", "DENY");
    if (ctx.request().isSSL()) {
      ctx.response().putHeader("Strict-Transport-Security", HSTS);
    }
    ctx.next();
  }

  /** The signed-in user's id, or null; never creates a session for a request that has no cookie. */
  static String userId(RoutingContext ctx) {
    if (ctx.request().getCookie(COOKIE) == null || ctx.session() == null) {
      return null;
    }
    return ctx.session().get(USER_ID);
  }

  /** The session's CSRF token, made on first use. */
  static String csrfToken(RoutingContext ctx) {
    Session s = ctx.session();
    String token = s.get(CSRF);
    if (token == null) {
      token = randomToken();
      s.put(CSRF, token);
    }
    return token;
  }

  /** True when the request carries the session's CSRF token (header or form field). */
  static boolean csrfValid(RoutingContext ctx) {
    Session s = ctx.session();
    String expected = s == null ? null : s.get(CSRF);
    String given = ctx.request().getHeader(CSRF_HEADER);
    if (given == null) {
      given = ctx.request().getFormAttribute(CSRF_FIELD);
    }
    return expected != null && given != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  static boolean changesState(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    return m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS;
  }

  /** The caller of an API request made with the session cookie; state changes need the CSRF header. */
  Future<Caller> apiCaller(RoutingContext ctx, String userId) {
    if (changesState(ctx) && !csrfValid(ctx)) {
      return Future.failedFuture(new Problem(403, "csrf", "a cookie-authenticated change needs the " + CSRF_HEADER + " header"));
    }
    return authenticator.bySession(userId);
  }

  /** Pages: the session's caller, or a redirect to the sign-in page. */
  void requirePage(RoutingContext ctx) {
    String userId = userId(ctx);
    if (userId == null) {
      ctx.redirect("/login");
      return;
    }
    if (changesState(ctx) && !csrfValid(ctx)) {
      ctx.fail(new Problem(403, "csrf", "the form is stale; reload the page and try again"));
      return;
    }
    authenticator.bySession(userId).onSuccess(caller -> {
      ctx.put(Guard.CALLER, caller);
      ctx.put(Guard.AUDIT_ACTOR, caller.username());
      ctx.next();
    }).onFailure(t -> {
      ctx.session().destroy();
      ctx.redirect("/login");
    });
  }

  /** Signs in with a local account; the session id changes so a planted one is useless. */
  Future<Caller> signIn(RoutingContext ctx, Accounts accounts, String login, String password) {
    return accounts.signIn(login, password)
        .compose(token -> authenticator.authenticate(token.getString("access_token"), Guard.address(ctx)))
        .onSuccess(caller -> {
          Session s = ctx.session().regenerateId();
          s.put(USER_ID, caller.userId());
          s.put(CSRF, randomToken());
        });
  }

  static void signOut(RoutingContext ctx) {
    if (ctx.session() != null) {
      ctx.session().destroy();
    }
  }

  private static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
