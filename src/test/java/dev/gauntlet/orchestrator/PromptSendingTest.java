package dev.gauntlet.orchestrator;

import dev.gauntlet.Main;
import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prompt_sending execution on a running Gauntlet against a fake OpenAI server, checked as a
 * user would: every prompt sent once, answered, converted, scored twice and recorded once, with
 * PyRIT's columns filled in.
 */
class PromptSendingTest {

  static final int PROMPTS = 700;

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private FakeOpenAi fake;
  private Main.Running gauntlet;
  private String root;
  private String token;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeOpenAi().recording(false);
    fake.start(0);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    GauntletConfig config = GauntletConfig.load(null, Map.of("GAUNTLET_DATA_DIR", dir.toString(),
        "GAUNTLET_HTTP_HOST", "127.0.0.1", "GAUNTLET_HTTP_PORT", Integer.toString(port),
        "GAUNTLET_ADMIN_PASSWORD", "admin-password-for-tests", "GAUNTLET_HTTP_INSTANCES", "1"));
    gauntlet = Main.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    root = "http://127.0.0.1:" + port + "/api/v1";
    token = call("POST", "/auth/token", new JsonObject().put("username", "admin").put("password", "admin-password-for-tests"), 200)
        .getString("access_token");
  }

  @AfterEach
  void stop() throws Exception {
    if (gauntlet != null) {
      Main.stop(gauntlet).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void everyPromptIsSentOnceAndRecordedOnceWithItsScores() throws Exception {
    String generator = create("generators", new JsonObject().put("name", "fake").put("type", "openai_chat")
        .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake-model").put("max_concurrency", 8)));
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < PROMPTS; i++) {
      prompts.add(new JsonObject().put("value", "prompt " + i + (i % 7 == 0 ? " about malware" : " about cooking")));
    }
    String dataset = create("datasets", new JsonObject().put("name", "prompts").put("prompts", prompts));
    String rot13 = create("converters", new JsonObject().put("name", "rot").put("type", "rot13").put("parameters", new JsonObject()));
    String sure = create("scorers", new JsonObject().put("name", "complied").put("type", "substring")
        .put("parameters", new JsonObject().put("substrings", new JsonArray().add("Sure"))));
    String refusal = create("scorers", new JsonObject().put("name", "refused").put("type", "refusal").put("parameters", new JsonObject()));
    String orchestrator = create("orchestrators", new JsonObject().put("name", "send").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset)
            .put("converter_ids", new JsonArray().add(rot13)).put("scorer_ids", new JsonArray().add(sure).add(refusal))
            .put("concurrency", 16).put("labels", new JsonObject().put("team", "red"))));

    // labels given at launch reach every piece beside the orchestrator's own
    String id = call("POST", "/orchestrators/" + orchestrator + "/executions",
        new JsonObject().put("labels", new JsonObject().put("run", "nightly")), 202).getString("id");
    JsonObject execution = awaitEnd(id);
    assertEquals("completed", execution.getString("status"), execution.encode());
    assertNotNull(execution.getString("finished_at"), "a completed execution has its end recorded");
    JsonObject progress = execution.getJsonObject("progress");
    assertEquals(PROMPTS, progress.getInteger("done"));
    assertEquals(PROMPTS, progress.getInteger("succeeded"));
    assertEquals(PROMPTS, fake.requests(), "each prompt is sent exactly once");

    JsonObject tables = call("GET", "/database/status", null, 200).getJsonObject("tables");
    assertEquals(2 * PROMPTS, tables.getInteger("PromptMemoryEntries"));
    assertEquals(2 * PROMPTS, tables.getInteger("ScoreEntries"));

    Set<Integer> indexes = new HashSet<>();
    Set<String> conversations = new HashSet<>();
    for (int offset = 0; offset < PROMPTS; offset += 500) {
      JsonObject page = call("GET", "/executions/" + id + "/results?limit=500&offset=" + offset, null, 200);
      assertEquals(PROMPTS, page.getInteger("total"));
      for (Object o : page.getJsonArray("items")) {
        JsonObject r = (JsonObject) o;
        assertTrue(indexes.add(r.getInteger("prompt_index")), "prompt " + r.getInteger("prompt_index") + " recorded twice");
        assertTrue(conversations.add(r.getString("conversation_id")));
        assertEquals(2, r.getJsonArray("pieces").size());
        assertEquals(2, r.getJsonArray("scores").size());
      }
    }
    assertEquals(PROMPTS, indexes.size());

    // one conversation in full: PyRIT's columns as stored
    String conversation = conversations.iterator().next();
    JsonObject full = call("GET", "/memory/conversations/" + conversation, null, 200);
    JsonObject user = full.getJsonArray("pieces").getJsonObject(0);
    JsonObject answer = full.getJsonArray("pieces").getJsonObject(1);
    assertEquals("user", user.getString("role"));
    String original = user.getString("original_value");
    assertEquals(rot13(original), user.getString("converted_value"));
    assertEquals(sha256(original), user.getString("original_value_sha256"));
    assertEquals(sha256(user.getString("converted_value")), user.getString("converted_value_sha256"));
    assertEquals("rot13", user.getJsonArray("converter_identifiers").getJsonObject(0).getString("__type__"));
    assertEquals(new JsonObject().put("execution_id", id).put("team", "red").put("run", "nightly"), user.getJsonObject("labels"));
    assertEquals(orchestrator, user.getJsonObject("orchestrator_identifier").getString("id"));
    assertEquals(id, user.getJsonObject("prompt_metadata").getString("execution_id"));
    assertEquals("assistant", answer.getString("role"));
    assertEquals("Sure: " + user.getString("converted_value"), answer.getString("original_value"));
    assertEquals(sha256(answer.getString("original_value")), answer.getString("converted_value_sha256"));
    assertEquals("OpenAIChatTarget", answer.getJsonObject("prompt_target_identifier").getString("__type__"));
    Set<String> scorers = new HashSet<>();
    for (Object o : full.getJsonArray("scores")) {
      JsonObject s = (JsonObject) o;
      assertEquals(answer.getString("id"), s.getString("prompt_request_response_id"));
      scorers.add(s.getJsonObject("scorer_class_identifier").getString("name"));
    }
    assertEquals(Set.of("complied", "refused"), scorers);
  }

  private JsonObject awaitEnd(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      JsonObject e = call("GET", "/executions/" + id, null, 200);
      String status = e.getString("status");
      if (!status.equals("queued") && !status.equals("running")) {
        return e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("execution still " + status + ": " + e.encode());
      }
      Thread.sleep(20);
    }
  }

  private String create(String kind, JsonObject value) throws Exception {
    return call("POST", "/" + kind, value, 201).getString("id");
  }

  private JsonObject call(String method, String path, JsonObject body, int expected) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
    return new JsonObject(r.body());
  }

  private static String rot13(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c >= 'a' && c <= 'z' ? (char) ('a' + (c - 'a' + 13) % 26) : c >= 'A' && c <= 'Z' ? (char) ('A' + (c - 'A' + 13) % 26) : c);
    }
    return b.toString();
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
