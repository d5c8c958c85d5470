package dev.gauntlet.it;

import dev.gauntlet.it.SecurityFixture.Reply;
import dev.gauntlet.it.SecurityFixture.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.gauntlet.it.SecurityFixture.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Gauntlet attacked as an attacker would, part one: isolation and credentials, over every REST
 * route and bridge operation the running server lists for itself: another user's ids, bodies and
 * bridge frames that point at them, forged and stale tokens, revoked and expired keys and scope
 * escalation. Every case must answer 4xx, leak nothing, leave the server up and stored data
 * unchanged, and leave its refusal in the audit log. One jar serves every case; {@link
 * SecurityAbuseIT} is part two.
 */
class SecurityIsolationIT extends SecuritySuite {

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
}
