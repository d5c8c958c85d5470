package dev.gauntlet.bench;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.ExecutionIndex;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.config.MemoryConfig;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemoryVerticle;
import dev.gauntlet.orchestrator.OrchestratorClient;
import dev.gauntlet.orchestrator.OrchestratorVerticle;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Re-scoring benchmark: builds one user's memory with {@code --answers} answered prompts (an
 * execution whose target is {@link FakeOpenAi}, its pieces, scores and result rows committed
 * through the shard as a run commits them, see {@link StoredAnswers}), then
 * re-scores them {@code --runs} times with a substring, a regex and a refusal scorer, each run a
 * new job, and prints answers/s, time, scores written and the requests the fake target received
 * during the job (0: re-scoring sends nothing). The memory shard and the orchestrator run as in
 * the jar (a worker shard, the orchestrator on an event loop), in this process.
 */
public final class RescoreBench {

  public static void main(String[] args) throws Exception {
    Flags flags = new Flags(args, List.of("help"));
    if (flags.has("help")) {
      System.out.println("bench/rescore.sh [--answers 100k] [--runs 2] [--concurrency 64] [--dir DIR]");
      return;
    }
    int answers = (int) flags.count("answers", 100_000);
    int runs = (int) flags.count("runs", 2);
    int concurrency = (int) flags.count("concurrency", 64);
    Path dir = flags.path("dir", Files.createTempDirectory("gauntlet-rescore-bench"));
    flags.checkAllRead();

    Vertx vertx = Vertx.vertx();
    MemoryClient.registerCodec(vertx);
    OrchestratorVerticle.registerCodec(vertx);
    AppDatabase db = AppDatabase.open(dir.resolve("data/gauntlet.db"));
    ExecutionIndex index = new ExecutionIndex(db.pool(vertx));
    MemoryPaths paths = new MemoryPaths(dir.resolve("memory"), "bench-salt".getBytes(StandardCharsets.UTF_8));
    // the jar's defaults (conf.json): 256MB and 2 DuckDB threads per memory
    MemoryConfig config = new MemoryConfig(paths.dir(), "", 1, 8, 0, "256MB", 2);
    MemoryClient memory = new MemoryClient(vertx, 1);
    SecretBox secrets = SecretBox.load(SecretBox.generateKey(), dir.resolve("data/secret.key"));
    await(vertx.deployVerticle(new MemoryVerticle(0, paths, config, (u, r, a, o) -> { }),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index)));
    OrchestratorClient orchestrators = new OrchestratorClient(vertx);
    MemoryOwner owner = new MemoryOwner("bench", paths.fileName("bench"));
    FakeOpenAi fake = new FakeOpenAi();
    fake.start(0);
    try {
      long t0 = System.nanoTime();
      String generator = create(memory, owner, ConfigKind.GENERATORS, new JsonObject().put("name", "target").put("type", "openai_chat")
          .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake").put("max_retries", 0)
              .put("max_concurrency", concurrency)));
      String scorer = create(memory, owner, ConfigKind.SCORERS, new JsonObject().put("name", "first judge").put("type", "substring")
          .put("parameters", new JsonObject().put("substrings", new JsonArray().add("Sure"))));
      String orchestrator = create(memory, owner, ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "bench").put("type", "prompt_sending")
          .put("parameters", new JsonObject().put("generator_id", generator).put("objective", "bench").put("concurrency", concurrency)
              .put("scorer_ids", new JsonArray().add(scorer))));
      String execution = StoredAnswers.write(memory, owner, orchestrator, generator, scorer, answers, fake.baseUrl());
      System.out.printf(Locale.ROOT, "memory built: %,d prompts with their answers and one score each, committed through the shard's "
          + "execution path in batches of %,d, in %.1f s (the fake target received %,d requests)%n",
          answers, StoredAnswers.BATCH, (System.nanoTime() - t0) / 1e9, fake.requests());

      JsonArray rescorers = new JsonArray()
          .add(create(memory, owner, ConfigKind.SCORERS, new JsonObject().put("name", "substring").put("type", "substring")
              .put("parameters", new JsonObject().put("substrings", new JsonArray().add("Sure").add("story")))))
          .add(create(memory, owner, ConfigKind.SCORERS, new JsonObject().put("name", "regex").put("type", "regex")
              .put("parameters", new JsonObject().put("pattern", "question \\d+7\\b"))))
          .add(create(memory, owner, ConfigKind.SCORERS, new JsonObject().put("name", "refusal").put("type", "refusal")
              .put("parameters", new JsonObject())));
      for (int run = 1; run <= runs; run++) {
        long scoresBefore = scores(memory, owner);
        long requestsBefore = fake.requests();
        long start = System.nanoTime();
        String job = await(orchestrators.rescore(owner, execution, rescorers)).getString("id");
        long launched = System.nanoTime();
        JsonObject end = awaitEnd(() -> orchestrators.rescoreStatus(owner, job), 3_600);
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = end.getJsonObject("progress").getInteger("done");
        System.out.printf(Locale.ROOT, "run %d: %s, %,d answers x 3 scorers in %.2f s (launch, which freezes the answer list, %.0f ms): "
                + "%,.0f answers/s; %,d scores written; fake target requests during the job: %d%n",
            run, end.getString("status"), done, seconds, (launched - start) / 1e6, done / seconds,
            scores(memory, owner) - scoresBefore, fake.requests() - requestsBefore);
      }
    } finally {
      fake.close();
      await(vertx.close());
      db.close();
    }
  }

  private static String create(MemoryClient memory, MemoryOwner owner, ConfigKind kind, JsonObject body) {
    return await(memory.configs(owner).create(kind, kind.validate(body), dev.gauntlet.memory.ConfigNaming.NEXT_FREE)).getString("id");
  }

  private static long scores(MemoryClient memory, MemoryOwner owner) {
    return await(memory.file(owner).status()).getJsonObject("tables").getLong("ScoreEntries");
  }

  private static JsonObject awaitEnd(java.util.function.Supplier<Future<JsonObject>> status, long maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    while (System.nanoTime() < deadline) {
      JsonObject s = await(status.get());
      if (List.of("completed", "failed", "cancelled").contains(s.getString("status"))) {
        return s;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("not finished within " + maxSeconds + " s");
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(600, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no reply in time", e);
    }
  }
}
