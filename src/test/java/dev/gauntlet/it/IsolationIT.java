package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each user's data is theirs alone, and a user is who their credentials say, nothing else. */
class IsolationIT {

  static GauntletProcess g;
  static Path tmp;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    tmp = Files.createTempDirectory("gauntlet-isolation");
    g = new GauntletProcess(tmp.resolve("data"), Map.of()).start();
    admin = g.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    g.close();
  }

  /** A valid body for each kind that needs no other configuration. */
  static final Map<String, JsonObject> VALID = Map.of(
      "generators", new JsonObject().put("name", "a").put("type", "simulated"),
      "converters", new JsonObject().put("name", "a").put("type", "rot13"),
      "scorers", new JsonObject().put("name", "a").put("type", "refusal"));

  static String created(String token, String kind, JsonObject body) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/" + kind, token, body);
    assertEquals(201, r.status(), kind + ": " + r.text());
    return r.json().getString("id");
  }

  @Test
  void usersGet404ForEachOthersIdsOnEveryEndpoint() throws Exception {
    String alice = g.newUser(admin, "alice-iso");
    String bob = g.newUser(admin, "bob-iso");
    Map<String, String> aliceIds = new LinkedHashMap<>();
    aliceIds.put("generators", created(alice, "generators", VALID.get("generators")));
    aliceIds.put("converters", created(alice, "converters", VALID.get("converters")));
    aliceIds.put("scorers", created(alice, "scorers", VALID.get("scorers")));
    aliceIds.put("datasets", created(alice, "datasets", new JsonObject().put("name", "d")
        .put("prompts", new JsonArray().add(new JsonObject().put("value", "secret prompt")))));
    aliceIds.put("orchestrators", created(alice, "orchestrators", new JsonObject().put("name", "a").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", aliceIds.get("generators")).put("dataset_id", aliceIds.get("datasets")))));
    String pieceId = UUID.randomUUID().toString();
    assertEquals(201, g.post("/api/v1/memory/pieces", alice, new JsonObject().put("pieces", new JsonArray().add(
        new JsonObject().put("id", pieceId).put("role", "user").put("conversation_id", "alice-secret").put("original_value", "x")))).status());
    String aliceKey = g.post("/api/v1/keys", alice, new JsonObject().put("name", "k")).json().getString("id");

    for (Map.Entry<String, String> e : aliceIds.entrySet()) {
      String path = "/api/v1/" + e.getKey() + "/" + e.getValue();
      JsonObject body = e.getKey().equals("datasets")
          ? new JsonObject().put("name", "stolen").put("prompts", new JsonArray())
          : e.getKey().equals("orchestrators") ? g.get(path, alice).json().put("name", "stolen")
          : VALID.get(e.getKey()).copy().put("name", "stolen");
      assertEquals(404, g.get(path, bob).status(), "GET " + path);
      assertEquals(404, g.put(path, bob, body).status(), "PUT " + path);
      assertEquals(404, g.delete(path, bob).status(), "DELETE " + path);
      assertEquals(0, g.get("/api/v1/" + e.getKey(), bob).json().getInteger("total"), "bob lists none of alice's " + e.getKey());
    }
    assertEquals(404, g.get("/api/v1/orchestrators/" + aliceIds.get("orchestrators") + "/instance", bob).status());
    assertEquals(404, g.get("/api/v1/memory/conversations/alice-secret", bob).status());
    assertEquals(0, g.get("/api/v1/memory/conversations", bob).json().getInteger("total"));
    assertEquals(404, g.delete("/api/v1/keys/" + aliceKey, bob).status());
    assertEquals(0, g.get("/api/v1/keys", bob).json().getJsonArray("items").size());

    // nothing of alice's changed
    for (Map.Entry<String, String> e : aliceIds.entrySet()) {
      assertEquals(e.getKey().equals("datasets") ? "d" : "a", g.get("/api/v1/" + e.getKey() + "/" + e.getValue(), alice).json().getString("name"));
    }
    assertEquals(1, g.get("/api/v1/database/status", alice).json().getJsonObject("tables").getLong("PromptMemoryEntries"));
    assertNotEquals(g.get("/api/v1/database/status", alice).json().getString("file"),
        g.get("/api/v1/database/status", bob).json().getString("file"));
  }

  @Test
  void aUserNamedInABodyOrQueryIsIgnored() throws Exception {
    String carol = g.newUser(admin, "carol-iso");
    String dave = g.newUser(admin, "dave-iso");
    JsonObject body = VALID.get("generators").copy().put("name", "mine").put("user", "carol-iso").put("username", "carol-iso");
    String id = g.post("/api/v1/generators?user=carol-iso&username=carol-iso", dave, body).json().getString("id");
    assertEquals(200, g.get("/api/v1/generators/" + id, dave).status(), "stored in the caller's memory");
    assertEquals(404, g.get("/api/v1/generators/" + id + "?user=dave-iso", carol).status());
    assertEquals(0, g.get("/api/v1/generators?user=dave-iso", carol).json().getInteger("total"));
  }

  @Test
  void changingTheLoginKeepsTheSameMemory() throws Exception {
    String erin = g.newUser(admin, "erin-iso");
    JsonObject me = g.get("/api/v1/auth/me", erin).json();
    String file = me.getString("memory_file");
    String generator = created(erin, "generators", VALID.get("generators"));

    assertEquals(400, g.put("/api/v1/admin/users/" + me.getString("id"), admin, new JsonObject().put("username", "other")).status(),
        "the username is frozen");
    assertEquals(200, g.put("/api/v1/admin/users/" + me.getString("id"), admin,
        new JsonObject().put("login", "erin-renamed").put("display_name", "Erin R.")).status());
    assertEquals(401, g.post("/api/v1/auth/token", null, new JsonObject().put("username", "erin-iso").put("password", "erin-iso-password")).status());
    String renamed = g.token("erin-renamed", "erin-iso-password");
    JsonObject after = g.get("/api/v1/auth/me", renamed).json();
    assertEquals("erin-iso", after.getString("username"));
    assertEquals(file, after.getString("memory_file"));
    assertEquals(200, g.get("/api/v1/generators/" + generator, renamed).status());
    assertTrue(Files.exists(tmp.resolve("data/memory").resolve(file)));
    assertFalse(g.get("/api/v1/admin/memory-health", admin).json().getJsonArray("orphans").contains(file));
  }

  @Test
  void apiKeysActAsTheirOwnerUntilRevokedAndAreShownOnce() throws Exception {
    String frank = g.newUser(admin, "frank-iso");
    JsonObject created = g.post("/api/v1/keys", frank, new JsonObject().put("name", "ci").put("scopes", new JsonArray().add("read"))).json();
    String key = created.getString("key");
    assertTrue(key.startsWith("gk_"));
    assertFalse(g.get("/api/v1/keys", frank).text().contains(key), "the key is never shown again");
    assertEquals("frank-iso", g.get("/api/v1/auth/me", key).json().getString("username"));
    assertEquals(403, g.post("/api/v1/generators", key, VALID.get("generators")).status(),
        "a read-only key cannot write");
    assertEquals(200, g.delete("/api/v1/keys/" + created.getString("id"), frank).status());
    assertEquals(401, g.get("/api/v1/auth/me", key).status(), "a revoked key is refused");
    assertEquals(403, g.post("/api/v1/keys", frank, new JsonObject().put("name", "x").put("scopes", new JsonArray().add("admin"))).status());
  }

  @Test
  void badInputGetsAClear4xxAndStoresNothing() throws Exception {
    String gina = g.newUser(admin, "gina-iso");
    assertEquals("invalid_json", g.raw("POST", "/api/v1/generators", gina, "{\"name\":").errorCode());
    assertEquals("invalid_json", g.raw("POST", "/api/v1/generators", gina, "[1,2]").errorCode());
    assertEquals("missing_body", g.raw("POST", "/api/v1/generators", gina, "").errorCode());
    GauntletProcess.Response wrongType = g.post("/api/v1/generators", gina, new JsonObject().put("name", 5).put("type", "simulated"));
    assertEquals(400, wrongType.status());
    assertTrue(wrongType.json().getJsonObject("error").getString("message").contains("'name'"));
    assertEquals(400, g.post("/api/v1/generators", gina, new JsonObject().put("name", "n")).status(), "missing type");
    assertEquals(400, g.post("/api/v1/generators", gina, new JsonObject().put("name", "n").put("type", "simulated").put("parameters", "x")).status());
    assertEquals(400, g.post("/api/v1/generators", gina, new JsonObject().put("name", "n").put("type", "no-such-type")).status());
    assertEquals(400, g.post("/api/v1/datasets", gina, new JsonObject().put("name", "d").put("prompts",
        new JsonArray().add(new JsonObject().put("value", "ok")).add(new JsonObject().put("value", 3)))).status());
    assertEquals(400, g.get("/api/v1/generators?limit=abc", gina).status());
    assertEquals(400, g.get("/api/v1/generators?offset=-1", gina).status());
    assertEquals(404, g.get("/api/v1/generators/does-not-exist", gina).status());
    assertEquals(404, g.get("/api/v1/no-such-thing", gina).status());

    // a batch with one bad piece in the middle stores none of it
    JsonArray pieces = new JsonArray();
    for (int i = 0; i < 10; i++) {
      pieces.add(new JsonObject().put("role", i == 5 ? "robot" : "user").put("conversation_id", "c").put("original_value", "v" + i));
    }
    GauntletProcess.Response bad = g.post("/api/v1/memory/pieces", gina, new JsonObject().put("pieces", pieces));
    assertEquals(400, bad.status());
    assertTrue(bad.json().getJsonObject("error").getString("message").contains("pieces[5].role"), bad.text());
    JsonObject tables = g.get("/api/v1/database/status", gina).json().getJsonObject("tables");
    assertEquals(0, tables.getLong("PromptMemoryEntries"));
    assertEquals(0, tables.getLong("generators") + tables.getLong("datasets"));

    // a body over http.maxBodyBytes (10 MB by default)
    String huge = "{\"name\":\"" + "x".repeat(11 * 1024 * 1024) + "\",\"type\":\"t\"}";
    GauntletProcess.Response tooBig = g.raw("POST", "/api/v1/generators", gina, huge);
    assertEquals(413, tooBig.status());
    assertEquals("payload_too_large", tooBig.errorCode());
    // invalid UTF-8 inside a JSON string
    GauntletProcess.Response badUtf8 = g.rawBytes("POST", "/api/v1/generators", gina,
        new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', ',', '"', 't', 'y', 'p', 'e', '"', ':', '"', 't', '"', '}'});
    assertEquals(400, badUtf8.status(), badUtf8.text());
    assertEquals("invalid_json", badUtf8.errorCode());
    assertEquals(0, g.get("/api/v1/generators", gina).json().getInteger("total"));
    assertEquals(401, g.get("/api/v1/generators", "not-a-token").status());
    assertEquals(200, g.get("/health", null).status(), "the server stays up");
  }

  @Test
  void namesInAnyScriptSignInAndKeepOneMemoryWhateverTheirSpelling() throws Exception {
    String decomposed = "rene\u0301e";
    GauntletProcess.Response created = g.post("/api/v1/admin/users", admin, new JsonObject().put("username", decomposed)
        .put("password", "renee-password").put("roles", new io.vertx.core.json.JsonArray().add("user")));
    assertEquals(201, created.status(), created.text());
    assertEquals("ren\u00e9e", created.json().getString("username"), "stored in its NFC form");
    String typedPrecomposed = g.token("ren\u00e9e", "renee-password");
    String typedDecomposed = g.token(decomposed, "renee-password");
    String file = g.get("/api/v1/database/status", typedPrecomposed).json().getString("file");
    assertEquals(file, g.get("/api/v1/database/status", typedDecomposed).json().getString("file"), "one name, one memory");
    String chinese = g.newUser(admin, "\u5f20\u4f1f");
    assertNotEquals(file, g.get("/api/v1/database/status", chinese).json().getString("file"));
    GauntletProcess.Response confusable = g.post("/api/v1/admin/users", admin, new JsonObject().put("username", "p\u0430ypal")
        .put("password", "paypal-password").put("roles", new io.vertx.core.json.JsonArray().add("user")));
    assertEquals(400, confusable.status());
    assertTrue(confusable.text().contains("Cyrillic"), confusable.text());
  }
}
