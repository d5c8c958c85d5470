package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ViolentUTF's founding bug, replayed: users configure generators, scorers and datasets, then
 * thousands of pieces are written while orchestrator instances are evicted and memory
 * connections closed, across a graceful restart and a SIGKILL. Nothing may vanish, nothing
 * may be doubled, and no other database file may ever appear.
 */
class SeedScenarioIT {

  static final List<String> USERS = List.of("alice", "bob", "carol");
  static final int PIECES_PER_USER = 2000;
  static final int BATCH = 50;
  static final int EVICT_EVERY = 250;

  @TempDir
  Path tmp;

  /** What each user was told is stored. */
  static final class Ledger {
    String token;
    final Map<String, Set<String>> configIds = new LinkedHashMap<>();
    final Map<String, Set<String>> piecesByConversation = new LinkedHashMap<>();
    final Set<String> scoreIds = new HashSet<>();
    String orchestratorId;
    JsonObject lastBatch;

    long pieces() {
      return piecesByConversation.values().stream().mapToLong(Set::size).sum();
    }
  }

  @Test
  void configurationsAndAcknowledgedPiecesSurviveEvictionsRestartsAndKill() throws Exception {
    Path data = tmp.resolve("data");
    try (GauntletProcess g = new GauntletProcess(data, Map.of("GAUNTLET_MEMORY_IDLE_CLOSE_SECONDS", "2"))) {
      g.start();
      String admin = g.adminToken();
      Map<String, Ledger> ledgers = new LinkedHashMap<>();
      for (String user : USERS) {
        Ledger l = new Ledger();
        l.token = g.newUser(admin, user);
        configure(g, l, user);
        ledgers.put(user, l);
      }

      for (int written = 0; written < PIECES_PER_USER; written += BATCH) {
        for (Map.Entry<String, Ledger> e : ledgers.entrySet()) {
          appendBatch(g, e.getValue(), e.getKey(), written / BATCH);
        }
        int after = written + BATCH;
        if (after % EVICT_EVERY == 0) {
          for (Ledger l : ledgers.values()) {
            assertEquals(200, g.get("/api/v1/orchestrators/" + l.orchestratorId + "/instance", l.token).status());
          }
          JsonObject evicted = g.post("/api/v1/admin/orchestrators/evict", admin, null).json();
          assertEquals(USERS.size(), evicted.getInteger("evicted"), "each user's orchestrator instance was cached, then evicted");
          assertEquals(200, g.post("/api/v1/admin/memory/close-all", admin, null).status());
        }
        if (after == 1000) {
          assertEquals(0, g.stop(), "a graceful stop (SIGTERM) exits 0:\n" + g.output());
          g.start();
          admin = g.adminToken();
          for (Map.Entry<String, Ledger> e : ledgers.entrySet()) {
            e.getValue().token = g.token(e.getKey(), e.getKey() + "-password");
          }
        }
        if (after == 1500) {
          // SIGKILL right after an acknowledged batch: that batch must survive
          Ledger carol = ledgers.get("carol");
          appendBatch(g, carol, "carol", 10_000);
          g.kill();
          g.start();
          admin = g.adminToken();
          for (Map.Entry<String, Ledger> e : ledgers.entrySet()) {
            e.getValue().token = g.token(e.getKey(), e.getKey() + "-password");
          }
          // a client that never saw the reply resends: nothing is stored twice
          JsonObject reply = g.post("/api/v1/memory/pieces", carol.token, carol.lastBatch).json();
          assertEquals(0, reply.getInteger("pieces"));
          assertEquals(BATCH * 2, reply.getInteger("duplicates"));
        }
      }

      // let idle-closing run too, then check everything from a fresh connection
      Thread.sleep(4500);
      for (Map.Entry<String, Ledger> e : ledgers.entrySet()) {
        verify(g, e.getValue(), e.getKey());
      }

      List<Path> memoryFiles;
      try (Stream<Path> s = Files.list(data.resolve("memory"))) {
        memoryFiles = s.filter(p -> p.getFileName().toString().matches("pyrit_memory_[0-9a-f]{64}\\.db")).toList();
      }
      assertEquals(USERS.size(), memoryFiles.size(), "exactly one memory file per user: " + memoryFiles);
      Set<String> allDb;
      try (Stream<Path> s = Files.walk(data)) {
        allDb = new HashSet<>(s.filter(p -> p.toString().endsWith(".db")).map(p -> data.relativize(p).toString()).toList());
      }
      Set<String> expected = new HashSet<>();
      memoryFiles.forEach(p -> expected.add(data.relativize(p).toString()));
      expected.add("gauntlet.db");
      assertEquals(expected, allDb, "no .db file but the three memories and the app database");

      JsonObject health = g.get("/api/v1/admin/memory-health", admin).json();
      assertEquals(0L, health.getLong("switch_events"), health.encode());
      assertEquals(USERS.size(), health.getLong("files"));
      assertEquals(USERS.size() + 1, health.getLong("users"), "three users and the admin");
      assertEquals(new JsonArray(), health.getJsonArray("orphans"));
      assertEquals(0, g.stop());
    }
  }

