package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.auth.Oidc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * "Sign in with SSO": {@code /auth/oidc/login} sends the browser to the provider,
 * {@code /auth/oidc/callback} brings it back signed in to the same kind of session a local
 * sign-in makes, and signing out of such a session also ends it at the provider.
 *
 * <p>The state, nonce and PKCE verifier of a sign-in in progress stay on the server, keyed by
 * the state and bound to the browser by a short-lived cookie. That cookie is SameSite=Lax, since
 * the provider's redirect back is a cross-site navigation that a Strict cookie would not ride.
 * For the same reason the callback answers with a page that moves on to {@code /} by itself: a
 * redirect would still count as cross-site and arrive without the new Strict session cookie.
 */
final class OidcPages {

  static final String CALLBACK = "/auth/oidc/callback";
  private static final String BINDING_COOKIE = "gauntlet.oidc";
  private static final long PENDING_MS = 10 * 60_000L;
  private static final int MAX_PENDING = 10_000;

  private final Oidc oidc;
  private final Pages pages;
  private final AuditLog audit;
  /** Sign-ins in progress, by state; shared by every HTTP verticle, as the callback may land on any. */
  private final LocalMap<String, JsonObject> pending;

  OidcPages(Vertx vertx, Oidc oidc, Pages pages, AuditLog audit) {
    this.oidc = oidc;
    this.pages = pages;
    this.audit = audit;
    this.pending = vertx.sharedData().getLocalMap("gauntlet.oidc.pending");
  }

  void login(RoutingContext ctx) {
    if (WebSessions.userId(ctx) != null) {
      ctx.redirect("/");
      return;
    }
    if (!makeRoom()) {
      pages.loginFailed(ctx, 503, null, "Too many sign-ins are in progress. Please try again in a minute.");
      return;
    }
    String redirectUri = base(ctx) + CALLBACK;
    oidc.start(redirectUri).onFailure(t -> pages.loginFailed(ctx, 503, null,
        "The identity provider cannot be reached right now. Please try again later.")).onSuccess(start -> {
          String binding = WebSessions.randomToken();
          pending.put(start.state(), new JsonObject().put("binding", binding).put("nonce", start.nonce())
              .put("verifier", start.verifier()).put("redirect_uri", redirectUri)
              .put("expires", System.currentTimeMillis() + PENDING_MS));
          ctx.response().addCookie(bindingCookie(ctx, binding, PENDING_MS / 1000));
          ctx.response().putHeader("Cache-Control", "no-store");
          ctx.redirect(start.url());
        });
  }

  void callback(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    JsonObject flow = state == null ? null : pending.remove(state);
    Cookie cookie = ctx.request().getCookie(BINDING_COOKIE);
    ctx.response().addCookie(bindingCookie(ctx, "", 0));
    if (flow == null || flow.getLong("expires") < System.currentTimeMillis() || cookie == null
        || !MessageDigest.isEqual(flow.getString("binding").getBytes(StandardCharsets.UTF_8), cookie.getValue().getBytes(StandardCharsets.UTF_8))) {
      refuse(ctx, 400, "stale or unknown sign-in state", "This sign-in has expired or was started in another browser. Please sign in again.");
      return;
    }
    String error = ctx.request().getParam("error");
    String code = ctx.request().getParam("code");
    if (error != null || code == null) {
      String reason = error == null ? "no code" : error.length() > 64 ? error.substring(0, 64) : error;
      refuse(ctx, error == null ? 400 : 401, "provider answered " + reason, "The identity provider did not sign you in (" + reason + ").");
      return;
    }
    oidc.finish(code, flow.getString("redirect_uri"), flow.getString("verifier"), flow.getString("nonce")).onSuccess(signedIn -> {
      WebSessions.signInFromProvider(ctx, signedIn.user().id(), signedIn.idToken());
      record(ctx, signedIn.user().username(), "success", 200, null);
      pages.render(ctx, 200, "signed-in", new JsonObject().put("title", "Signed in").put("username", signedIn.user().username()));
    }).onFailure(t -> {
      Problem p = Problem.from(t);
      String message = switch (p.status()) {
        case 403 -> "Your account at the identity provider has no Gauntlet role. Ask an administrator for access.";
        case 503 -> "The identity provider cannot be reached right now. Please try again later.";
        default -> "Signing in through the identity provider failed. Please try again.";
      };
      refuse(ctx, p.status() == 403 || p.status() == 503 ? p.status() : 401, p.getMessage(), message);
    });
  }

  /** Sign-out of a session that came from the provider: ends it here, then at the provider. Others go on. */
  void logout(RoutingContext ctx) {
    String idToken = WebSessions.providerIdToken(ctx);
    if (idToken == null) {
      ctx.next();
      return;
    }
    String back = base(ctx) + "/login";
    pages.signOut(ctx).transform(ended -> ended.failed() ? Future.failedFuture(ended.cause()) : oidc.logoutUrl(idToken, back))
        .onComplete(ar -> ctx.response().setStatusCode(303)
            .putHeader("Location", ar.succeeded() && ar.result() != null ? ar.result() : "/login").end());
  }

  private void refuse(RoutingContext ctx, int status, String detail, String message) {
    record(ctx, null, status == 401 || status == 403 ? "denied" : "failed", status, detail);
    pages.loginFailed(ctx, status, null, message);
  }

  private void record(RoutingContext ctx, String actor, String outcome, int status, String detail) {
    audit.record(new AuditLog.Entry(actor, "GET " + CALLBACK, CALLBACK, outcome, status, Guard.address(ctx),
        ctx.request().getHeader("User-Agent"), detail));
  }

  /** Keeps the pending sign-ins bounded: expired ones go; when still full, new ones wait. */
  private boolean makeRoom() {
    if (pending.size() >= MAX_PENDING / 2) {
      long now = System.currentTimeMillis();
      pending.keySet().forEach(k -> {
        JsonObject f = pending.get(k);
        if (f != null && f.getLong("expires") < now) {
          pending.remove(k);
        }
      });
    }
    return pending.size() < MAX_PENDING;
  }

  private String base(RoutingContext ctx) {
    String configured = oidc.config().publicUrl();
    if (!configured.isEmpty()) {
      return configured;
    }
    URI u = URI.create(ctx.request().absoluteURI());
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  private Cookie bindingCookie(RoutingContext ctx, String value, long maxAgeSeconds) {
    return Cookie.cookie(BINDING_COOKIE, value).setPath("/auth/oidc").setHttpOnly(true).setSameSite(CookieSameSite.LAX)
        .setSecure(base(ctx).startsWith("https:")).setMaxAge(maxAgeSeconds);
  }
}
