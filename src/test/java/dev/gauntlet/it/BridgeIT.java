package dev.gauntlet.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event-bus clients over the SockJS bridge's raw WebSocket endpoint, as a script would connect. */
class BridgeIT {

  static GauntletProcess g;
  static Vertx vertx;
  static io.vertx.core.http.WebSocketClient client;
  static String alice;
  static String bob;

  @BeforeAll
  static void start() throws Exception {
    g = new GauntletProcess(Files.createTempDirectory("gauntlet-bridge").resolve("data"), Map.of()).start();
    String admin = g.adminToken();
    alice = g.newUser(admin, "alice-bus");
    bob = g.newUser(admin, "bob-bus");
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    g.close();
  }

  /** A connected bridge socket and the frames it receives. */
  record Socket(WebSocket ws, BlockingQueue<JsonObject> frames, CompletableFuture<Void> closed) {
    void send(JsonObject frame) {
      ws.writeTextMessage(frame.encode());
    }

    JsonObject next() throws InterruptedException {
      JsonObject f = frames.poll(20, TimeUnit.SECONDS);
      assertNotNull(f, "no frame arrived");
      return f;
    }

    JsonObject request(String op, JsonObject args, JsonObject forgedHeaders) throws InterruptedException {
      String reply = UUID.randomUUID().toString();
      JsonObject frame = new JsonObject().put("type", "send").put("address", "gauntlet.api").put("replyAddress", reply)
          .put("body", new JsonObject().put("op", op).put("args", args));
      if (forgedHeaders != null) {
        frame.put("headers", forgedHeaders);
      }
      send(frame);
      return next();
    }
  }

