package dev.gauntlet.bench;

import dev.gauntlet.testing.FakeOpenAi;
import dev.gauntlet.testing.PostgresServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of 1, 2 and 3 cluster nodes on one machine: for each size, a fresh cluster of real
 * jars on loopback (Hazelcast TCP join, one shared data directory, one throwaway PostgreSQL app
 * database) runs the same load: several users, each with one execution of N prompts against a
 * zero-latency fake target in this process, every user configured and launched through a
 * different node (user i through node i mod size), so each node holds its users' memories and
 * runs their executions. A first, smaller round per user warms every node's JIT; the second round
 * is measured: prompts/s over all users, each node's CPU seconds, this process's (the fake
 * target and the polling) and the machine's load average before and after. On a machine with
 * fewer cores than nodes want, more nodes share the same CPU: the figures show what that costs.
 * Flags: --sizes 1,2,3, --users 6, --prompts 2000, --warmup 400, --concurrency 16, --jar PATH,
 * --dir DIR (a new temporary directory, deleted at the end unless given).
 */
public final class ClusterBench {

  private static final String ADMIN_PASSWORD = "cluster-bench-admin-password";

  public static void main(String[] args) throws Exception {
    Flags flags = new Flags(args, List.of());
    List<Integer> sizes = java.util.Arrays.stream(flags.text("sizes", "1,2,3").split(",")).map(String::trim).map(Integer::parseInt).toList();
    int users = (int) flags.count("users", 6);
    int prompts = (int) flags.count("prompts", 2000);
    int warmup = (int) flags.count("warmup", 400);
    int concurrency = (int) flags.count("concurrency", 16);
    Path jar = flags.path("jar", Path.of("target/gauntlet.jar")).toAbsolutePath();
    Path given = flags.path("dir", null);
    flags.checkAllRead();
    Path root = given != null ? Files.createDirectories(given) : Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-bench");
    // the bench's own copy: a build during the run must not change the jar under running nodes
    Path ownJar = Files.copy(jar, root.resolve("gauntlet.jar"));
    System.out.printf("cluster bench: %d users x %d prompts (after %d to warm up), concurrency %d each, zero-latency target,"
        + " %d cores, in %s%n", users, prompts, warmup, concurrency, Runtime.getRuntime().availableProcessors(), root);
    List<String> rows = new ArrayList<>();
    try (FakeOpenAi fake = new FakeOpenAi()) {
      fake.start(0, 2);
      fake.recording(false);
      for (int size : sizes) {
        rows.add(run(size, users, prompts, warmup, concurrency, ownJar, root.resolve("size" + size), fake));
      }
    } finally {
      if (given == null) {
        deleteTree(root);
      }
    }
    System.out.println();
    System.out.println("| nodes | prompts/s | CPU s per node | CPU s all nodes | CPU ms per prompt | bench + target CPU s | load average before → after |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    rows.forEach(System.out::println);
  }

  private static String run(int size, int users, int prompts, int warmup, int concurrency, Path jar, Path dir, FakeOpenAi fake)
      throws Exception {
    Files.createDirectories(dir);
    PostgresServer pg = PostgresServer.shared();
    Map<String, String> appDb = pg.env(pg.database("cluster_bench_" + size));
    List<Integer> clusterPorts = new ArrayList<>();
    List<Integer> httpPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clusterPorts.add(ChildJvm.freePort());
      httpPorts.add(ChildJvm.freePort());
    }
    String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    List<ChildJvm> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        Map<String, String> env = new HashMap<>(appDb);
        env.putAll(Map.of("GAUNTLET_DATA_DIR", dir.resolve("data").toString(), "GAUNTLET_HTTP_HOST", "127.0.0.1",
            "GAUNTLET_HTTP_PORT", httpPorts.get(i).toString(), "GAUNTLET_ADMIN_PASSWORD", ADMIN_PASSWORD,
            "GAUNTLET_CLUSTER_ENABLED", "true", "GAUNTLET_CLUSTER_MEMBERS", members,
            "GAUNTLET_CLUSTER_PORT", clusterPorts.get(i).toString()));
        ChildJvm node = ChildJvm.start("node" + i, List.of("@" + Path.of("jvm.options").toAbsolutePath(), "-Xmx512m"),
            List.of("-jar", jar.toString()), dir, env);
        nodes.add(node);
        node.awaitReady("http://127.0.0.1:" + httpPorts.get(i) + "/ready", 240);
      }
      Rest admin = new Rest(httpPorts.get(0));
      admin.signIn("admin", ADMIN_PASSWORD);
      List<Rest> clients = new ArrayList<>();
      List<String> generators = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        String name = "bench" + u;
        admin.post("/admin/users", new JsonObject().put("username", name).put("password", name + "-password")
            .put("roles", new JsonArray().add("user")), 201);
        Rest client = new Rest(httpPorts.get(u % size));
        client.signIn(name, name + "-password");
        clients.add(client);
        generators.add(client.create("generators", new JsonObject().put("name", "fake").put("type", "openai_chat")
            .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m").put("max_retries", 0))));
      }
      round(clients, generators, warmup, concurrency, "warm");
      double[] loadBefore = loadAverage();
      long[] cpuBefore = new long[size];
      for (int i = 0; i < size; i++) {
        cpuBefore[i] = nodes.get(i).cpuMillis();
      }
      long benchCpuBefore = ownCpuMillis();
      double seconds = round(clients, generators, prompts, concurrency, "measured");
      long benchCpu = ownCpuMillis() - benchCpuBefore;
      double[] loadAfter = loadAverage();
      List<String> perNode = new ArrayList<>();
      long allCpu = 0;
      for (int i = 0; i < size; i++) {
        long cpu = nodes.get(i).cpuMillis() - cpuBefore[i];
        allCpu += cpu;
        perNode.add(String.format("%.1f", cpu / 1000.0));
      }
      long total = (long) users * prompts;
      double rate = total / seconds;
      System.out.printf("%d node(s): %,d prompts in %.2f s = %,.0f prompts/s; CPU s per node %s (all %.1f, %.2f ms a prompt);"
              + " bench and target %.1f s; load average %.2f %.2f %.2f -> %.2f %.2f %.2f%n",
          size, total, seconds, rate, String.join(" / ", perNode), allCpu / 1000.0, (double) allCpu / total, benchCpu / 1000.0,
          loadBefore[0], loadBefore[1], loadBefore[2], loadAfter[0], loadAfter[1], loadAfter[2]);
      return String.format("| %d | %,.0f | %s | %.1f | %.2f | %.1f | %.2f → %.2f |", size, rate, String.join(" / ", perNode),
          allCpu / 1000.0, (double) allCpu / total, benchCpu / 1000.0, loadBefore[0], loadAfter[0]);
    } finally {
      for (ChildJvm node : nodes) {
        node.close();
      }
    }
  }

  /** Every user launches one execution of {@code prompts} through their node at once; the seconds until all have finished. */
  private static double round(List<Rest> clients, List<String> generators, int prompts, int concurrency, String label) throws Exception {
    List<String> orchestrators = new ArrayList<>();
    for (int u = 0; u < clients.size(); u++) {
      JsonArray list = new JsonArray();
      for (int i = 0; i < prompts; i++) {
        list.add(new JsonObject().put("value", label + " prompt " + u + "-" + i));
      }
      Rest client = clients.get(u);
      String dataset = client.create("datasets", new JsonObject().put("name", label).put("prompts", list));
      orchestrators.add(client.create("orchestrators", new JsonObject().put("name", label).put("type", "prompt_sending")
          .put("parameters", new JsonObject().put("generator_id", generators.get(u)).put("dataset_id", dataset)
              .put("concurrency", concurrency))));
    }
    long start = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int u = 0; u < clients.size(); u++) {
      ids.add(clients.get(u).post("/orchestrators/" + orchestrators.get(u) + "/executions", new JsonObject(), 202).getString("id"));
    }
    long end = 0;
    for (int u = 0; u < clients.size(); u++) {
      JsonObject execution;
      do {
        Thread.sleep(50);
        execution = clients.get(u).get("/executions/" + ids.get(u));
      } while ("running".equals(execution.getString("status")) || "queued".equals(execution.getString("status")));
      int done = execution.getJsonObject("progress").getInteger("done");
      if (done != prompts) {
        throw new IllegalStateException("execution " + ids.get(u) + " ended " + execution.getString("status") + " with " + done
            + " of " + prompts + " prompts done");
      }
      end = System.nanoTime();
    }
    return (end - start) / 1e9;
  }

  private static double[] loadAverage() throws Exception {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
  }

  private static long ownCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
