package dev.gauntlet.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts on the real jar: the first admin's generated password must be replaced, and a browser
 * session (and the bridge socket it opens) outlives a restart until its user is disabled.
 */
class AccountsIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @TempDir
  Path tmp;

  /** A browser's cookie and the CSRF token of its session's pages. */
  record Browser(GauntletProcess g, String cookie) {
    HttpResponse<String> get(String path) throws Exception {
      return HTTP.send(HttpRequest.newBuilder(g.uri(path)).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> form(String path, Map<String, String> fields) throws Exception {
      String csrf = csrfOf(get(path.equals("/password") ? "/password" : "/").body());
      return post(g, path, cookie, csrf, fields);
    }
  }

  static String csrfOf(String html) {
    Matcher m = CSRF.matcher(html);
    assertTrue(m.find(), "the page has a CSRF field: " + html);
    return m.group(1);
  }

  static HttpResponse<String> post(GauntletProcess g, String path, String cookie, String csrf, Map<String, String> fields) throws Exception {
    StringBuilder body = new StringBuilder("_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8));
    fields.forEach((k, v) -> body.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return HTTP.send(HttpRequest.newBuilder(g.uri(path)).header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String sessionCookie(HttpResponse<?> r) {
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gauntlet.session=")).map(c -> c.split(";", 2)[0])
        .findFirst().orElse(null);
  }

  /** Signs in through the form, as a browser does, and returns the signed-in session's cookie. */
  static Browser signIn(GauntletProcess g, String login, String password) throws Exception {
    HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(g.uri("/login")).GET().build(), HttpResponse.BodyHandlers.ofString());
    String anonymous = sessionCookie(form);
    HttpResponse<String> done = post(g, "/login", anonymous, csrfOf(form.body()), Map.of("username", login, "password", password));
    assertEquals(303, done.statusCode(), done.body());
    String cookie = sessionCookie(done);
    assertNotNull(cookie, "signing in issues a new session id");
    return new Browser(g, cookie);
  }

  @Test
  void aGeneratedFirstAdminPasswordMustBeReplacedAtFirstSignInAndItsFileThenGoes() throws Exception {
    Path data = tmp.resolve("data");
    try (GauntletProcess g = new GauntletProcess(data, Map.of("GAUNTLET_ADMIN_PASSWORD", ""))) {
      g.start();
      Path file = data.resolve("initial-admin-password");
      String generated = Files.readString(file).trim();

      // REST: the token is issued, but it reaches nothing but the password change
      String token = g.token("admin", generated);
      GauntletProcess.Response refused = g.get("/api/v1/generators", token);
      assertEquals(403, refused.status(), refused.text());
      assertEquals("password_change_required", refused.errorCode());
      assertTrue(refused.text().contains("auth.change_password"), refused.text());
      assertEquals(403, g.get("/api/v1/admin/users", token).status());
      assertTrue(g.get("/api/v1/auth/me", token).json().getBoolean("must_change_password"));

      // the form: every page leads to the password page, which shows no navigation
      Browser browser = signIn(g, "admin", generated);
      HttpResponse<String> home = browser.get("/");
      assertEquals(302, home.statusCode());
      assertEquals("/password", home.headers().firstValue("Location").orElse(""));
      HttpResponse<String> page = browser.get("/password");
      assertEquals(200, page.statusCode());
      assertFalse(page.body().contains("nav-admin-users"), "no navigation on the forced page");
      HttpResponse<String> wrong = browser.form("/password", Map.of("current_password", "not the password",
          "new_password", "chosen by the admin", "confirm_password", "chosen by the admin"));
      assertEquals(403, wrong.statusCode());
      assertTrue(Files.exists(file));

      HttpResponse<String> changed = browser.form("/password", Map.of("current_password", generated,
          "new_password", "chosen by the admin", "confirm_password", "chosen by the admin"));

      assertEquals(303, changed.statusCode(), changed.body());
      assertFalse(Files.exists(file), "initial-admin-password is removed");
      assertEquals(200, browser.get("/").statusCode());
      assertEquals(200, g.get("/api/v1/generators", token).status(), "the same token now reaches everything");
      assertEquals(401, g.post("/api/v1/auth/token", null, new JsonObject().put("username", "admin").put("password", generated)).status());
      g.token("admin", "chosen by the admin");
    }
  }

  @Test
  void aBrowserSessionAndItsBridgeSocketOutliveARestartUntilTheUserIsDisabled() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (GauntletProcess g = new GauntletProcess(tmp.resolve("data"), Map.of())) {
      g.start();
      String admin = g.adminToken();
      g.newUser(admin, "dana");
      Browser browser = signIn(g, "dana", "dana-password");
      assertEquals("dana", json(browser.get("/api/v1/auth/me")).getString("username"));
      assertEquals("dana", bridgeMe(vertx, g, browser.cookie()), "the bridge takes the session before the restart");

      g.stop();
      g.start();

      HttpResponse<String> home = browser.get("/");
      assertEquals(200, home.statusCode(), "still signed in after the restart");
      assertEquals("dana", json(browser.get("/api/v1/auth/me")).getString("username"));
      assertEquals("dana", bridgeMe(vertx, g, browser.cookie()), "the execution page's socket reopens with the same cookie");
      try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/gauntlet.db"));
           var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM web_sessions WHERE id_hash = '"
               + browser.cookie().substring("gauntlet.session=".length()) + "'")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "the cookie's id is not what the database keeps");
      }

      String danaId = new JsonArray(g.get("/api/v1/admin/users", admin).json().getJsonArray("items").stream()
          .filter(u -> ((JsonObject) u).getString("username").equals("dana")).toList()).getJsonObject(0).getString("id");
      assertEquals(200, g.post("/api/v1/admin/users/" + danaId + "/disable", admin, null).status());
      assertEquals(401, browser.get("/api/v1/auth/me").statusCode(), "a disabled user's session stops at once");
      assertEquals(302, browser.get("/").statusCode());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static JsonObject json(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  /** Opens a bridge socket as the page does (cookie, same origin) and asks it who we are. */
  static String bridgeMe(Vertx vertx, GauntletProcess g, String cookie) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(g.port).setURI("/eventbus/websocket")
            .addHeader("Cookie", cookie).addHeader("Origin", "http://127.0.0.1:" + g.port))
        .onSuccess(w -> w.handler(b -> frames.add(new JsonObject(b))))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      ws.writeTextMessage(new JsonObject().put("type", "send").put("address", "gauntlet.api").put("replyAddress", UUID.randomUUID().toString())
          .put("body", new JsonObject().put("op", "auth.me").put("args", new JsonObject())).encode());
      JsonObject reply = frames.poll(20, TimeUnit.SECONDS);
      assertNotNull(reply, "the bridge answered");
      return reply.getJsonObject("body").getString("username");
    } finally {
      ws.close();
      client.close();
    }
  }

}
