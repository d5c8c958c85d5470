package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** Authentication, authorization and auditing in front of the API. */
final class Guard {

  static final String CALLER = "gauntlet.caller";
  static final String AUDIT_ACTOR = "gauntlet.audit.actor";
  /** Set on a request whose refusal is not worth a row (a repeated 429 within the same second). */
  static final String AUDIT_SKIP = "gauntlet.audit.skip";
  /** What the audit entry's detail says of the resource, in people's words (a configuration's kind and name). */
  static final String AUDIT_DETAIL = "gauntlet.audit.detail";

  private final Authenticator authenticator;
  private final AuditLog audit;
  private final WebSessions sessions;

  Guard(Authenticator authenticator, AuditLog audit, WebSessions sessions) {
    this.authenticator = authenticator;
    this.audit = audit;
    this.sessions = sessions;
  }

  static Caller caller(RoutingContext ctx) {
    Caller c = ctx.get(CALLER);
    if (c == null) {
      throw Problem.unauthorized("authentication is required");
    }
    return c;
  }

  /**
   * Resolves the bearer credential (header, or {@code access_token} for the bridge) into a caller;
   * without one, a browser session's cookie (whose state changes must carry the CSRF header).
   */
  void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String bearer = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      bearer = header.substring(7).trim();
    } else if (ctx.request().path().startsWith("/eventbus")) {
      bearer = ctx.request().getParam("access_token");
    }
    String sessionUser = bearer == null && !ctx.request().path().startsWith("/eventbus") ? WebSessions.userId(ctx) : null;
    Future<Caller> found = sessionUser != null ? sessions.apiCaller(ctx, sessionUser) : authenticator.authenticate(bearer, address(ctx));
    found.onSuccess(caller -> {
      ctx.put(CALLER, caller);
      ctx.put(AUDIT_ACTOR, caller.username());
      ctx.next();
    }).onFailure(ctx::fail);
  }

  void requireAdmin(RoutingContext ctx) {
    if (!caller(ctx).isAdmin()) {
      ctx.fail(Problem.forbidden("this needs the admin role and scope"));
      return;
    }
    ctx.next();
  }

  /**
   * Records every write, every admin read and every refusal (401, 403, 404, 429) once the
   * response is sent: who, what, which resource, the outcome, from where and with what client.
   */
  void audit(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    String path = ctx.request().path();
    boolean write = method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    boolean admin = path.startsWith("/api/v1/admin");
    String userAgent = ctx.request().getHeader("User-Agent");
    ctx.addEndHandler(done -> {
      int status = ctx.response().getStatusCode();
      String outcome = AuditLog.outcomeOf(status);
      if (!(write || admin || outcome.equals(AuditLog.REFUSED)) || Boolean.TRUE.equals(ctx.get(AUDIT_SKIP))) {
        return;
      }
      String route = ctx.currentRoute() != null && ctx.currentRoute().getPath() != null ? ctx.currentRoute().getPath() : path;
      audit.record(new AuditLog.Entry(ctx.get(AUDIT_ACTOR), method + " " + route, path, outcome, status,
          address(ctx), userAgent, ctx.get(AUDIT_DETAIL)));
    });
    ctx.next();
  }

  static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }
}
