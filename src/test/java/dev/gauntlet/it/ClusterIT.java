package dev.gauntlet.it;

import dev.gauntlet.testing.FakeOpenAi;
import dev.gauntlet.testing.PostgresServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real jars on loopback form one cluster (Hazelcast TCP join) over one shared data
 * directory and one PostgreSQL app database: each user's memory is held by one node and reached from all three; a generator's
 * requests per minute hold across the three; and when the node running an execution is killed,
 * another takes it over from its last commit. Memory health and the sign-in limits are the cluster's.
 */
class ClusterIT {

  /** Short leases: a dead node's users and executions move after this many seconds. */
  static final int LEASE_SECONDS = 3;
  static final int PROMPTS = 1200;
  static final int CONCURRENCY = 8;
  /** The paced generator: two requests a second across the whole cluster. */
  static final int PER_MINUTE = 120;

  @TempDir
  Path tmp;

  @Test
  void threeNodesShareUsersLimitsAndExecutionsAndSurviveTheKillOfOne() throws Exception {
    Path data = tmp.resolve("data");
    List<Integer> clusterPorts = List.of(freePort(), freePort(), freePort());
    String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    List<GauntletProcess> nodes = new ArrayList<>();
    io.vertx.core.Vertx client = io.vertx.core.Vertx.vertx();
    io.vertx.core.http.WebSocketClient sockets = client.createWebSocketClient();
    // the app database every node shares: PostgreSQL
    PostgresServer pg = PostgresServer.shared();
    Map<String, String> appDb = pg.env(pg.database("cluster"));
    try (FakeOpenAi fake = new FakeOpenAi()) {
      fake.start(0);
      fake.latency(20);
      for (int i = 0; i < 3; i++) {
        Map<String, String> env = new java.util.HashMap<>(appDb);
        env.putAll(Map.of("GAUNTLET_CLUSTER_ENABLED", "true", "GAUNTLET_CLUSTER_MEMBERS", members,
            "GAUNTLET_CLUSTER_PORT", Integer.toString(clusterPorts.get(i)),
            "GAUNTLET_CLUSTER_LEASE_SECONDS", Integer.toString(LEASE_SECONDS)));
        nodes.add(new GauntletProcess(data, env).named("node" + i).jvm("-Xmx384m"));
      }
      // all three at once: the first to take the app database's start-up lock creates the admin and the salt
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> start(nodes.get(0)));
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> start(nodes.get(1)));
      start(nodes.get(2));
      first.join();
      second.join();
      GauntletProcess a = nodes.get(0);
      GauntletProcess b = nodes.get(1);
      GauntletProcess c = nodes.get(2);
      String admin = a.adminToken();