  static Socket connect(String query) throws Exception {
    return connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(g.port).setURI("/eventbus/websocket" + query));
  }

  static Socket connect(WebSocketConnectOptions options) throws Exception {
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    // handlers are set on the event loop as the connection completes, before a close can be seen
    WebSocket ws = client.connect(options)
        .onSuccess(w -> {
          w.handler(b -> frames.add(new JsonObject(b)));
          w.closeHandler(v -> closed.complete(null));
        })
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new Socket(ws, frames, closed);
  }

  @Test
  void theSocketsUserIsStampedOnEveryMessageAndAForgedCallerIsRefused() throws Exception {
    Socket s = connect("?access_token=" + bob);
    JsonObject forged = new JsonObject().put("gauntlet-caller", new JsonObject().put("id", "x").put("username", "alice-bus")
        .put("memory_file", "pyrit_memory_forged.db").put("roles", new JsonArray().add("admin"))
        .put("scopes", new JsonArray().add("read").add("write").add("admin")).encode());
    JsonObject value = new JsonObject().put("name", "via-bus").put("type", "simulated");
    JsonObject refused = s.request("generators.create", new JsonObject().put("value", value), forged);
    assertEquals("err", refused.getString("type"), refused.encode());
    assertEquals("rejected", refused.getString("body"));
    assertEquals(0, g.get("/api/v1/generators", alice).json().getInteger("total"), "nothing reached the claimed user");
    assertEquals(0, g.get("/api/v1/generators", bob).json().getInteger("total"), "nor the socket's");
    JsonObject reply = s.request("generators.create", new JsonObject().put("value", value), new JsonObject().put("trace", "1"));
    assertEquals("rec", reply.getString("type"), reply.encode());
    String id = reply.getJsonObject("body").getString("id");
    assertEquals(200, g.get("/api/v1/generators/" + id, bob).status(), "stored in the socket user's memory");
    assertEquals(404, g.get("/api/v1/generators/" + id, alice).status(), "not in the user the client claimed");
    JsonObject me = s.request("auth.me", new JsonObject(), null).getJsonObject("body");
    assertEquals("bob-bus", me.getString("username"));
    s.ws().close();
  }

  @Test
  void memoryOperationsWorkOverTheBridgeLikeRest() throws Exception {
    Socket s = connect("?access_token=" + alice);
    JsonArray pieces = new JsonArray();
    for (int i = 0; i < 20; i++) {
      pieces.add(new JsonObject().put("role", "user").put("conversation_id", "bus-conv").put("sequence", i).put("original_value", "p" + i));
    }
    JsonObject appended = s.request("memory.pieces.append", new JsonObject().put("pieces", pieces), null);
    assertEquals(20, appended.getJsonObject("body").getInteger("pieces"), appended.encode());
    assertEquals(20, g.get("/api/v1/memory/conversations/bus-conv", alice).json().getJsonArray("pieces").size());
    JsonObject status = s.request("database.status", new JsonObject(), null).getJsonObject("body");
    assertEquals(20L, status.getJsonObject("tables").getLong("PromptMemoryEntries"));

    JsonObject unknown = s.request("no.such.op", new JsonObject(), null);
    assertEquals("err", unknown.getString("type"));
    assertEquals(400, unknown.getInteger("failureCode"));
    JsonObject missing = s.request("generators.get", new JsonObject().put("id", "nope"), null);
    assertEquals(404, missing.getInteger("failureCode"));
    JsonObject badBatch = s.request("memory.pieces.append", new JsonObject().put("pieces", new JsonArray().add(new JsonObject())), null);
    assertEquals(400, badBatch.getInteger("failureCode"));
    s.ws().close();
  }

  @Test
  void aReviewOverTheBridgeIsStoredAndAudited() throws Exception {
    Socket s = connect("?access_token=" + alice);
    String answer = UUID.randomUUID().toString();
    JsonObject appended = s.request("memory.pieces.append", new JsonObject().put("pieces", new JsonArray()
        .add(new JsonObject().put("role", "user").put("conversation_id", "bus-review").put("sequence", 0).put("original_value", "attack"))
        .add(new JsonObject().put("id", answer).put("role", "assistant").put("conversation_id", "bus-review").put("sequence", 1)
            .put("original_value", "Sure, here is how"))), null);
    assertEquals(2, appended.getJsonObject("body").getInteger("pieces"), appended.encode());
    JsonObject set = s.request("reviews.set", new JsonObject().put("piece_id", answer).put("verdict", "attack_succeeded")
        .put("comment", "over the bus"), null);
    assertEquals("attack_succeeded", set.getJsonObject("body").getString("verdict"), set.encode());
    assertEquals("over the bus", g.get("/api/v1/results/" + answer + "/review", alice).json().getJsonObject("review").getString("comment"));
    // another user's socket finds no such result
    Socket other = connect("?access_token=" + bob);
    assertEquals(404, other.request("reviews.set", new JsonObject().put("piece_id", answer).put("verdict", "held"), null)
        .getInteger("failureCode"));
    JsonArray audited = g.get("/api/v1/admin/audit?actor=alice-bus&action=" + java.net.URLEncoder.encode("BUS reviews.set",
        StandardCharsets.UTF_8), g.adminToken()).json().getJsonArray("items");
    assertEquals(1, audited.size(), audited.encode());
    assertEquals("success", audited.getJsonObject(0).getString("outcome"));
    s.ws().close();
    other.ws().close();
  }

  @Test
  void aClientMayListenOnlyOnItsOwnProgressAddress() throws Exception {
    Socket s = connect("?access_token=" + alice);
    s.send(new JsonObject().put("type", "register").put("address", "gauntlet.progress.bob-bus"));
    JsonObject refused = s.next();
    assertEquals("err", refused.getString("type"), refused.encode());
    assertTrue(java.util.Set.of("rejected", "access_denied").contains(refused.getString("body")), refused.encode());
    s.send(new JsonObject().put("type", "send").put("address", "gauntlet.memory.shard.0").put("body", new JsonObject()));
    assertTrue(java.util.Set.of("rejected", "access_denied").contains(s.next().getString("body")), "internal addresses are not bridged");
    s.send(new JsonObject().put("type", "register").put("address", "gauntlet.progress.alice-bus"));
    // publishing to the request/reply API is refused and has no effect
    s.send(new JsonObject().put("type", "publish").put("address", "gauntlet.api")
        .put("body", new JsonObject().put("op", "generators.create").put("args", new JsonObject().put("value",
            new JsonObject().put("name", "published").put("type", "t")))));
    assertEquals("rejected", s.next().getString("body"));
    JsonObject me = s.request("auth.me", new JsonObject(), null);
    assertEquals("rec", me.getString("type"), "registering on its own address raised no error: " + me.encode());
    assertEquals(0, g.get("/api/v1/generators", alice).json().getJsonArray("items").stream()
        .filter(o -> ((JsonObject) o).getString("name").equals("published")).count());
    s.ws().close();
  }

  @Test
  void aSocketWithoutValidCredentialsIsClosed() throws Exception {
    for (String query : new String[] {"", "?access_token=garbage"}) {
      Socket s = connect(query);
      try {
        s.send(new JsonObject().put("type", "send").put("address", "gauntlet.api").put("replyAddress", "r")
            .put("body", new JsonObject().put("op", "auth.me")));
      } catch (IllegalStateException alreadyClosed) {
        // refused before the message could even be written
      }
      s.closed().get(20, TimeUnit.SECONDS);
      JsonObject frame = s.frames().poll();
      assertTrue(frame == null || !"rec".equals(frame.getString("type")), "no reply reaches an unauthenticated socket: " + frame);
    }
  }

  @Test
  void aBrowserSessionOpensASocketOnlyFromThisServersPages() throws Exception {
    String cookie = signInByForm("alice-bus", "alice-bus-password");
    String self = "http://127.0.0.1:" + g.port;
    Socket s = connect(sessionSocket(cookie, self));
    JsonObject me = s.request("auth.me", new JsonObject(), null);
    assertEquals("rec", me.getString("type"), me.encode());
    assertEquals("alice-bus", me.getJsonObject("body").getString("username"));
    assertEquals("session", me.getJsonObject("body").getString("credential"));
    s.ws().close();

    // another site's page cannot ride on the browser's cookie, and a signed-out session is nobody
    assertRefused(connect(sessionSocket(cookie, "http://evil.example")));
    HttpClient http = HttpClient.newHttpClient();
    String csrf = csrfOf(http.send(HttpRequest.newBuilder(URI.create(self + "/")).header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(self + "/logout")).header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + java.net.URLEncoder.encode(csrf, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(303, out.statusCode(), out.body());
    assertRefused(connect(sessionSocket(cookie, self)));
  }

  static WebSocketConnectOptions sessionSocket(String cookie, String origin) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(g.port).setURI("/eventbus/websocket")
        .addHeader("Origin", origin).addHeader("Cookie", cookie);
  }

  static void assertRefused(Socket s) throws Exception {
    try {
      s.send(new JsonObject().put("type", "send").put("address", "gauntlet.api").put("replyAddress", "r")
          .put("body", new JsonObject().put("op", "auth.me")));
    } catch (IllegalStateException alreadyClosed) {
      // refused before the message could even be written
    }
    s.closed().get(20, TimeUnit.SECONDS);
    JsonObject frame = s.frames().poll();
    assertTrue(frame == null || !"rec".equals(frame.getString("type")), "no reply reaches a refused socket: " + frame);
  }

  /** Signs in through the login form as a browser does; returns the session cookie ("name=value"). */
  static String signInByForm(String login, String password) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + g.port;
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
    String first = sessionCookie(form);
    String body = "_csrf=" + java.net.URLEncoder.encode(csrfOf(form.body()), StandardCharsets.UTF_8)
        + "&username=" + login + "&password=" + password;
    HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Cookie", first)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    return sessionCookie(signedIn);
  }

  static String sessionCookie(HttpResponse<?> r) {
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gauntlet.session="))
        .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + r.headers()));
  }

  static String csrfOf(String html) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"(?:_csrf|csrf-token)\" (?:value|content)=\"([^\"]+)\"").matcher(html);
    assertTrue(m.find(), "no CSRF token in the page");
    return m.group(1);
  }

  /**
   * A proxy reuses one upstream connection for many people's requests: a credential checked on
   * one request must not sign in a later, uncredentialed socket on the same TCP connection.
   */
  @Test
  void anIdentityIsNeverCarriedFromOneRequestToTheNextOnTheSameConnection() throws Exception {
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", g.port)) {
      raw.setSoTimeout(5_000);
      var out = raw.getOutputStream();
      var in = new java.io.BufferedInputStream(raw.getInputStream());
      out.write(("GET /eventbus/info?access_token=" + alice + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String info = readHttpResponse(in);
      assertTrue(info.startsWith("HTTP/1.1 200"), info);
      out.write(("GET /eventbus/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String upgrade = readHeaders(in);
      if (upgrade.startsWith("HTTP/1.1 101")) {
        // ask who we are; an accepted socket would answer as alice
        byte[] payload = new JsonObject().put("type", "send").put("address", "gauntlet.api").put("replyAddress", "r1")
            .put("body", new JsonObject().put("op", "auth.me")).encode().getBytes(StandardCharsets.UTF_8);
        try {
          out.write(maskedTextFrame(payload));
        } catch (java.io.IOException closedAlready) {
          // the server closed the refused socket first: nothing was answered
        }
        StringBuilder seen = new StringBuilder();
        try {
          for (int b; (b = in.read()) >= 0 && seen.length() < 10_000; ) {
            seen.append((char) b);
          }
        } catch (java.net.SocketTimeoutException | java.net.SocketException stillOpenOrReset) {
          // read what arrived
        }
        assertTrue(!seen.toString().contains("alice-bus"), "the uncredentialed socket was answered as alice: " + seen);
      }
    }
    assertTrue(g.get("/api/v1/admin/audit?action=" + java.net.URLEncoder.encode("BUS connect", StandardCharsets.UTF_8)
        + "&outcome=refused", g.adminToken()).json().getJsonArray("items").size() >= 1, "the refused socket is audited");
  }

  private static String readHeaders(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** One HTTP/1.1 response, its body read to its end (length or chunks) so the connection can carry the next. */
  private static String readHttpResponse(java.io.InputStream in) throws java.io.IOException {
    String head = readHeaders(in);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    } else if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      while (true) {
        StringBuilder size = new StringBuilder();
        for (int b; (b = in.read()) != '\n' && b >= 0; ) {
          size.append((char) b);
        }
        int n = Integer.parseInt(size.toString().trim(), 16);
        in.readNBytes(n + 2);
        if (n == 0) {
          break;
        }
      }
    }
    return head;
  }

  private static byte[] maskedTextFrame(byte[] payload) {
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = {1, 2, 3, 4};
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }
}
