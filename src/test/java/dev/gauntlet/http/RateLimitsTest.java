package dev.gauntlet.http;

import dev.gauntlet.auth.Caller;
import dev.gauntlet.auth.RateLimiter;
import dev.gauntlet.config.RateLimitConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits as HTTP clients meet them: a real router and server, clients on distinct loopback addresses. */
class RateLimitsTest {

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // 3 API calls per address, 2 per user, 2 sign-ins per address and per login
    RateLimits limits = new RateLimits(new RateLimiter(new RateLimitConfig(true, 2, 2, 1, 2, 3, 1000)));
    Router router = Router.router(vertx);
    router.route("/api/*").handler(limits::apiByAddress);
    router.route("/api/*").handler(BodyHandler.create(false));
    router.post("/api/token").handler(limits::signIn).handler(ctx -> ctx.response().end("token"));
    router.route("/api/*").handler(ctx -> {
      String user = ctx.request().getHeader("X-User");
      ctx.put(Guard.CALLER, new Caller(user, user, "f.db", List.of("user"), Set.of("read"), "token", null));
      ctx.next();
    });
    router.route("/api/*").handler(limits::apiByUser);
    router.get("/api/thing").handler(ctx -> ctx.response().end("ok"));
    router.route().failureHandler(Http::failure);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> call(String from, String user, String method, String path, JsonObject body) throws Exception {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setLocalAddress(from));
    try {
      var request = client.request(io.vertx.core.http.HttpMethod.valueOf(method), server.actualPort(), "127.0.0.1", path)
          .putHeader("X-User", user);
      return (body == null ? request.send() : request.sendJsonObject(body)).await(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private static void assertThrottled(HttpResponse<Buffer> r) {
    assertEquals(429, r.statusCode(), r.bodyAsString());
    assertEquals("rate_limited", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    String retryAfter = r.getHeader("Retry-After");
    assertNotNull(retryAfter, "429 tells when to retry");
    assertTrue(Long.parseLong(retryAfter) >= 1 && Long.parseLong(retryAfter) <= 60, retryAfter);
  }

  @Test
  void aUserOverTheLimitGets429WhileOthersGoOn() throws Exception {
    assertEquals(200, call("127.0.0.2", "alice", "GET", "/api/thing", null).statusCode());
    assertEquals(200, call("127.0.0.3", "alice", "GET", "/api/thing", null).statusCode());
    assertThrottled(call("127.0.0.4", "alice", "GET", "/api/thing", null));
    assertEquals(200, call("127.0.0.2", "bob", "GET", "/api/thing", null).statusCode(), "bob has his own bucket");
  }

  @Test
  void anAddressOverTheLimitGets429WhateverTheUser() throws Exception {
    for (String user : new String[] {"u1", "u2", "u3"}) {
      assertEquals(200, call("127.0.0.5", user, "GET", "/api/thing", null).statusCode());
    }
    assertThrottled(call("127.0.0.5", "u4", "GET", "/api/thing", null));
    assertEquals(200, call("127.0.0.6", "u4", "GET", "/api/thing", null).statusCode(), "another address is not slowed down");
  }

  @Test
  void signInsAreLimitedPerLoginAcrossAddressesAndPerAddressAcrossLogins() throws Exception {
    JsonObject admin = new JsonObject().put("username", "Admin").put("password", "x");
    assertEquals(200, call("127.0.0.7", "-", "POST", "/api/token", admin).statusCode());
    assertEquals(200, call("127.0.0.8", "-", "POST", "/api/token", admin.copy().put("username", "admin")).statusCode());
    assertThrottled(call("127.0.0.9", "-", "POST", "/api/token", admin));

    assertEquals(200, call("127.0.0.10", "-", "POST", "/api/token", admin.copy().put("username", "a")).statusCode());
    assertEquals(200, call("127.0.0.10", "-", "POST", "/api/token", admin.copy().put("username", "b")).statusCode());
    assertThrottled(call("127.0.0.10", "-", "POST", "/api/token", admin.copy().put("username", "c")));
  }
}
