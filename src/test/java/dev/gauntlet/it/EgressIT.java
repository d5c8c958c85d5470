package dev.gauntlet.it;

import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress policy on the real jar at its defaults (loopback not opened to everyone): a user's
 * generator aimed at the server's own port, the metadata address, a name resolving to loopback or
 * a redirect to loopback reaches nothing, while a target on a private address answers and an
 * admin's generator on loopback keeps working. Bad URLs are refused when saved.
 */
class EgressIT {

  @TempDir
  Path tmp;

  @Test
  void generatorsReachOnlyWhatThePolicyAllows() throws Exception {
    InetAddress privateAddress = privateAddress();
    Vertx vertx = Vertx.vertx();
    AtomicInteger privateRequests = new AtomicInteger();
    try (FakeOpenAi loopbackFake = new FakeOpenAi();
         GauntletProcess g = new GauntletProcess(tmp.resolve("data"), Map.of("GAUNTLET_GENERATORS_EGRESS_ALLOW_LOOPBACK", "false"))) {
      loopbackFake.start(0);
      g.start();
      String admin = g.adminToken();
      String user = g.newUser(admin, "egress");

      // aimed at loopback: the server itself, the fake, "localhost", an IPv4-mapped IPv6 loopback
      for (String url : new String[] {"http://127.0.0.1:" + g.port + "/api/v1", loopbackFake.baseUrl(),
          "http://localhost:" + loopbackFake.port() + "/v1", "http://[::ffff:127.0.0.1]:" + loopbackFake.port() + "/v1"}) {
        JsonObject answer = test(g, user, generator(g, user, url));
        assertEquals("egress_denied", answer.getString("error"), url + ": " + answer.encode());
        assertTrue(answer.getString("detail").contains("loopback"), answer.encode());
      }
      // the metadata service and the unspecified address, refused even for an admin
      for (String url : new String[] {"http://169.254.169.254/latest/meta-data", "http://0.0.0.0:" + g.port + "/v1"}) {
        JsonObject answer = test(g, admin, generator(g, admin, url));
        assertEquals("egress_denied", answer.getString("error"), url + ": " + answer.encode());
        assertTrue(answer.getString("detail").contains("never allowed"), answer.encode());
      }
      assertEquals(0, loopbackFake.requests(), "nothing reached the loopback target");
      // each refusal is in the audit log, under the generator's owner, with the target and the reason
      String audit = g.get("/api/v1/admin/audit?action=EGRESS&limit=100", admin).text();
      assertTrue(audit.contains("\"actor\":\"egress\"") && audit.contains("127.0.0.1:" + g.port) && audit.contains("loopback"), audit);
      assertTrue(audit.contains("169.254.169.254:80") && audit.contains("never allowed"), audit);

      // an admin's generator on loopback (a local Ollama) still works
      JsonObject adminAnswer = test(g, admin, generator(g, admin, loopbackFake.baseUrl()));
      assertEquals("none", adminAnswer.getString("error"), adminAnswer.encode());
      assertEquals(1, loopbackFake.requests());

      // URLs that are not http(s) are refused when saved, naming the parameter
      for (String bad : new String[] {"file:///etc/passwd", "javascript:alert(1)", "", "not a url", "ftp://example.com/v1"}) {
        GauntletProcess.Response r = g.post("/api/v1/generators", user, new JsonObject().put("name", "bad " + bad)
            .put("type", "openai_chat").put("parameters", new JsonObject().put("base_url", bad).put("model", "m")));
        assertEquals(400, r.status(), bad + ": " + r.text());
        assertTrue(r.text().contains("base_url"), r.text());
      }

      // every user can read the policy their generators run under
      JsonObject policy = g.get("/api/v1/egress", user).json();
      assertEquals("allowed for admins only", policy.getString("loopback"), policy.encode());
      assertEquals(false, policy.getBoolean("allowLoopback"));

      // a target on a private address answers; its redirect to loopback is not followed
      Assumptions.assumeTrue(privateAddress != null, "this machine has no private (RFC 1918 or fc00::/7) address to serve a target on");
      HttpServer server = vertx.createHttpServer().requestHandler(req -> {
        privateRequests.incrementAndGet();
        if (req.path().startsWith("/redirect")) {
          req.response().setStatusCode(302).putHeader("Location", loopbackFake.baseUrl() + "/chat/completions").end();
        } else {
          req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("choices", new JsonArray()
              .add(new JsonObject().put("message", new JsonObject().put("role", "assistant").put("content", "hello from a private address")))).encode());
        }
      }).listen(0, privateAddress.getHostAddress().replaceAll("%.*", "")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String host = privateAddress instanceof Inet6Address ? "[" + privateAddress.getHostAddress().replaceAll("%.*", "") + "]"
          : privateAddress.getHostAddress();
      JsonObject ok = test(g, user, generator(g, user, "http://" + host + ":" + server.actualPort() + "/v1"));
      assertEquals("none", ok.getString("error"), ok.encode());
      assertEquals("hello from a private address", ok.getString("answer"));
      JsonObject redirected = test(g, user, generator(g, user, "http://" + host + ":" + server.actualPort() + "/redirect/v1"));
      assertEquals("invalid_response", redirected.getString("error"), redirected.encode());
      assertEquals(2, privateRequests.get());
      assertEquals(1, loopbackFake.requests(), "the redirect to loopback was not followed");
      assertFalse(g.output().contains("SEVERE"), "no stack trace in the log");
    } finally {
      vertx.close();
    }
  }

  private static String generator(GauntletProcess g, String token, String baseUrl) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/generators", token, new JsonObject().put("name", "to " + baseUrl)
        .put("type", "openai_chat").put("parameters", new JsonObject().put("base_url", baseUrl).put("model", "m")
            .put("max_retries", 0).put("timeout_ms", 5000)));
    assertEquals(201, r.status(), r.text());
    return r.json().getString("id");
  }

  private static JsonObject test(GauntletProcess g, String token, String generatorId) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/generators/" + generatorId + "/test", token, new JsonObject().put("prompt", "hello"));
    assertEquals(200, r.status(), r.text());
    return r.json();
  }

  /** A private address of this machine (10/8, 172.16/12, 192.168/16 or fc00::/7), or null. */
  private static InetAddress privateAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        boolean ula = a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
        if ((a instanceof Inet4Address && a.isSiteLocalAddress()) || ula) {
          return a;
        }
      }
    }
    return null;
  }
}