      // three users, each first seen by a different node, then used through all three
      List<String> tokens = new ArrayList<>();
      List<String> generators = new ArrayList<>();
      for (int u = 0; u < 3; u++) {
        String token = nodes.get(u).newUser(admin, "member" + u);
        tokens.add(token);
        generators.add(nodes.get(u).post("/api/v1/generators", token, new JsonObject().put("name", "fake").put("type", "openai_chat")
            .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m").put("max_retries", 0)))
            .json().getString("id"));
        for (GauntletProcess node : nodes) {
          JsonArray items = node.get("/api/v1/generators", token).json().getJsonArray("items");
          assertEquals(1, items.size(), "node " + nodes.indexOf(node) + " sees member" + u + "'s one generator");
        }
      }
      // memory health is the cluster's from every node: each node holds one user's memory, and each is named
      for (GauntletProcess node : nodes) {
        JsonObject health = node.get("/api/v1/admin/memory-health", admin).json();
        assertEquals(3, health.getLong("open_connections"), "each user's memory is open on exactly one node: " + health.encode());
        JsonArray perNode = health.getJsonArray("nodes");
        assertEquals(3, perNode.size(), health.encode());
        assertEquals(0, health.getJsonArray("unanswered_nodes").size(), health.encode());
        assertEquals(1, perNode.stream().filter(n -> ((JsonObject) n).getBoolean("self")).count(), health.encode());
        for (Object n : perNode) {
          assertTrue(((JsonObject) n).getLong("open_connections") >= 1, "every node holds a user's memory: " + health.encode());
          assertEquals(0, ((JsonObject) n).getLong("switch_events"), health.encode());
        }
      }
      // closing all from one node closes every node's; the memories reopen where they are next used
      JsonObject closed = c.post("/api/v1/admin/memory/close-all", admin, null).json();
      assertEquals(3, closed.getJsonArray("nodes").stream().mapToLong(n -> ((JsonObject) n).getLong("closed")).sum(), closed.encode());
      assertEquals(0, a.get("/api/v1/admin/memory-health", admin).json().getLong("open_connections"));

      // a generator limited to 2 a second, driven by executions launched on all three nodes at once
      String paced = a.post("/api/v1/generators", tokens.get(0), new JsonObject().put("name", "paced").put("type", "openai_chat")
          .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m").put("max_retries", 0)
              .put("requests_per_minute", PER_MINUTE))).json().getString("id");
      // first a few unpaced prompts through every node, so no node's first connection is what the window measures
      List<String> warmRuns = new ArrayList<>();
      for (GauntletProcess node : nodes) {
        String orchestrator = orchestrator(node, tokens.get(0), generators.get(0), "warm " + nodes.indexOf(node), 4, "warm");
        warmRuns.add(node.post("/api/v1/orchestrators/" + orchestrator + "/executions", tokens.get(0), null).json().getString("id"));
      }
      for (String id : warmRuns) {
        awaitFinished(a, tokens.get(0), id, 60);
      }
      fake.reset();
      fake.latency(20);
      List<String> pacedRuns = new ArrayList<>();
      for (GauntletProcess node : nodes) {
        String orchestrator = orchestrator(node, tokens.get(0), paced, "paced " + nodes.indexOf(node), 12, "paced");
        pacedRuns.add(node.post("/api/v1/orchestrators/" + orchestrator + "/executions", tokens.get(0), null).json().getString("id"));
      }
      for (String id : pacedRuns) {
        awaitFinished(a, tokens.get(0), id, 90);
      }
      List<Long> arrivals = fake.arrivals().stream().sorted().toList();
      assertEquals(36, arrivals.size(), "every paced prompt was sent once");
      int windowSeconds = 10;
      // within one bucket refill: what the window allows and its one token, plus up to three slots whose sends a
      // loaded machine delayed into the window (unlimited, three nodes would send 60 in it)
      long allowed = (long) PER_MINUTE * windowSeconds / 60 + 4;
      long most = mostInWindow(arrivals, windowSeconds * 1000L);
      double seconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1000.0;
      System.out.printf("cluster pace: 36 requests from 3 nodes in %.1f s, at most %d in any %d s (limit %d/min)%n",
          seconds, most, windowSeconds, PER_MINUTE);
      assertTrue(most <= allowed, most + " requests in " + windowSeconds + " s, above " + PER_MINUTE + "/min");

