package dev.gauntlet.http;

import dev.gauntlet.operations.Operation;
import dev.gauntlet.operations.Operations;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * For a report operation asked for {@code format=html}: runs it and sends its {@code html} as the
 * page itself (inline, so a link opens it), not JSON around it. Other formats go on to the
 * ordinary JSON binding. The page is self-contained and escaped by the operation's renderer.
 */
final class HtmlAnswers {

  private HtmlAnswers() {}

  static Handler<RoutingContext> whenAsked(Operations ops, String name) {
    Operation op = ops.require(name);
    return ctx -> {
      if (!"html".equals(ctx.request().getParam("format"))) {
        ctx.next();
        return;
      }
      JsonObject args = Rest.query(ctx, op);
      ctx.pathParams().forEach(args::put);
      ops.run(op, Guard.caller(ctx), args).onFailure(ctx::fail).onSuccess(done -> ctx.response()
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
          .end(done.getString("html", "")));
    };
  }
}
