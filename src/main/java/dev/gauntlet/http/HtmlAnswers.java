package dev.gauntlet.http;

import dev.gauntlet.operations.Operation;
import dev.gauntlet.operations.Operations;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A report operation's HTML as a page of its own, for the signed-in browser: the operation runs
 * with {@code format=html} and its {@code html} is sent as the page itself (inline, so a link
 * opens it), under a policy that allows no script. The REST routes stay JSON only (with
 * {@code format=html} they carry the page in {@code html}), as the OpenAPI document says. The
 * page is self-contained and escaped by the operation's renderer.
 */
final class HtmlAnswers {

  private HtmlAnswers() {}

  static Handler<RoutingContext> page(Operations ops, String name) {
    Operation op = ops.require(name);
    return ctx -> {
      JsonObject args = Rest.query(ctx, op).put("format", "html");
      ctx.pathParams().forEach(args::put);
      ops.run(op, Guard.caller(ctx), args).onFailure(ctx::fail).onSuccess(done -> ctx.response()
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
          .end(done.getString("html", "")));
    };
  }
}
