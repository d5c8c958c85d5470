package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.SessionStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Browser sessions: server-side in the app database, found by the hash of their id (see
 * {@link StoredSessions}; the session holds only the user id and a CSRF token), an
 * HttpOnly SameSite=Strict cookie, and a per-session CSRF token every state-changing request
 * carries, as the form field {@code _csrf} or the header {@code X-CSRF-Token}.
 */
final class WebSessions {

  static final String COOKIE = "gauntlet.session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "_csrf";
  /** Where a user whose password was generated is sent, from every page, until they set their own. */
  static final String PASSWORD_PAGE = "/password";
  private static final String USER_ID = StoredSessions.USER_ID;
  private static final String CSRF = StoredSessions.CSRF;
  private static final String ID_TOKEN = StoredSessions.ID_TOKEN;
  static final long TIMEOUT_MS = 8 * 3600_000L;
  private static final int MIN_ID_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String HSTS = "max-age=31536000; includeSubDomains";

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(WebSessions.class.getName());
  private final SessionHandler handler;
  private final SessionStore store;
  private final Authenticator authenticator;

  WebSessions(Vertx vertx, Authenticator authenticator, dev.gauntlet.appdb.Sessions stored) {
    this.authenticator = authenticator;
    // in the app database: every HTTP verticle instance sees every session, and a restart keeps them
    this.store = new StoredSessions(vertx, stored);
    this.handler = SessionHandler.create(store).setSessionCookieName(COOKIE)
        .setCookieHttpOnlyFlag(true).setCookieSameSite(CookieSameSite.STRICT).setLazySession(true)
        .setSessionTimeout(TIMEOUT_MS).setMinLength(MIN_ID_LENGTH);
  }

  SessionHandler handler() {
    return handler;
  }

  /**
   * Writes the request's session to the app database before the answer leaves: the handler would
   * otherwise write it as the headers go out, and the browser's next request (the redirect after
   * signing in, the form it just received) could arrive before the row does.
   */
  Future<Void> flush(RoutingContext ctx) {
    if (ctx.session() == null || ctx.response().headWritten()) {
      return Future.succeededFuture();
    }
    return handler.flush(ctx, true).recover(t -> {
      LOG.warning("storing a session failed: " + t.getMessage());
      return Future.succeededFuture();
    });
  }

  /**
   * Every response (pages, static files, API answers and errors) forbids inline script,
   * framing and sniffing; over TLS it also tells browsers to use nothing but TLS from now on.
   * {@code signOutOrigin}, the OpenID provider's origin when one is configured, is allowed as a
   * form target too: the sign-out form's answer redirects there to end the provider's session.
   */
  static Handler<RoutingContext> securityHeaders(String signOutOrigin) {
    String csp = signOutOrigin == null ? CSP : CSP.replace("form-action 'self'", "form-action 'self' " + signOutOrigin);
    return ctx -> {
      ctx.response().putHeader("Content-Security-Policy", csp).putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "same-origin").putHeader("X-Frame-Options", "DENY");
      if (ctx.request().isSSL()) {
        ctx.response().putHeader("Strict-Transport-Security", HSTS);
      }
      ctx.next();
    };
  }

  /** The scheme, host and port of a URL, as CSP names a source; null for null. */
  static String origin(String url) {
    if (url == null) {
      return null;
    }
    java.net.URI uri = java.net.URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /** The signed-in user's id, or null; never creates a session for a request that has no cookie. */
  static String userId(RoutingContext ctx) {
    if (ctx.request().getCookie(COOKIE) == null || ctx.session() == null) {
      return null;
    }
    return ctx.session().get(USER_ID);
  }

  /**
   * The caller of the session a request's cookie names, for the one request the session handler
   * does not see: the event-bus bridge's upgrade. Fails when there is no such signed-in session.
   */
  Future<Caller> callerOf(HttpServerRequest request) {
    Cookie cookie = request.getCookie(COOKIE);
    if (cookie == null || cookie.getValue().length() < MIN_ID_LENGTH) {
      return Future.failedFuture(Problem.unauthorized("no session"));
    }
    return store.get(cookie.getValue()).compose(s -> {
      String userId = s == null ? null : s.get(USER_ID);
      return userId == null ? Future.failedFuture(Problem.unauthorized("the session is not signed in")) : authenticator.bySession(userId);
    });
  }

  /**
   * True when the request's {@code Origin} names the host it was sent to: a page of this server,
   * not another site riding on the browser's cookie.
   */
  static boolean sameOrigin(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    String host = request.getHeader("Host");
    if (origin == null || host == null) {
      return false;
    }
    try {
      java.net.URI uri = new java.net.URI(origin);
      if (uri.getHost() == null) {
        return false;
      }
      String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
      return authority.equalsIgnoreCase(host);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
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
      String path = ctx.request().path();
      if (caller.mustChangePassword() && !PASSWORD_PAGE.equals(path) && !"/logout".equals(path)) {
        ctx.redirect(PASSWORD_PAGE);
        return;
      }
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

  /** Signs in as the user an identity provider vouched for, keeping its ID token for the provider's logout. */
  static void signInFromProvider(RoutingContext ctx, String userId, String idToken) {
    Session s = ctx.session().regenerateId();
    s.put(USER_ID, userId);
    s.put(CSRF, randomToken());
    s.put(ID_TOKEN, idToken);
  }

  /** The ID token of a session signed in through the identity provider, or null. */
  static String providerIdToken(RoutingContext ctx) {
    return userId(ctx) == null ? null : ctx.session().get(ID_TOKEN);
  }

  /**
   * Ends the session and completes once the store has forgotten it. The session handler would
   * otherwise delete it while the response is already on its way, so a socket or page request sent
   * right after the sign-out could still be taken for the signed-out user.
   */
  Future<Void> signOut(RoutingContext ctx) {
    if (ctx.session() == null) {
      return Future.succeededFuture();
    }
    ctx.session().destroy();
    return handler.flush(ctx);
  }

  static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