  private static void configure(GauntletProcess g, Ledger l, String user) throws Exception {
    List<String> generators = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      generators.add(created(g, l, "generators", typed(user + "-generator-" + i, "simulated", new JsonObject().put("latency_ms", i))));
      created(g, l, "scorers", typed(user + "-scorer-" + i, "substring",
          new JsonObject().put("substrings", new JsonArray().add("secret " + i))));
      created(g, l, "converters", typed(user + "-converter-" + i, "caesar", new JsonObject().put("shift", i + 1)));
    }
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < 25; i++) {
      prompts.add(new JsonObject().put("value", user + " prompt " + i).put("harm_categories", new JsonArray().add("test")));
    }
    String dataset = created(g, l, "datasets", new JsonObject().put("name", user + "-dataset").put("prompts", prompts));
    l.orchestratorId = created(g, l, "orchestrators", typed(user + "-orchestrator", "prompt_sending",
        new JsonObject().put("generator_id", generators.get(0)).put("dataset_id", dataset)));
  }

  private static JsonObject typed(String name, String type, JsonObject parameters) {
    return new JsonObject().put("name", name).put("type", type).put("parameters", parameters);
  }

  private static String created(GauntletProcess g, Ledger l, String kind, JsonObject body) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/" + kind, l.token, body);
    assertEquals(201, r.status(), r.text());
    String id = r.json().getString("id");
    l.configIds.computeIfAbsent(kind, k -> new HashSet<>()).add(id);
    return id;
  }

  /** One batch of pieces (a prompt and its response) with a score on each response. */
  private static void appendBatch(GauntletProcess g, Ledger l, String user, int n) throws Exception {
    String conversation = user + "-conversation-" + n;
    JsonArray pieces = new JsonArray();
    JsonArray scores = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      pieces.add(new JsonObject().put("id", id).put("role", i % 2 == 0 ? "user" : "assistant")
          .put("conversation_id", conversation).put("sequence", i).put("original_value", user + " says " + n + "/" + i)
          .put("prompt_target_identifier", new JsonObject().put("__type__", "Simulated").put("name", "gen"))
          .put("labels", new JsonObject().put("batch", Integer.toString(n))));
      String scoreId = UUID.randomUUID().toString();
      scores.add(new JsonObject().put("id", scoreId).put("score_value", i % 3 == 0).put("score_type", "true_false")
          .put("prompt_request_response_id", id)
          .put("scorer_class_identifier", new JsonObject().put("__type__", "SubStringScorer")));
      l.scoreIds.add(scoreId);
    }
    JsonObject batch = new JsonObject().put("pieces", pieces).put("scores", scores);
    GauntletProcess.Response r = g.post("/api/v1/memory/pieces", l.token, batch);
    assertEquals(201, r.status(), r.text());
    assertEquals(BATCH, r.json().getInteger("pieces"));
    l.piecesByConversation.put(conversation, new HashSet<>(ids));
    l.lastBatch = batch;
  }

  private static void verify(GauntletProcess g, Ledger l, String user) throws Exception {
    for (Map.Entry<String, Set<String>> kind : l.configIds.entrySet()) {
      JsonObject list = g.get("/api/v1/" + kind.getKey() + "?limit=1000", l.token).json();
      Set<String> listed = new HashSet<>();
      list.getJsonArray("items").forEach(o -> listed.add(((JsonObject) o).getString("id")));
      assertEquals(kind.getValue(), listed, user + "'s " + kind.getKey() + " are all still listed, and only them");
    }
    JsonObject dataset = g.get("/api/v1/datasets/" + l.configIds.get("datasets").iterator().next(), l.token).json();
    assertEquals(25, dataset.getJsonArray("prompts").size());

    JsonObject status = g.get("/api/v1/database/status", l.token).json();
    JsonObject tables = status.getJsonObject("tables");
    assertEquals(l.pieces(), tables.getLong("PromptMemoryEntries"), user + ": every acknowledged piece, once");
    assertEquals(l.scoreIds.size(), tables.getLong("ScoreEntries"), user + ": every acknowledged score, once");
    assertEquals(PIECES_PER_USER + (user.equals("carol") ? BATCH : 0), l.pieces());

    JsonObject conversations = g.get("/api/v1/memory/conversations?limit=1000", l.token).json();
    assertEquals(l.piecesByConversation.size(), conversations.getInteger("total"));
    Map<String, Integer> seen = new HashMap<>();
    for (Map.Entry<String, Set<String>> c : l.piecesByConversation.entrySet()) {
      JsonObject conversation = g.get("/api/v1/memory/conversations/" + c.getKey(), l.token).json();
      Set<String> ids = new HashSet<>();
      conversation.getJsonArray("pieces").forEach(p -> {
        String id = ((JsonObject) p).getString("id");
        ids.add(id);
        seen.merge(id, 1, Integer::sum);
      });
      assertEquals(c.getValue(), ids, "conversation " + c.getKey() + " holds exactly its acknowledged pieces");
      assertEquals(BATCH, conversation.getJsonArray("pieces").size());
    }
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "no piece appears twice");
  }
}
