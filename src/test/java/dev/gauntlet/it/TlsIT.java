package dev.gauntlet.it;

import dev.gauntlet.testing.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar serving HTTPS from PEM files made for this run: browsers are told to stay on TLS, and the session cookie never leaves it. */
class TlsIT {

  @Test
  void underTlsEveryResponseCarriesHstsAndTheSessionCookieIsSecure() throws Exception {
    Path tmp = Files.createTempDirectory("gauntlet-tls");
    SelfSignedCertificate cert = new SelfSignedCertificate();
    Path[] pem = cert.writePem(tmp);
    try (GauntletProcess g = new GauntletProcess(tmp.resolve("data"), Map.of(
        "GAUNTLET_HTTP_TLS_CERT_PATH", pem[0].toString(), "GAUNTLET_HTTP_TLS_KEY_PATH", pem[1].toString()))) {
      g.tls(cert.trustingClient()).start();
      HttpClient https = HttpClient.newBuilder().sslContext(cert.trustingClient()).connectTimeout(Duration.ofSeconds(5)).build();

      HttpResponse<String> login = https.send(HttpRequest.newBuilder(g.uri("/login")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, login.statusCode());
      assertTrue(login.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="), login.headers().map().toString());
      String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gauntlet.session=")).findFirst()
          .orElseThrow(() -> new AssertionError("no session cookie: " + login.headers().map()));
      for (String attribute : new String[] {"secure", "httponly", "samesite=strict"}) {
        assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains(attribute), attribute + " missing from " + cookie);
      }
      for (String path : new String[] {"/health", "/api/v1/auth/me", "/static/css/app.css", "/no-such-page"}) {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(g.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.headers().firstValue("Strict-Transport-Security").isPresent(), path + " (" + r.statusCode() + ") lacks HSTS");
      }
      assertEquals("admin", g.get("/api/v1/auth/me", g.adminToken()).json().getString("username"), "the API works over TLS");

      HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port + "/health")).timeout(Duration.ofSeconds(10)).build();
      assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()),
          "the TLS port does not answer plain HTTP");
    }
  }
}
