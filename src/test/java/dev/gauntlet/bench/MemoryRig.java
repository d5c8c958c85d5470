package dev.gauntlet.bench;

import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemoryVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An in-process Vert.x with the memory shards deployed as Main deploys them (worker
 * verticles, the product's configuration defaults) over a fresh temporary data directory,
 * which {@link #close} removes.
 */
final class MemoryRig implements AutoCloseable {

  final Vertx vertx;
  final MemoryClient client;
  final MemoryPaths paths;
  final int shards;
  private final Path dataDir;
  private final AtomicInteger switchEvents = new AtomicInteger();
  private final List<String> deployments = new ArrayList<>();

  /** {@code memory} holds memory.* settings by their environment names, e.g. GAUNTLET_MEMORY_DUCKDB_THREADS. */
  MemoryRig(int shards, Map<String, String> memory) throws Exception {
    this.shards = shards;
    dataDir = Files.createTempDirectory("gauntlet-bench-");
    Map<String, String> env = new HashMap<>(memory);
    env.put("GAUNTLET_DATA_DIR", dataDir.toString());
    env.put("GAUNTLET_MEMORY_SHARDS", Integer.toString(shards));
    GauntletConfig config = GauntletConfig.load(null, env);
    byte[] salt = new byte[32];
    new SecureRandom().nextBytes(salt);
    paths = new MemoryPaths(config.memory().dir(), salt);
    vertx = Vertx.vertx();
    MemoryClient.registerCodec(vertx);
    for (int i = 0; i < shards; i++) {
      deployments.add(await(vertx.deployVerticle(
          new MemoryVerticle(i, paths, config.memory(), (user, registered, attempted, origin) -> switchEvents.incrementAndGet()),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))));
    }
    client = new MemoryClient(vertx, shards);
  }

  MemoryOwner owner(String username) {
    return new MemoryOwner(username, paths.fileName(username));
  }

  /**
   * {@code count} usernames spread evenly over the shards (round robin by shard), so a
   * multi-user run loads every shard alike rather than trusting the hash of a few names.
   */
  List<String> usersSpreadOverShards(String prefix, int count) {
    List<List<String>> byShard = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      byShard.add(new ArrayList<>());
    }
    int perShard = (count + shards - 1) / shards;
    for (int i = 0; byShard.stream().mapToInt(List::size).sum() < perShard * shards; i++) {
      String name = prefix + i;
      List<String> bucket = byShard.get(client.shardOf(name));
      if (bucket.size() < perShard) {
        bucket.add(name);
      }
    }
    List<String> users = new ArrayList<>();
    for (int i = 0; users.size() < count; i++) {
      users.add(byShard.get(i % shards).get(i / shards));
    }
    return users;
  }

  long dataBytes() throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      for (String id : deployments) {
        await(vertx.undeploy(id));
      }
      await(vertx.close());
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (switchEvents.get() != 0) {
      throw new IllegalStateException(switchEvents.get() + " memory switch events during the benchmark");
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
  }
}
