package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.RateLimiter;
import dev.gauntlet.auth.RateLimiter.Limit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * The rate limits in front of sign-in, credential issuing and the API, answered with 429, a
 * {@code Retry-After} header and the usual error body. Refusals of one client are audited at
 * most once a second, so a flood cannot flood the audit log too.
 */
final class RateLimits {

  private final RateLimiter limiter;

  RateLimits(RateLimiter limiter) {
    this.limiter = limiter;
  }

  /** Sign-in (form or token endpoint), after its body is read: per address, then per login. */
  void signIn(RoutingContext ctx) {
    String login = login(ctx);
    if (login != null) {
      // a refused attempt is audited under the login it tried
      ctx.put(Guard.AUDIT_ACTOR, login.length() > 64 ? login.substring(0, 64) : login);
    }
    // shared by every node in a cluster: a guesser spreading attempts over nodes still gets the limit once
    String lowered = login == null ? null : login.toLowerCase(Locale.ROOT);
    shared(ctx, Limit.SIGN_IN_PER_ADDRESS, Guard.address(ctx), "sign-in attempts from this address",
        () -> shared(ctx, Limit.SIGN_IN_PER_LOGIN, lowered, "sign-in attempts for this login", ctx::next));
  }

  /** Every API request, before its credential is checked, so floods of bad credentials are limited too. */
  void apiByAddress(RoutingContext ctx) {
    if (allowed(ctx, Limit.API_PER_ADDRESS, Guard.address(ctx), "requests from this address")) {
      ctx.next();
    }
  }

  /** Every authenticated API request, per user whatever the credential or address. */
  void apiByUser(RoutingContext ctx) {
    if (allowed(ctx, Limit.API_PER_USER, Guard.caller(ctx).userId(), "requests by this user")) {
      ctx.next();
    }
  }

  /** Issuing credentials (API keys), per user. */
  void tokens(RoutingContext ctx) {
    shared(ctx, Limit.TOKENS_PER_USER, Guard.caller(ctx).userId(), "API keys issued by this user", ctx::next);
  }

  /**
   * As {@link #allowed}, from the bucket every cluster node shares (one round trip; alone, this
   * node's), then {@code next} when allowed.
   */
  private void shared(RoutingContext ctx, Limit limit, String client, String what, Runnable next) {
    limiter.takeShared(ctx.vertx(), limit, client).onComplete(ar -> {
      if (ar.succeeded() && refuse(ctx, ar.result(), what)) {
        return;
      }
      next.run();
    });
  }

  /** True when the client may go on; otherwise the request has failed with a 429. */
  private boolean allowed(RoutingContext ctx, Limit limit, String client, String what) {
    return !refuse(ctx, limiter.take(limit, client), what);
  }

  /** Fails the request with a 429 when {@code refused} is not null; true then. */
  private static boolean refuse(RoutingContext ctx, RateLimiter.Refusal refused, String what) {
    if (refused == null) {
      return false;
    }
    if (!refused.worthAuditing()) {
      ctx.put(Guard.AUDIT_SKIP, true);
    }
    ctx.fail(Problem.tooManyRequests("rate_limited", "too many " + what + "; retry in " + refused.retryAfterSeconds() + " s",
        refused.retryAfterSeconds()));
    return true;
  }

  /** The login a sign-in names, from the form or the JSON body; null when it names none. */
  private static String login(RoutingContext ctx) {
    String form = ctx.request().getFormAttribute("username");
    if (form != null) {
      return form;
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return new JsonObject(body).getValue("username") instanceof String s ? s : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