      // a generator allowed 3 requests in flight, driven from all three nodes at concurrency 8 each
      String narrow = a.post("/api/v1/generators", tokens.get(2), new JsonObject().put("name", "narrow").put("type", "openai_chat")
          .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m").put("max_retries", 0)
              .put("max_concurrency", 3))).json().getString("id");
      fake.reset();
      fake.latency(100);
      List<String> narrowRuns = new ArrayList<>();
      for (GauntletProcess node : nodes) {
        String o = orchestrator(node, tokens.get(2), narrow, "narrow " + nodes.indexOf(node), 20, "narrow");
        narrowRuns.add(node.post("/api/v1/orchestrators/" + o + "/executions", tokens.get(2), null).json().getString("id"));
      }
      for (String run : narrowRuns) {
        awaitFinished(a, tokens.get(2), run, 90);
      }
      System.out.printf("cluster concurrency: %d requests from 3 nodes, at most %d in flight at the target (limit 3)%n",
          fake.requests(), fake.maxInFlight());
      assertEquals(60, fake.requests());
      assertTrue(fake.maxInFlight() <= 3, fake.maxInFlight() + " requests in flight at once, above the generator's 3");

      // an execution runs on node b; b is killed; a or c takes it over
      fake.reset();
      fake.latency(20);
      fake.recording(true);
      String user = tokens.get(1);
      // a browser's socket on node a follows the execution running on node b
      BridgeSocket feed = BridgeSocket.connect(sockets, a.port, user);
      feed.send(new JsonObject().put("type", "register").put("address", "gauntlet.progress.member1"));
      String orchestrator = orchestrator(b, user, generators.get(1), "long", PROMPTS, "cluster prompt");
      String id = b.post("/api/v1/orchestrators/" + orchestrator + "/executions", user, null).json().getString("id");
      JsonObject progress = feed.next();
      assertTrue(progress != null && id.equals(progress.getJsonObject("body", new JsonObject()).getString("id")),
          "progress published on node b reaches a socket on node a: " + progress);
      feed.close();
      int doneBeforeKill = 0;
      while (doneBeforeKill < PROMPTS / 3) {
        Thread.sleep(50);
        doneBeforeKill = a.get("/api/v1/executions/" + id, user).json().getJsonObject("progress").getInteger("done");
      }
      b.kill();
      long killedAt = System.currentTimeMillis();
      long sentBeforeKill = fake.requests();
      assertTrue(doneBeforeKill < PROMPTS, "killed mid-run");

      JsonObject execution = awaitFinished(c, user, id, 90);
      long resumedAt = fake.arrivals().stream().filter(t -> t > killedAt).findFirst().orElse(-1L);
      assertEquals("completed_with_errors", execution.getString("status"), execution.encode()); // no scorer: unscored
      assertEquals(PROMPTS, execution.getJsonObject("progress").getInteger("done"));
      Set<Integer> indexes = new HashSet<>();
      for (int offset = 0; offset < PROMPTS; offset += 1000) {
        for (Object o : a.get("/api/v1/executions/" + id + "/results?limit=1000&offset=" + offset, user).json().getJsonArray("items")) {
          assertTrue(indexes.add(((JsonObject) o).getInteger("prompt_index")), "a prompt recorded twice: " + o);
        }
      }
      assertEquals(PROMPTS, indexes.size(), "every prompt has exactly one result");
      long resent = fake.requests() - PROMPTS;
      for (int i = 0; i < PROMPTS; i++) {
        assertTrue(fake.requestsFor("cluster prompt " + i) >= 1, "prompt " + i + " was sent");
      }
      System.out.printf("cluster fail-over: %d committed before the kill, %d sent; %d re-sent; first request after the kill %.1f s"
          + " after it (lease %d s)%n", doneBeforeKill, sentBeforeKill, resent, (resumedAt - killedAt) / 1000.0, LEASE_SECONDS);
      assertTrue(resent <= sentBeforeKill - doneBeforeKill, "re-sent " + resent + ", but only "
          + (sentBeforeKill - doneBeforeKill) + " were uncommitted at the kill");
      String takenOver = a.output() + c.output();
      assertTrue(takenOver.contains("taking over execution " + id), "a surviving node took the execution over");

      // one file per user, whoever served them; no node ever tried another path
      long files;
      try (var list = Files.list(data.resolve("memory"))) {
        files = list.filter(p -> p.getFileName().toString().endsWith(".db")).count();
      }
      assertEquals(3, files, "memory files = users");
      for (GauntletProcess node : List.of(a, c)) {
        JsonObject health = node.get("/api/v1/admin/memory-health", admin).json();
        assertEquals(0, health.getLong("switch_events"), health.encode());
        assertEquals(0, health.getJsonArray("orphans").size(), health.encode());
        // the killed node has left: the two survivors answer, and neither refused a switch
        assertEquals(2, health.getJsonArray("nodes").size(), health.encode());
        for (Object n : health.getJsonArray("nodes")) {
          assertEquals(0, ((JsonObject) n).getLong("switch_events"), health.encode());
        }
      }
      assertEquals(0, (a.output() + c.output()).split("memory switch refused", -1).length - 1);

      // sign-in attempts for one login spread over the two survivors: 10 a minute for the whole cluster, where two
      // nodes' own buckets (10 each) would refuse none of these 12
      int refused = 0;
      for (int i = 0; i < 12; i++) {
        GauntletProcess node = i % 2 == 0 ? a : c;
        int status = node.post("/api/v1/auth/token", null, new JsonObject().put("username", "guessed").put("password", "wrong " + i))
            .status();
        assertTrue(status == 401 || status == 429, "a wrong password is refused: " + status);
        refused += status == 429 ? 1 : 0;
      }
      assertTrue(refused >= 1, "the sign-in limit per login holds across nodes");
    } finally {
      for (GauntletProcess node : nodes) {
        node.close();
      }
      client.close();
    }
  }

  private static String orchestrator(GauntletProcess node, String token, String generator, String name, int prompts, String text)
      throws Exception {
    JsonArray list = new JsonArray();
    for (int i = 0; i < prompts; i++) {
      list.add(new JsonObject().put("value", text + " " + i));
    }
    String dataset = node.post("/api/v1/datasets", token, new JsonObject().put("name", name).put("prompts", list)).json().getString("id");
    return node.post("/api/v1/orchestrators", token, new JsonObject().put("name", name).put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset).put("concurrency", CONCURRENCY)))
        .json().getString("id");
  }

  private static JsonObject awaitFinished(GauntletProcess node, String token, String id, int seconds) throws Exception {
    JsonObject execution = null;
    for (int i = 0; i < seconds * 10; i++) {
      execution = node.get("/api/v1/executions/" + id, token).json();
      String status = execution.getString("status");
      if (status != null && !status.equals("queued") && !status.equals("running")) {
        return execution;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("execution " + id + " did not finish in " + seconds + " s: " + execution);
  }

  /** The most arrivals within any window of {@code millis}. */
  static long mostInWindow(List<Long> arrivals, long millis) {
    long most = 0;
    int from = 0;
    for (int to = 0; to < arrivals.size(); to++) {
      while (arrivals.get(to) - arrivals.get(from) >= millis) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }

  private static void start(GauntletProcess node) {
    try {
      node.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
