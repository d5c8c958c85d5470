package dev.gauntlet.it;

import dev.gauntlet.it.SecurityFixture.Reply;
import dev.gauntlet.it.SecurityFixture.Route;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.gauntlet.it.SecurityFixture.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gauntlet attacked as an attacker would, over every REST route and bridge operation the
 * running server lists for itself: another user's ids, forged and stale credentials, scope
 * escalation, hostile file names, SQL metacharacters, broken bodies and password guessing.
 * Every case must answer 4xx, leak nothing, leave the server up and stored data unchanged,
 * and leave its refusal in the audit log. One jar serves every case.
 */
class SecuritySuiteIT {

  static GauntletProcess g;
  static SecurityFixture f;
  static Vertx vertx;
  static WebSocketClient sockets;
  static final Instant STARTED = Instant.now();
  static final int SIGN_INS_PER_ADDRESS = 12;

  @BeforeAll
  static void start() throws Exception {
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
    return g.get("/api/v1/" + kind + "/" + id, f.alice).json().put("name", "stolen");
  }

  /** Route parameters that name a catalog entry, not anybody's resource. */
  static final Set<String> SHARED_PARAMS = Set.of("builtin");

  static boolean namesOwnedResources(Route r) {
    return Stream.of(r.path().split("/")).anyMatch(p -> p.startsWith(":") && !SHARED_PARAMS.contains(p.substring(1)));
  }

  @Test
  void userBGets404ReadingChangingOrDeletingUserAsResourcesOnEveryRoute() throws Exception {
    long refusedBefore = f.audited("user=bob-sec&outcome=refused");
    int probed = 0;
    for (Route r : f.routes) {
      if (!r.api() || r.admin() || !namesOwnedResources(r)) {
        continue;
      }
      String path = r.fill(f::aliceId);
      String kind = r.path().split("/")[3];
      JsonObject body = r.method().equals("PUT") ? stolen(kind, f.aliceIds.get(kind)) : r.write() ? f.probeBody() : null;
      Reply reply = f.json(r.method(), path, f.bob, body);
      assertEquals(404, reply.status(), r + " as bob: " + reply.text());
      assertNull(f.leakIn(reply.text(), path + body), r + " leaked alice's data: " + reply.text());
      probed++;
    }
    assertTrue(probed >= 25, "the route table named only " + probed + " routes over owned resources");
    assertAliceUnchanged();
    assertTrue(f.auditedAtLeast("user=bob-sec&outcome=refused", refusedBefore + probed) - refusedBefore >= probed, "every refusal is audited");
    JsonObject row = f.auditRows("user=bob-sec&outcome=refused&resource=" + enc("/api/v1/generators/" + f.aliceIds.get("generators")))
        .getJsonObject(0);
    assertEquals(404, row.getInteger("status"));
    assertEquals("127.0.0.1", row.getString("address"));
    assertNotNull(row.getString("user_agent"));
    assertNotNull(row.getString("at"));
  }

