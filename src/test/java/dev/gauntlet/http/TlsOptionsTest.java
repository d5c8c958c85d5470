package dev.gauntlet.http;

import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.config.TlsConfig;
import dev.gauntlet.testing.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS from a key store, and the configuration checks that keep a half-configured TLS from starting. */
class TlsOptionsTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpServer serve(TlsConfig tls) throws Exception {
    Router router = Router.router(vertx);
    router.route().handler(WebSessions.securityHeaders(null));
    router.get("/").handler(ctx -> ctx.response().end("ok"));
    return vertx.createHttpServer(HttpVerticle.serverOptions("127.0.0.1", 0, tls)).requestHandler(router).listen()
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void aPkcs12KeyStoreServesHttpsWithHsts() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate();
    Path store = cert.writePkcs12(dir.resolve("server.p12"), "store-pass");
    HttpServer server = serve(new TlsConfig("", "", store.toString(), "store-pass", "pkcs12"));
    HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingClient()).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.actualPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="), r.headers().map().toString());
  }

  @Test
  void plainHttpSendsNoHsts() throws Exception {
    HttpServer server = serve(new TlsConfig("", "", "", "", "PKCS12"));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertFalse(r.headers().firstValue("Strict-Transport-Security").isPresent());
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
  }

  @Test
  void halfConfiguredTlsIsRefusedAtStart() throws Exception {
    Path conf = Files.writeString(dir.resolve("empty.json"), "{}");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
        () -> GauntletConfig.load(conf, Map.of("GAUNTLET_HTTP_TLS_CERT_PATH", cert.toString())));
    assertTrue(noKey.getMessage().contains("keyPath"), noKey.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> GauntletConfig.load(conf, Map.of("GAUNTLET_HTTP_TLS_KEY_STORE_PATH", dir.resolve("nope.p12").toString())));
    assertTrue(missing.getMessage().contains("nope.p12"), missing.getMessage());
    assertFalse(GauntletConfig.load(conf, Map.of()).http().tls().enabled(), "TLS is off unless configured");
  }
}
