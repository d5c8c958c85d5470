package dev.gauntlet.http;

import dev.gauntlet.memory.MemoryClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/** Liveness and readiness, unauthenticated. */
final class Health {

  private final Pool pool;
  private final MemoryClient memory;

  Health(Pool pool, MemoryClient memory) {
    this.pool = pool;
    this.memory = memory;
  }

  void health(RoutingContext ctx) {
    Http.json(ctx, 200, new JsonObject().put("status", "up"));
  }

  /** Ready when the app database answers and every memory shard replies. */
  void ready(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .compose(v -> memory.stats())
        .onSuccess(s -> Http.json(ctx, 200, new JsonObject().put("status", "ready").put("memory_shards", s.size())))
        .onFailure(t -> Http.json(ctx, 503, new JsonObject().put("status", "not ready")
            .put("error", new JsonObject().put("code", "not_ready").put("message", String.valueOf(t.getMessage())))));
  }
}