  @Test
  void userBsListsExportsAndBodiesNamingUserAsIdsShowNothingOfAs() throws Exception {
    String query = "?execution_id=" + f.aliceIds.get("executions") + "&conversation_id=" + enc(f.aliceIds.get("conversations"))
        + "&orchestrator_id=" + f.aliceIds.get("orchestrators") + "&dataset_id=" + f.aliceIds.get("datasets");
    for (Route r : f.routes) {
      if (!r.api() || r.admin() || r.hasParams() || r.path().equals("/api/v1/auth/token") || r.path().equals("/api/v1/datasets/upload")) {
        continue;
      }
      Reply reply = r.write() ? f.json(r.method(), r.path(), f.bob, f.probeBody()) : f.json("GET", r.path() + query, f.bob, null);
      assertTrue(reply.status() < 500, r + ": " + reply.text());
      assertNull(f.leakIn(reply.text(), query + f.probeBody()), r + " leaked alice's data: " + reply.text());
    }
    // a body that points at alice's resources by id finds nothing
    JsonObject orchestrator = SecurityFixture.typed("mine", "prompt_sending").put("parameters", new JsonObject()
        .put("generator_id", f.aliceIds.get("generators")).put("dataset_id", f.aliceIds.get("datasets")));
    Reply referencing = f.json("POST", "/api/v1/orchestrators", f.bob, orchestrator);
    assertEquals(404, referencing.status(), "an orchestrator of alice's generator and dataset: " + referencing.text());
    String bobs = f.created(f.bob, "datasets", new JsonObject().put("name", "bobs").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", "bob's prompt"))));
    Reply combined = f.json("POST", "/api/v1/datasets/combine", f.bob, new JsonObject().put("name", "mine")
        .put("dataset_ids", new JsonArray().add(bobs).add(f.aliceIds.get("datasets"))));
    assertEquals(404, combined.status(), combined.text());
    Reply derived = f.json("POST", "/api/v1/datasets/derive", f.bob, new JsonObject().put("name", "mine")
        .put("execution_id", f.aliceIds.get("executions")));
    assertEquals(404, derived.status(), derived.text());
    assertEquals(0, g.get("/api/v1/orchestrators", f.bob).json().getInteger("total"), "nothing was made from alice's ids");
  }

  /** Alice's id for an operation, by the kind its name starts with. */
  static String aliceIdForOperation(String op) {
    String kind = op.startsWith("memory.conversations.") ? "conversations" : op.substring(0, op.indexOf('.'));
    return f.aliceIds.get(kind);
  }

  static final Set<String> BY_ID = Set.of("get", "update", "delete", "instance", "test", "preview", "apply", "transform", "cancel", "results");

  @Test
  void overTheBridgeUserBReachesNothingOfAsAndForgeriesAreRefusedAndAudited() throws Exception {
    BridgeSocket s = BridgeSocket.connect(sockets, g.port, f.bob);
    try {
      int byId = 0;
      for (Object o : f.operations) {
        String op = ((JsonObject) o).getString("name");
        String id = aliceIdForOperation(op);
        JsonObject args = f.probeBody();
        if (id != null) {
          args.put("id", id).put("value", op.endsWith(".update") ? stolen(op.substring(0, op.indexOf('.')), id) : new JsonObject());
        }
        JsonObject reply = s.request(op, args, null);
        assertNotNull(reply, op + ": no reply");
        assertNull(f.leakIn(reply.encode(), args.encode()), op + " leaked alice's data: " + reply.encode());
        if ("err".equals(reply.getString("type"))) {
          int code = reply.getInteger("failureCode", 0);
          assertTrue(code >= 400 && code < 500, op + ": " + reply.encode());
        }
        if (id != null && BY_ID.contains(op.substring(op.lastIndexOf('.') + 1))) {
          assertEquals(404, reply.getInteger("failureCode"), op + " with alice's id: " + reply.encode());
          byId++;
        }
      }
      assertTrue(byId >= 20, "only " + byId + " operations by id");

      JsonObject aliceCaller = new JsonObject().put("id", "x").put("username", "alice-sec").put("roles", new JsonArray().add("admin"))
          .put("scopes", new JsonArray().add("read").add("write").add("admin"));
      assertRejected(s.request("auth.me", new JsonObject(), new JsonObject().put("gauntlet-caller", aliceCaller.encode())));
      assertRejected(s.request("generators.list", new JsonObject().put("username", "alice-sec"), null));
      assertRejected(s.request("generators.list", new JsonObject(), new JsonObject().put("user", "alice-sec")));
      JsonObject own = s.request("auth.me", new JsonObject().put("username", "bob-sec"), null);
      assertEquals("bob-sec", own.getJsonObject("body").getString("username"), "naming oneself is no forgery: " + own.encode());

      s.send(new JsonObject().put("type", "register").put("address", "gauntlet.progress.alice-sec"));
      assertEquals("err", s.next().getString("type"));
      for (String internal : List.of("gauntlet.memory.shard.0", "gauntlet.orchestrator", "gauntlet.progress.alice-sec")) {
        assertRejected(sendTo(s, internal));
      }
      s.send(new JsonObject().put("type", "publish").put("address", "gauntlet.api").put("body", new JsonObject().put("op", "auth.me")));
      assertEquals("err", s.next().getString("type"));
      assertEquals("bob-sec", s.request("auth.me", new JsonObject(), null).getJsonObject("body").getString("username"),
          "the socket survives its refusals");
    } finally {
      s.close();
    }
    String since = "&since=" + enc(STARTED.toString());
    assertTrue(f.auditedAtLeast("user=bob-sec&action=" + enc("BUS send") + "&outcome=refused" + since, 6) >= 6);
    assertTrue(f.auditRows("user=bob-sec&action=" + enc("BUS send") + "&outcome=refused").stream()
        .anyMatch(r -> ((JsonObject) r).getString("detail", "").contains("forged user field")), "forgeries are audited as such");
    assertEquals(1, f.auditedAtLeast("user=bob-sec&action=" + enc("BUS register") + "&resource=" + enc("gauntlet.progress.alice-sec") + since, 1));
    assertTrue(f.auditedAtLeast("user=bob-sec&action=" + enc("BUS publish") + since, 1) >= 1);
    assertTrue(f.auditedAtLeast("user=bob-sec&action=" + enc("BUS generators.get") + "&outcome=refused" + since, 1) >= 1,
        "operations refused over the bridge are audited like REST refusals");
    assertAliceUnchanged();
  }

  static JsonObject sendTo(BridgeSocket s, String address) throws InterruptedException {
    s.send(new JsonObject().put("type", "send").put("address", address).put("replyAddress", UUID.randomUUID().toString())
        .put("body", new JsonObject().put("op", "auth.me")));
    return s.next();
  }

  static void assertRejected(JsonObject reply) {
    assertNotNull(reply, "no answer");
    assertEquals("err", reply.getString("type"), reply.encode());
    assertTrue(Set.of("rejected", "access_denied").contains(reply.getString("body")), reply.encode());
  }

  @Test
  void forgedExpiredUnsignedAndForeignTokensGet401() throws Exception {
    String secret = f.setting("auth.token.secret");
    String aliceId = g.get("/api/v1/auth/me", f.alice).json().getString("id");
    String adminId = g.get("/api/v1/auth/me", f.admin).json().getString("id");
    long now = Instant.now().getEpochSecond();
    assertEquals(200, g.get("/api/v1/auth/me", Jwt.hs256(Jwt.claims(aliceId, now + 600), secret)).status(),
        "control: a token made the way the server makes them is accepted");
    Map<String, String> bad = Map.of(
        "forged", Jwt.hs256(Jwt.claims(aliceId, now + 600), "not-the-servers-secret"),
        "expired", Jwt.hs256(Jwt.claims(aliceId, now - 60), secret),
        "alg none", Jwt.unsigned(Jwt.claims(adminId, now + 600)),
        "alg none with a signature", Jwt.unsigned(Jwt.claims(adminId, now + 600)) + "c2lnbmF0dXJl",
        "wrong issuer", Jwt.hs256(Jwt.claims(aliceId, now + 600).put("iss", "https://idp.evil.example"), secret),
        "unknown subject", Jwt.hs256(Jwt.claims(UUID.randomUUID().toString(), now + 600), secret),
        "garbage", "eyJhbGciOiJIUzI1NiJ9.garbage.garbage");
    for (Map.Entry<String, String> t : bad.entrySet()) {
      for (String[] call : new String[][] {{"GET", "/api/v1/auth/me"}, {"POST", "/api/v1/generators"}, {"GET", "/api/v1/admin/users"}}) {
        Reply r = f.json(call[0], call[1], t.getValue(), call[0].equals("POST") ? SecurityFixture.typed("x", "simulated") : null);
        assertEquals(401, r.status(), t.getKey() + " token on " + call[1] + ": " + r.text());
        assertEquals("unauthorized", r.errorCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());
      }
      BridgeSocket s = BridgeSocket.connect(sockets, g.port, t.getValue());
      assertTrue(s.closedWithin(20), t.getKey() + " token: the bridge socket stays open");
    }
    assertTrue(f.auditedAtLeast("outcome=refused&resource=" + enc("/api/v1/auth/me") + "&since=" + enc(STARTED.toString()), bad.size())
        >= bad.size());
    assertTrue(f.auditedAtLeast("action=" + enc("BUS connect") + "&outcome=refused&since=" + enc(STARTED.toString()), bad.size())
        >= bad.size());
  }

  /** Routes that only read, though they are POSTs: a read-scoped key may call them. */
  static final Set<String> READING_POSTS = Set.of("/api/v1/converters/:id/preview", "/api/v1/scorers/:id/test");

  @Test
  void revokedAndExpiredKeysGet401AndReadScopedKeysCannotWrite() throws Exception {
    JsonObject revoked = g.post("/api/v1/keys", f.alice, new JsonObject().put("name", "revoked")).json();
    assertEquals(200, g.delete("/api/v1/keys/" + revoked.getString("id"), f.alice).status());
    JsonObject expiring = g.post("/api/v1/keys", f.alice, new JsonObject().put("name", "expiring")
        .put("expires_at", Instant.now().plusSeconds(2).toString())).json();
    assertEquals(200, g.get("/api/v1/auth/me", expiring.getString("key")).status(), "control: the key works before it expires");
    String readKey = g.post("/api/v1/keys", f.alice, new JsonObject().put("name", "reader").put("scopes", new JsonArray().add("read")))
        .json().getString("key");
    String adminReadKey = g.post("/api/v1/keys", f.admin, new JsonObject().put("name", "admin-reader")
        .put("scopes", new JsonArray().add("read"))).json().getString("key");

    int writes = 0;
    int aliceRefusals = 1;
    for (Route r : f.routes) {
      if (!r.api() || !r.write() || r.path().equals("/api/v1/auth/token") || r.path().equals("/api/v1/datasets/upload")) {
        continue;
      }
      String path = r.fill((segment, param) -> SHARED_PARAMS.contains(param) ? "should-refuse" : f.aliceId(segment, param));
      String kind = r.path().split("/")[3];
      JsonObject body = r.method().equals("PUT") && f.aliceIds.containsKey(kind) ? stolen(kind, f.aliceIds.get(kind)) : f.probeBody();
      Reply reply = f.json(r.method(), path, r.admin() ? adminReadKey : readKey, body);
      if (READING_POSTS.contains(r.path())) {
        assertTrue(reply.status() < 300, r + " only reads: " + reply.text());
      } else {
        assertEquals(403, reply.status(), r + " with a read-scoped key: " + reply.text());
        writes++;
        aliceRefusals += r.admin() ? 0 : 1;
      }
    }
    assertTrue(writes >= 25, "only " + writes + " write routes");
    GauntletProcess.Response upload = Multipart.upload(g, readKey, "p.txt", "a prompt\n".getBytes(StandardCharsets.UTF_8),
        Map.of("name", "via-read-key", "format", "txt"));
    assertEquals(403, upload.status(), upload.text());
    assertEquals(200, g.get("/api/v1/generators", readKey).status(), "the read key still reads");
    JsonObject used = null;
    for (int i = 0; i < 50 && (used == null || used.getString("last_used_at") == null); i++) {
      Thread.sleep(i == 0 ? 0 : 100);
      used = g.get("/api/v1/keys", f.alice).json().getJsonArray("items").stream().map(o -> (JsonObject) o)
          .filter(k -> k.getString("name").equals("reader")).findFirst().orElseThrow();
    }
    assertNotNull(used.getString("last_used_at"), "a key shows when it was last used: " + used);
    assertEquals("127.0.0.1", used.getString("last_used_from"), "and from where");

    Thread.sleep(Math.max(0, Instant.parse(expiring.getString("expires_at")).toEpochMilli() - System.currentTimeMillis() + 300));
    for (String key : List.of(revoked.getString("key"), expiring.getString("key"))) {
      Reply r = f.json("GET", "/api/v1/auth/me", key, null);
      assertEquals(401, r.status(), r.text());
      assertTrue(BridgeSocket.connect(sockets, g.port, key).closedWithin(20), "the bridge refuses the key too");
    }
    assertAliceUnchanged();
    assertTrue(f.auditedAtLeast("user=alice-sec&outcome=refused&since=" + enc(STARTED.toString()), aliceRefusals) >= aliceRefusals);
    assertTrue(f.auditedAtLeast("user=admin&outcome=refused&since=" + enc(STARTED.toString()), writes + 1 - aliceRefusals)
        >= writes + 1 - aliceRefusals, "the admin's read-scoped key was refused on every admin write");
  }

  @Test
  void uploadFileNamesNeverBecomePaths() throws Exception {
    String tag = "evil-" + UUID.randomUUID();
    List<String> names = List.of("../../../../" + tag + ".txt", "..\\..\\..\\" + tag + ".txt", "/tmp/" + tag + ".txt",
        "....//....//" + tag + ".txt", "%2e%2e%2f" + tag + ".txt", "uploads/../../" + tag + ".txt", tag + ".txt\u0000.csv");
    Path root = g.dataDir.getParent();
    for (String name : names) {
      GauntletProcess.Response r = Multipart.upload(g, f.alice, name, "first prompt\nsecond prompt\n".getBytes(StandardCharsets.UTF_8),
          Map.of("name", "../../" + tag, "format", "txt"));
      assertTrue(r.status() == 201 || r.status() == 400, name + ": " + r.text());
      assertFalse(r.text().contains(root.toString()), "no server path in the answer: " + r.text());
    }
    Thread.sleep(200);
    try (Stream<Path> all = Stream.concat(Files.walk(root), Files.list(Path.of("/tmp")))) {
      List<Path> planted = all.filter(p -> p.getFileName() != null && p.getFileName().toString().contains(tag)).toList();
      assertTrue(planted.isEmpty(), "a file name became a path: " + planted);
    }
    Path uploads = g.dataDir.resolve("files").resolve("uploads");
    if (Files.isDirectory(uploads)) {
      try (Stream<Path> left = Files.list(uploads)) {
        assertEquals(List.of(), left.toList(), "uploads are removed once read");
      }
    }
  }

  /** Quotes, comment and statement breaks, LIKE wildcards, escapes, a tautology, a UNION, line breaks and NUL. */
  static final List<String> SQL = List.of("' OR '1'='1", "1; DROP TABLE audit_log; --", "%", "_", "\"'`%_\\*/--#",
      "') UNION SELECT id, password_hash FROM local_accounts --", "\r\nX-Injected: yes", "\u0000{{7*7}}$.x");
  /** Parameters with a fixed form (numbers, enumerations, instants): tried apart, so their 400 cannot hide the free-text filters. */
  static final Set<String> FORMED = Set.of("offset", "limit", "days", "format", "outcome", "since", "until");

  @Test
  void sqlMetacharactersInEveryFilterAreLiteralOrRefusedNeverA500() throws Exception {
    Set<String> names = QueryParameters.everyDocumented();
    for (Route r : f.routes) {
      if (!r.api() || r.write()) {
        continue;
      }
      String token = r.admin() ? f.admin : f.alice;
      String path = r.fill((segment, param) -> SHARED_PARAMS.contains(param) ? "x" : f.aliceId(segment, param));
      for (String payload : SQL) {
        StringBuilder q = new StringBuilder();
        names.stream().filter(n -> !FORMED.contains(n)).forEach(n -> q.append(q.length() == 0 ? "?" : "&").append(n).append('=').append(enc(payload)));
        Reply reply = f.json("GET", path + q, token, null);
        assertTrue(reply.status() < 500, r + " with " + payload + ": " + reply.status() + " " + reply.text());
        assertFalse(reply.text().contains(f.bobSecret), r + " leaked bob's data");
        assertFalse(reply.headers().firstValue("X-Injected").isPresent(), "a parameter reached a header");
      }
      StringBuilder formed = new StringBuilder();
      FORMED.forEach(n -> formed.append(formed.length() == 0 ? "?" : "&").append(n).append('=').append(enc(SQL.get(0))));
      Reply reply = f.json("GET", path + formed, token, null);
      assertTrue(reply.status() < 500, r + " with " + formed + ": " + reply.text());
    }
    for (String[] formed : new String[][] {{"/api/v1/generators", "limit"}, {"/api/v1/memory/conversations", "offset"},
        {"/api/v1/dashboard/summary", "days"}, {"/api/v1/memory/export", "format"}, {"/api/v1/admin/audit", "since"},
        {"/api/v1/admin/audit", "outcome"}}) {
      Reply reply = f.json("GET", formed[0] + "?" + formed[1] + "=" + enc(SQL.get(0)), f.admin, null);
      assertEquals(400, reply.status(), formed[0] + "?" + formed[1] + ": " + reply.text());
    }
    for (String payload : SQL) {
      for (String filter : List.of("user", "action", "resource")) {
        assertEquals(0, f.audited(filter + "=" + enc(payload)), "audit " + filter + "=" + payload + " is literal");
      }
      Reply export = f.json("GET", "/api/v1/memory/export?format=jsonl&conversation_id=" + enc(payload), f.alice, null);
      assertEquals(200, export.status(), export.text());
      assertEquals("0", export.headers().firstValue("X-Gauntlet-Rows").orElse(null), "conversation_id=" + payload + " matched rows");
    }
  }

  @Test
  void oversizedTruncatedAndInvalidUtf8BodiesAreRefusedOnEveryWriteRoute() throws Exception {
    JsonObject tablesBefore = g.get("/api/v1/database/status", f.alice).json().getJsonObject("tables");
    byte[] oversized = ("{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] truncated = "{\"name\":\"x\",\"type\":\"simulated\",\"parameters\":{\"a\":".getBytes(StandardCharsets.UTF_8);
    byte[] invalidUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
    int routes = 0;
    for (Route r : f.routes) {
      if (!r.api() || !r.write()) {
        continue;
      }
      String token = r.admin() ? f.admin : f.alice;
      String path = r.fill((segment, param) -> SHARED_PARAMS.contains(param) ? "x" : f.aliceId(segment, param));
      Reply big = f.send(r.method(), path, token, "application/json", oversized, Map.of());
      assertEquals(413, big.status(), r + " oversized: " + big.text());
      assertEquals("payload_too_large", big.errorCode());
      for (byte[] broken : List.of(truncated, invalidUtf8)) {
        Reply bad = f.send(r.method(), path, token, "application/json", broken, Map.of());
        assertEquals(400, bad.status(), r + " " + new String(broken, StandardCharsets.UTF_8) + ": " + bad.text());
        assertEquals("invalid_json", bad.errorCode(), bad.text());
      }
      routes++;
    }
    assertTrue(routes >= 30, "only " + routes + " write routes");
    Reply multipart = f.send("POST", "/api/v1/datasets/upload", f.alice, "multipart/form-data; boundary=XyZ",
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhalf a fi".getBytes(StandardCharsets.UTF_8), Map.of());
    assertTrue(multipart.status() >= 400 && multipart.status() < 500, "a truncated upload: " + multipart.status() + " " + multipart.text());
    assertEquals(tablesBefore, g.get("/api/v1/database/status", f.alice).json().getJsonObject("tables"), "nothing was stored");
    assertEquals(200, g.get("/health", null).status());
  }

  @Test
  void bruteForceSignInLocksTheAccountThenTheLoginAndTheAddressAreThrottled() throws Exception {
    assertEquals(201, g.post("/api/v1/admin/users", f.admin, new JsonObject().put("username", "victim-sec")
        .put("password", "victim-password")).status());
    JsonObject wrong = new JsonObject().put("username", "victim-sec").put("password", "guess-password");
    try (LocalClient attacker = new LocalClient(vertx, "127.0.0.2", g.port)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(401, attacker.postJson("/api/v1/auth/token", wrong).status(), "guess " + (i + 1));
      }
      LocalClient.Answer locked = attacker.postJson("/api/v1/auth/token", wrong.copy().put("password", "victim-password"));
      assertEquals(429, locked.status(), "even the right password is refused while locked: " + locked.body());
      assertEquals("account_locked", new JsonObject(locked.body()).getJsonObject("error").getString("code"));
      assertTrue(Long.parseLong(locked.header("Retry-After")) > 60, "locked for minutes: " + locked.header("Retry-After"));
    }
    try (LocalClient browser = new LocalClient(vertx, "127.0.0.3", g.port)) {
      LocalClient.Answer form = browser.signInForm("victim-sec", "victim-password");
      assertEquals(429, form.status(), form.body());
      assertNotNull(form.header("Retry-After"));
      assertTrue(form.body().contains("locked"), "the form says why");
    }
    try (LocalClient attacker = new LocalClient(vertx, "127.0.0.4", g.port)) {
      LocalClient.Answer last = null;
      for (int i = 0; i < 10 && (last == null || last.status() != 429 || !last.body().contains("rate_limited")); i++) {
        last = attacker.postJson("/api/v1/auth/token", wrong);
      }
      assertEquals(429, last.status(), "the login's own bucket runs dry: " + last.body());
      assertEquals("rate_limited", new JsonObject(last.body()).getJsonObject("error").getString("code"));
      long retry = Long.parseLong(last.header("Retry-After"));
      assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    }
    try (LocalClient sprayer = new LocalClient(vertx, "127.0.0.5", g.port)) {
      // the bucket refills while the guesses are checked, so allow a few more than it holds
      int allowed = 0;
      LocalClient.Answer sprayed = null;
      for (int round = 0; round < 6 && (sprayed == null || sprayed.status() != 429); round++) {
        List<io.vertx.core.Future<LocalClient.Answer>> guesses = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          guesses.add(sprayer.postJsonAsync("/api/v1/auth/token", new JsonObject().put("username", "nobody-" + round + "-" + i)
              .put("password", "guess-password")));
        }
        for (var guess : guesses) {
          LocalClient.Answer a = guess.await(60, TimeUnit.SECONDS);
          assertTrue(a.status() == 401 || a.status() == 429, a.body());
          allowed += a.status() == 401 ? 1 : 0;
          sprayed = a.status() == 429 ? a : sprayed;
        }
      }
      assertNotNull(sprayed, "one address may not try logins without end");
      assertTrue(allowed >= SIGN_INS_PER_ADDRESS && allowed < SIGN_INS_PER_ADDRESS + 8, allowed + " guesses from one address were checked");
      assertEquals("rate_limited", new JsonObject(sprayed.body()).getJsonObject("error").getString("code"));
      assertNotNull(sprayed.header("Retry-After"));
    }
    assertEquals(200, g.get("/api/v1/auth/me", f.alice).status(), "others are not slowed down");
    f.auditedAtLeast("user=victim-sec&outcome=refused", 7);
    JsonArray refusals = f.auditRows("user=victim-sec&outcome=refused");
    assertTrue(refusals.size() >= 7, refusals.encodePrettily());
    assertTrue(refusals.stream().anyMatch(o -> ((JsonObject) o).getInteger("status") == 429 && "127.0.0.2".equals(((JsonObject) o).getString("address"))),
        "the locked account's refusal is audited");
    assertTrue(refusals.stream().anyMatch(o -> ((JsonObject) o).getInteger("status") == 429 && "127.0.0.4".equals(((JsonObject) o).getString("address"))),
        "the throttled login's refusal is audited under that login");
    assertTrue(f.auditRows("outcome=refused&action=" + enc("POST /api/v1/auth/token")).stream()
        .anyMatch(o -> "127.0.0.5".equals(((JsonObject) o).getString("address")) && ((JsonObject) o).getInteger("status") == 429),
        "the throttled address is in the audit log");
  }

  @Test
  void issuingKeysIsRateLimitedPerUser() throws Exception {
    String carol = g.newUser(f.admin, "keys-sec");
    GauntletProcess.Response last = null;
    int issued = 0;
    for (int i = 0; i < 12 && (last == null || last.status() == 201); i++) {
      last = g.post("/api/v1/keys", carol, new JsonObject().put("name", "k" + i));
      issued += last.status() == 201 ? 1 : 0;
    }
    assertEquals(10, issued, "the default allows 10 a minute");
    assertEquals(429, last.status());
    assertEquals("rate_limited", last.errorCode());
    assertEquals(1, f.auditedAtLeast("user=keys-sec&outcome=refused&action=" + enc("POST /api/v1/keys"), 1));
  }

  @Test
  void noRouteChangesTheAuditLogAndTheDatabaseRefusesEveryChange() throws Exception {
    f.routes.stream().filter(r -> r.path().contains("audit")).forEach(r -> assertEquals("GET", r.method(), r + " may change the audit log"));
    JsonArray before = f.auditRows("");
    String oldest = before.getJsonObject(before.size() - 1).getValue("id").toString();
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      for (String path : List.of("/api/v1/admin/audit", "/api/v1/admin/audit/" + oldest)) {
        Reply r = f.json(method, path, f.admin, new JsonObject().put("outcome", "success"));
        assertTrue(r.status() == 404 || r.status() == 405, method + " " + path + ": " + r.text());
      }
    }
    JsonArray after = f.auditRows("");
    Map<Object, JsonObject> byId = new java.util.HashMap<>();
    after.forEach(o -> byId.put(((JsonObject) o).getValue("id"), (JsonObject) o));
    before.forEach(o -> assertEquals(o, byId.get(((JsonObject) o).getValue("id")), "audit row changed"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.appDatabase()); Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 5000");
      for (String sql : List.of("UPDATE audit_log SET outcome = 'success'", "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = " + oldest)) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
      }
    }
  }

