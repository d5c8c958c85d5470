package dev.gauntlet.budget;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.ProviderBudgetStore;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.Generator;
import dev.gauntlet.generator.GeneratorReply;
import dev.gauntlet.generator.GeneratorSpec;
import dev.gauntlet.generator.Generators;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host's requests-per-minute budget holds for every generator sending there, whoever owns it:
 * the fake target sees the requests of two users' generators, each allowed 1,000 a minute on its
 * own, spaced as the host's budget says, so no minute could see more than N.
 */
@ExtendWith(VertxExtension.class)
class ProviderBudgetPacingTest {

  private static final int N = 120;
  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1) / N;

  @TempDir
  Path dir;

  @Test
  void aHostBudgetOfNRequestsPerMinuteSpacesEveryGeneratorsRequestsSoNoMinuteSeesMoreThanN(Vertx vertx) {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    HttpServer target = await(vertx.createHttpServer().requestHandler(req -> {
      arrivals.add(System.nanoTime());
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("choices", new JsonArray()
          .add(new JsonObject().put("message", new JsonObject().put("role", "assistant").put("content", "ok")))).encode());
    }).listen(0, "127.0.0.1"));
    try (AppDatabase db = AppDatabase.open(dir.resolve("gauntlet.db"))) {
      ProviderBudgetStore store = new ProviderBudgetStore(db.pool(vertx));
      await(store.put(LocalProviderBudgetsTest.budget("127.0.0.1", new JsonObject().put("requests_per_minute", N))));
      LocalProviderBudgets budgets = await(new LocalProviderBudgets(vertx, store, RequestPacer.local(vertx)).start(60_000));
      ProviderBudgets.install(vertx, budgets);
      try {
        String base = "http://127.0.0.1:" + target.actualPort() + "/v1";
        List<Future<GeneratorReply>> sent = new ArrayList<>();
        for (String owner : List.of("alice", "bob")) {
          Generator g = Generators.create(vertx, new GeneratorSpec(owner + "-g", owner, "openai_chat", new JsonObject()
              .put("base_url", base).put("model", "m").put("requests_per_minute", 1000).put("max_concurrency", 16)));
          assertEquals("127.0.0.1", g.host());
          for (int i = 0; i < 6; i++) {
            sent.add(g.send(List.of(ChatMessage.user(owner + " prompt " + i))));
          }
        }
        for (Future<GeneratorReply> f : sent) {
          assertTrue(await(f).ok(), "every request is answered, in its turn");
        }
      } finally {
        ProviderBudgets.uninstall(vertx);
        await(budgets.close());
      }
      assertEquals(12, arrivals.size());
      List<Long> t = new ArrayList<>(arrivals);
      Collections.sort(t);
      // k requests need at least k - 1 intervals between the first and the last; half an interval of
      // slack for a request delayed on its way, which would only make two look closer than they were sent
      for (int i = 0; i < t.size(); i++) {
        for (int j = i + 1; j < t.size(); j++) {
          double intervals = (double) (t.get(j) - t.get(i)) / INTERVAL_NANOS;
          assertTrue(j - i <= intervals + 1.5, (j - i + 1) + " requests within " + intervals + " intervals of 60 s / " + N);
        }
      }
      assertEquals(12, await(store.usage(LocalProviderBudgets.today())).get("127.0.0.1").requests(),
          "every request counted against the host for the day");
    } finally {
      await(target.close());
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage(), f.cause() != null ? f.cause() : e);
    }
  }
}
