package dev.gauntlet.http;

import dev.gauntlet.memory.ConfigKind;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** REST over {@link ApiOperations}: configuration kinds, pieces, conversations, status. */
final class MemoryApi {

  private final ApiOperations ops;

  MemoryApi(ApiOperations ops) {
    this.ops = ops;
  }

  void list(RoutingContext ctx, ConfigKind kind) {
    run(ctx, 200, kind.table() + ".list", Http.page(ctx, 100));
  }

  void get(RoutingContext ctx, ConfigKind kind) {
    run(ctx, 200, kind.table() + ".get", Http.page(ctx, 1000).put("id", ctx.pathParam("id")));
  }

  void create(RoutingContext ctx, ConfigKind kind) {
    run(ctx, 201, kind.table() + ".create", new JsonObject().put("value", Http.body(ctx)));
  }

  void update(RoutingContext ctx, ConfigKind kind) {
    run(ctx, 200, kind.table() + ".update", new JsonObject().put("id", ctx.pathParam("id")).put("value", Http.body(ctx)));
  }

  void delete(RoutingContext ctx, ConfigKind kind) {
    run(ctx, 200, kind.table() + ".delete", new JsonObject().put("id", ctx.pathParam("id")));
  }

  void orchestratorInstance(RoutingContext ctx) {
    run(ctx, 200, "orchestrators.instance", new JsonObject().put("id", ctx.pathParam("id")));
  }

  void appendPieces(RoutingContext ctx) {
    run(ctx, 201, "memory.pieces.append", Http.body(ctx));
  }

  void conversations(RoutingContext ctx) {
    run(ctx, 200, "memory.conversations.list", Http.page(ctx, 50));
  }

  void conversation(RoutingContext ctx) {
    run(ctx, 200, "memory.conversations.get", new JsonObject().put("id", ctx.pathParam("id")));
  }

  void status(RoutingContext ctx) {
    run(ctx, 200, "database.status", new JsonObject());
  }

  void me(RoutingContext ctx) {
    run(ctx, 200, "auth.me", new JsonObject());
  }

  private void run(RoutingContext ctx, int status, String op, JsonObject args) {
    Http.reply(ctx, status, ops.run(op, Guard.caller(ctx), args));
  }
}