  @Test
  void everyResponseCarriesSecurityHeadersAndEveryFormPostNeedsItsToken() throws Exception {
    List<Reply> replies = new java.util.ArrayList<>();
    for (String path : List.of("/health", "/ready", "/metrics", "/login", "/static/css/app.css", "/static/js/app.js", "/no-such-page",
        "/api/v1/auth/me", "/api/v1/no-such-endpoint", "/eventbus/info")) {
      replies.add(f.send("GET", path, null, null, null, Map.of()));
    }
    replies.add(f.send("POST", "/api/v1/generators", f.alice, "application/json", new byte[2 * 1024 * 1024], Map.of()));
    for (Reply r : replies) {
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), csp);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
      assertTrue(r.headers().firstValue("Referrer-Policy").isPresent());
      assertFalse(r.headers().firstValue("Strict-Transport-Security").isPresent(), "no HSTS over plain HTTP");
    }
    String cookie = replies.get(3).headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gauntlet.session=")).findFirst().orElseThrow();
    String lower = cookie.toLowerCase(java.util.Locale.ROOT);
    assertTrue(lower.contains("httponly") && lower.contains("samesite=strict"), cookie);
    assertFalse(lower.contains("secure"), "no Secure flag over plain HTTP, or browsers would drop the cookie: " + cookie);

    g.newUser(f.admin, "forms-sec");
    try (LocalClient browser = new LocalClient(vertx, "127.0.0.6", g.port)) {
      assertEquals(403, browser.postForm("/login", Map.of("username", "forms-sec", "password", "forms-sec-password")).status(),
          "a sign-in without the form's token is refused");
      assertEquals(303, browser.signInForm("forms-sec", "forms-sec-password").status());
      String csrf = browser.csrfFromPage("/");
      assertEquals(403, browser.postForm("/logout", Map.of()).status(), "a sign-out without the token is refused");
      LocalClient.Answer noHeader = browser.postJsonWithCookie("/api/v1/generators", SecurityFixture.typed("g", "simulated"), null);
      assertEquals(403, noHeader.status(), noHeader.body());
      assertEquals("csrf", new JsonObject(noHeader.body()).getJsonObject("error").getString("code"));
      assertEquals(201, browser.postJsonWithCookie("/api/v1/generators", SecurityFixture.typed("g", "simulated"), csrf).status());
      assertEquals(303, browser.postForm("/logout", Map.of("_csrf", csrf)).status());
      assertEquals(401, browser.postJsonWithCookie("/api/v1/generators", SecurityFixture.typed("g", "simulated"), csrf).status(),
          "the session ended");
    }
    assertTrue(f.auditedAtLeast("outcome=refused&action=" + enc("POST /login"), 1) >= 1);
  }

  @Test
  void theAuditPageIsForAdminsOnly() throws Exception {
    try (LocalClient admin = new LocalClient(vertx, "127.0.0.7", g.port); LocalClient user = new LocalClient(vertx, "127.0.0.8", g.port)) {
      assertEquals(303, admin.signInForm("admin", GauntletProcess.ADMIN_PASSWORD).status());
      LocalClient.Answer page = admin.get("/admin/audit");
      assertEquals(200, page.status());
      assertTrue(page.body().contains("/static/js/admin-audit.js") && page.body().contains("id=\"audit\""), page.body());
      assertTrue(admin.get("/").body().contains("href=\"/admin/audit\""), "admins find it in the navigation");
      assertEquals(303, user.signInForm("bob-sec", "bob-sec-password").status());
      assertEquals(403, user.get("/admin/audit").status());
      assertFalse(user.get("/").body().contains("/admin/audit"), "others do not see the link");
    }
  }
}
