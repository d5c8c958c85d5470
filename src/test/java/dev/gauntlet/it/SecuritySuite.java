package dev.gauntlet.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * The jar, users and helpers both halves of the security suite share ({@link SecurityIsolationIT},
 * {@link SecurityAbuseIT}): each half starts its own jar, attacks it, and finally checks the server
 * is still up and the victim's data unchanged.
 */
abstract class SecuritySuite {

  static GauntletProcess g;
  static SecurityFixture f;
  static Vertx vertx;
  static WebSocketClient sockets;
  static Instant STARTED;
  static final int SIGN_INS_PER_ADDRESS = 12;

  /** Route parameters that name a catalog entry, not anybody's resource. */
  static final Set<String> SHARED_PARAMS = Set.of("builtin_id", "probe_id");

  @BeforeAll
  static void start() throws Exception {
    STARTED = Instant.now();
    Path tmp = Files.createTempDirectory("gauntlet-security");
    // a 1 MB body limit and 12 sign-ins a minute per address keep the oversized-body and password-spraying cases fast
    g = new GauntletProcess(tmp.resolve("data"), Map.of("GAUNTLET_HTTP_MAX_BODY_BYTES", "1048576",
        "GAUNTLET_RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE", String.valueOf(SIGN_INS_PER_ADDRESS))).start();
    f = new SecurityFixture(g);
    vertx = Vertx.vertx();
    sockets = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      assertEquals(200, g.get("/health", null).status(), "the server is still up after every attack");
      assertAliceUnchanged();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      g.close();
    }
  }

  static void assertAliceUnchanged() throws Exception {
    for (String kind : List.of("generators", "converters", "scorers", "datasets", "orchestrators")) {
      GauntletProcess.Response r = g.get("/api/v1/" + kind + "/" + f.aliceIds.get(kind), f.alice);
      assertEquals(200, r.status(), kind + ": " + r.text());
      assertTrue(r.json().getString("name").startsWith(f.secret), kind + " renamed: " + r.text());
    }
    assertEquals(200, g.get("/api/v1/executions/" + f.aliceIds.get("executions"), f.alice).status());
    assertEquals(200, g.get("/api/v1/memory/conversations/" + f.aliceIds.get("conversations"), f.alice).status());
    assertTrue(g.get("/api/v1/keys", f.alice).text().contains(f.aliceIds.get("keys")));
  }

  /** The body a PUT of alice's resource would carry, renamed: valid, so only ownership can refuse it. */
  static JsonObject stolen(String kind, String id) throws Exception {
    if (kind.equals("datasets")) {
      return new JsonObject().put("name", "stolen").put("prompts", new JsonArray());
    }
    if (kind.equals("results")) {
      return new JsonObject().put("verdict", "attack_succeeded").put("comment", "stolen");
    }
    return g.get("/api/v1/" + kind + "/" + id, f.alice).json().put("name", "stolen");
  }
}
