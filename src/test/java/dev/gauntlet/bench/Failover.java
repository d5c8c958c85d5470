package dev.gauntlet.bench;

import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fail-over time after SIGKILL, on a cluster of real jars on loopback over one data directory:
 * a user's execution runs on node 1, which holds the user's memory too; node 1 is killed, and
 * the bench measures how long until the user's memory answers again through node 0, until the
 * execution's next request reaches the target (another node took it over), and until it has
 * finished. Flags: --nodes N (3), --prompts N (3000), --latency MS (20), --lease S (10),
 * --jar PATH, --dir DIR (a new temporary directory).
 */
public final class Failover {

  private static final String ADMIN_PASSWORD = "failover-admin-password";

  public static void main(String[] args) throws Exception {
    Flags flags = new Flags(args, List.of());
    int nodeCount = (int) flags.count("nodes", 3);
    int prompts = (int) flags.count("prompts", 3000);
    long latency = flags.count("latency", 20);
    long lease = flags.seconds("lease", 10);
    Path jar = flags.path("jar", Path.of("target/gauntlet.jar")).toAbsolutePath();
    Path dir = flags.path("dir", null);
    flags.checkAllRead();
    if (nodeCount < 2) {
      throw new IllegalArgumentException("--nodes must be at least 2: one is killed, another takes over");
    }
    dir = dir != null ? dir : Files.createTempDirectory("gauntlet-failover");
    Files.createDirectories(dir);
    List<Integer> clusterPorts = new ArrayList<>();
    List<Integer> httpPorts = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      clusterPorts.add(ChildJvm.freePort());
      httpPorts.add(ChildJvm.freePort());
    }
    String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    List<ChildJvm> nodes = new ArrayList<>();
    try (FakeOpenAi fake = new FakeOpenAi()) {
      fake.start(0);
      fake.latency(latency);
      for (int i = 0; i < nodeCount; i++) {
        ChildJvm node = ChildJvm.start("node" + i, List.of("@" + Path.of("jvm.options").toAbsolutePath()),
            List.of("-jar", jar.toString()), dir, Map.of("GAUNTLET_DATA_DIR", dir.resolve("data").toString(),
                "GAUNTLET_HTTP_HOST", "127.0.0.1", "GAUNTLET_HTTP_PORT", httpPorts.get(i).toString(),
                "GAUNTLET_ADMIN_PASSWORD", ADMIN_PASSWORD, "GAUNTLET_CLUSTER_ENABLED", "true", "GAUNTLET_CLUSTER_MEMBERS", members,
                "GAUNTLET_CLUSTER_PORT", clusterPorts.get(i).toString(), "GAUNTLET_CLUSTER_LEASE_SECONDS", Long.toString(lease)));
        nodes.add(node);
        // the first node creates the data directory and the admin; the others join it
        node.awaitReady("http://127.0.0.1:" + httpPorts.get(i) + "/ready", 180);
      }
      Rest admin = new Rest(httpPorts.get(0));
      admin.signIn("admin", ADMIN_PASSWORD);
      admin.post("/admin/users", new JsonObject().put("username", "failover").put("password", "failover-password")
          .put("roles", new JsonArray().add("user")), 201);
      // everything through node 1 first: it holds the user's memory and runs the execution
      Rest victim = new Rest(httpPorts.get(1));
      victim.signIn("failover", "failover-password");
      String generator = victim.create("generators", new JsonObject().put("name", "fake").put("type", "openai_chat")
          .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m").put("max_retries", 0)));
      JsonArray list = new JsonArray();
      for (int i = 0; i < prompts; i++) {
        list.add(new JsonObject().put("value", "failover prompt " + i));
      }
      String dataset = victim.create("datasets", new JsonObject().put("name", "failover").put("prompts", list));
      String orchestrator = victim.create("orchestrators", new JsonObject().put("name", "failover").put("type", "prompt_sending")
          .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset).put("concurrency", 8)));
      String id = victim.post("/orchestrators/" + orchestrator + "/executions", new JsonObject(), 202).getString("id");
      Rest survivor = new Rest(httpPorts.get(0));
      survivor.signIn("failover", "failover-password");
      while (survivor.get("/executions/" + id).getJsonObject("progress").getInteger("done") < prompts / 4) {
        Thread.sleep(50);
      }

      nodes.get(1).kill();
      long killed = System.currentTimeMillis();
      // what the dead process had already written reaches the fake within moments
      Thread.sleep(300);
      long settled = System.currentTimeMillis();
      survivor.get("/generators");
      double memorySeconds = (System.currentTimeMillis() - killed) / 1000.0;
      long resumed = -1;
      while (resumed < 0) {
        resumed = fake.arrivals().stream().filter(t -> t > settled).min(Long::compare).orElse(-1L);
        Thread.sleep(20);
      }
      JsonObject execution;
      do {
        Thread.sleep(100);
        execution = survivor.get("/executions/" + id);
      } while ("running".equals(execution.getString("status")) || "queued".equals(execution.getString("status")));
      double doneSeconds = (System.currentTimeMillis() - killed) / 1000.0;
      System.out.printf("fail-over after SIGKILL of the node running the execution and holding the memory (%d nodes, lease %d s):%n"
              + "  memory answers again through another node after %.1f s%n"
              + "  the execution's next request reaches the target after %.1f s%n"
              + "  the execution %s after %.1f s (%d prompts, %d requests: %d sent again)%n",
          nodeCount, lease, memorySeconds, (resumed - killed) / 1000.0, execution.getString("status"), doneSeconds, prompts,
          fake.requests(), fake.requests() - prompts);
    } finally {
      for (ChildJvm node : nodes) {
        node.close();
      }
    }
  }
}
