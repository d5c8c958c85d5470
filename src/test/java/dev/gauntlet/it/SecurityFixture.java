package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the security suite attacks: one running jar, user A (alice) owning one resource of every
 * kind, each named with a secret marker, user B (bob) owning a few of his own, and the server's
 * own list of its routes and bridge operations.
 */
final class SecurityFixture {

  record Route(String method, String path) {
    boolean write() {
      return !method.equals("GET") && !method.equals("HEAD");
    }

    boolean api() {
      return path.startsWith("/api/v1/");
    }

    boolean admin() {
      return path.startsWith("/api/v1/admin/");
    }

    /** The path with each {@code :param} replaced by the value the function gives for (segment before it, param). */
    String fill(java.util.function.BiFunction<String, String, String> value) {
      String[] parts = path.split("/");
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < parts.length; i++) {
        String part = parts[i];
        out.append('/').append(part.startsWith(":") ? value.apply(parts[i - 1], part.substring(1)) : part);
      }
      return out.toString();
    }

    boolean hasParams() {
      return path.contains("/:");
    }
  }

  record Reply(int status, HttpHeaders headers, String text) {
    JsonObject json() {
      return new JsonObject(text);
    }

    String errorCode() {
      return json().getJsonObject("error").getString("code");
    }
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final GauntletProcess g;
  final String admin;
  final String alice;
  final String bob;
  final String secret = "alice-secret-" + UUID.randomUUID();
  /** Alice's resources by the path segment that names their kind. */
  final Map<String, String> aliceIds = new LinkedHashMap<>();
  /** Everything of alice's that must never appear in another user's response. */
  final List<String> aliceMarkers = new ArrayList<>();
  final String bobSecret = "bob-secret-" + UUID.randomUUID();
  final List<Route> routes = new ArrayList<>();
  final JsonArray operations;

  SecurityFixture(GauntletProcess g) throws Exception {
    this.g = g;
    admin = g.adminToken();
    alice = g.newUser(admin, "alice-sec");
    bob = g.newUser(admin, "bob-sec");

    aliceIds.put("generators", created(alice, "generators", typed(secret + "-generator", "simulated")));
    aliceIds.put("converters", created(alice, "converters", typed(secret + "-converter", "rot13")));
    aliceIds.put("scorers", created(alice, "scorers", typed(secret + "-scorer", "refusal")));
    aliceIds.put("datasets", created(alice, "datasets", new JsonObject().put("name", secret + "-dataset").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", secret + " first prompt")).add(new JsonObject().put("value", secret + " second prompt")))));
    aliceIds.put("orchestrators", created(alice, "orchestrators", typed(secret + "-orchestrator", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", aliceIds.get("generators")).put("dataset_id", aliceIds.get("datasets"))
            .put("scorer_ids", new JsonArray().add(aliceIds.get("scorers"))))));
    aliceIds.put("executions", execution(alice, aliceIds.get("orchestrators")));
    GauntletProcess.Response rescore = g.post("/api/v1/executions/" + aliceIds.get("executions") + "/rescore", alice,
        new JsonObject().put("scorer_ids", new JsonArray().add(aliceIds.get("scorers"))));
    assertEquals(202, rescore.status(), rescore.text());
    aliceIds.put("rescores", rescore.json().getString("id"));
    // a scan of alice's (/scans/:scan_id and its compliance report): one probe against her generator
    GauntletProcess.Response scan = g.post("/api/v1/scans", alice, new JsonObject().put("name", secret + "-scan")
        .put("probes", new JsonArray().add("prompt_hijack")).put("generator_ids", new JsonArray().add(aliceIds.get("generators")))
        .put("count", 2));
    assertEquals(201, scan.status(), scan.text());
    aliceIds.put("scans", scan.json().getString("id"));
    String conversation = "conversation-" + secret;
    String piece = UUID.randomUUID().toString();
    assertEquals(201, g.post("/api/v1/memory/pieces", alice, new JsonObject().put("pieces", new JsonArray().add(new JsonObject()
        .put("id", piece).put("role", "user").put("conversation_id", conversation)
        .put("original_value", secret + " piece")))).status());
    aliceIds.put("conversations", conversation);
    // a result of alice's with her review on it (/results/:piece_id/review)
    assertEquals(200, g.put("/api/v1/results/" + piece + "/review", alice, new JsonObject().put("verdict", "held")
        .put("comment", secret + " review")).status());
    aliceIds.put("results", piece);
    aliceIds.put("keys", g.post("/api/v1/keys", alice, new JsonObject().put("name", secret + "-key")).json().getString("id"));
    JsonObject me = g.get("/api/v1/auth/me", alice).json();
    aliceIds.put("users", me.getString("id"));
    aliceMarkers.addAll(aliceIds.values());
    aliceMarkers.add(secret);
    aliceMarkers.add(me.getString("memory_file"));
    // /admin/budgets/:host: a budget the admin declared (a host, not anyone's resource)
    assertEquals(200, g.put("/api/v1/admin/budgets/budget.example", admin, new JsonObject().put("requests_per_minute", 6000)).status());
    aliceIds.put("budgets", "budget.example");

    created(bob, "generators", typed(bobSecret + "-generator", "simulated"));

    JsonObject surface = g.get("/api/v1/admin/routes", admin).json();
    surface.getJsonArray("http").forEach(o -> routes.add(new Route(((JsonObject) o).getString("method"), ((JsonObject) o).getString("path"))));
    operations = surface.getJsonObject("bus").getJsonArray("operations");
  }

  static JsonObject typed(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  String created(String token, String kind, JsonObject body) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/" + kind, token, body);
    assertEquals(201, r.status(), kind + ": " + r.text());
    return r.json().getString("id");
  }

  /** Runs the orchestrator once and waits for the execution to end. */
  String execution(String token, String orchestrator) throws Exception {
    GauntletProcess.Response started = g.post("/api/v1/orchestrators/" + orchestrator + "/executions", token, new JsonObject());
    assertEquals(202, started.status(), started.text());
    String id = started.json().getString("id");
    for (int i = 0; i < 300; i++) {
      if (Set.of("completed", "completed_with_errors", "failed", "cancelled").contains(g.get("/api/v1/executions/" + id, token).json().getString("status"))) {
        return id;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("execution " + id + " did not end");
  }

  /** Alice's id for a route parameter: by the kind the path segment before it names. */
  String aliceId(String segment, String param) {
    String id = aliceIds.get(segment);
    if (id == null) {
      throw new AssertionError("the suite has no resource of alice's for /" + segment + "/:" + param
          + ": a new endpoint needs a fixture in SecurityFixture so the suite can attack it");
    }
    return id;
  }

  /** A body naming alice's resources in every field an endpoint might read them from. */
  JsonObject probeBody() {
    return new JsonObject().put("name", "probe").put("prompt", "hello").put("prompts", new JsonArray().add("hello"))
        .put("text", "hello").put("template", "{{prompt}}").put("dataset_id", aliceIds.get("datasets"))
        .put("dataset_ids", new JsonArray().add(aliceIds.get("datasets"))).put("execution_id", aliceIds.get("executions"))
        .put("orchestrator_id", aliceIds.get("orchestrators")).put("generator_id", aliceIds.get("generators"));
  }

  /** The first of alice's markers in an answer that the request did not itself carry (an echo is no leak), or null. */
  String leakIn(String answer, String request) {
    return aliceMarkers.stream().filter(m -> answer.contains(m) && !request.contains(m)).findFirst().orElse(null);
  }

  Reply send(String method, String path, String token, String contentType, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers(), r.body());
  }

  Reply json(String method, String path, String token, JsonObject body) throws Exception {
    return send(method, path, token, body == null ? null : "application/json",
        body == null ? null : body.encode().getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** Audit rows matching a query string (URL-encoded by the caller), as the admin API counts them. */
  long audited(String query) throws Exception {
    GauntletProcess.Response r = g.get("/api/v1/admin/audit?" + query + "&limit=1", admin);
    assertEquals(200, r.status(), r.text());
    return r.json().getLong("total");
  }

  /** The count once it reaches {@code least}, or the count after a few seconds: rows are written after each answer is sent. */
  long auditedAtLeast(String query, long least) throws Exception {
    long n = audited(query);
    for (int i = 0; i < 50 && n < least; i++) {
      Thread.sleep(100);
      n = audited(query);
    }
    return n;
  }

  /** Whether a row the query finds matches, waiting up to 5 s: the audit log is written after the answer. */
  boolean auditedRow(String query, java.util.function.Predicate<JsonObject> match) throws Exception {
    for (int i = 0; i < 50; i++) {
      if (auditRows(query).stream().anyMatch(o -> match.test((JsonObject) o))) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  JsonArray auditRows(String query) throws Exception {
    return g.get("/api/v1/admin/audit?" + query + "&limit=1000", admin).json().getJsonArray("items");
  }

  /** A setting of the running server's app database, read as an attacker with the disk would. */
  String setting(String key) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + appDatabase()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM settings WHERE key = '" + key + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  Path appDatabase() {
    return g.dataDir.resolve("gauntlet.db");
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
