package dev.gauntlet.budget;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.ProviderBudgetStore;
import dev.gauntlet.testing.AppDbBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provider budgets over the real app database: what two processes count adds up to one day's
 * usage both see, a day's tokens or spend used up stops new work with a reason naming the host, and
 * raising the budget lifts that.
 */
@ExtendWith(VertxExtension.class)
class LocalProviderBudgetsTest {

  @TempDir
  Path dir;

  AppDatabase db;

  /** The database these tests run on; {@link LocalProviderBudgetsOnPostgresTest} runs them on PostgreSQL. */
  AppDbBackend backend() {
    return AppDbBackend.SQLITE;
  }

  @BeforeEach
  void open() {
    db = backend().open(dir.resolve("gauntlet.db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage(), f.cause() != null ? f.cause() : e);
    }
  }

  static ProviderBudget budget(String host, JsonObject limits) {
    return ProviderBudget.from(host, limits, "admin", java.time.Instant.now().toString());
  }

  @Test
  void twoProcessesOnOneDatabaseShareOneDaysUsage(Vertx vertx) {
    ProviderBudgetStore store = new ProviderBudgetStore(db.pool(vertx));
    await(store.put(budget("api.example.com", new JsonObject().put("tokens_per_day", 1000))));
    LocalProviderBudgets a = await(new LocalProviderBudgets(vertx, store, RequestPacer.local(vertx)).start(60_000));
    LocalProviderBudgets b = await(new LocalProviderBudgets(vertx, store, RequestPacer.local(vertx)).start(60_000));
    assertTrue(a.covers("api.example.com") && b.covers("api.example.com"), "both read the budget from the database");

    await(a.acquire("api.example.com"));
    a.consumed("api.example.com", "m", 300, 200);
    await(b.acquire("api.example.com"));
    b.consumed("api.example.com", "m", 400, 99);
    assertNull(a.exhausted(Set.of("api.example.com")), "each alone is under 1000");
    await(a.sync());
    await(b.sync());
    await(a.sync());
    for (LocalProviderBudgets p : List.of(a, b)) {
      JsonObject used = p.status().getJsonObject(0).getJsonObject("used");
      assertEquals(999L, used.getLong("tokens"), "each sees both processes' tokens: " + used);
      assertEquals(2L, used.getLong("requests"));
      assertEquals(1L, p.status().getJsonObject(0).getJsonObject("remaining").getLong("tokens_per_day"));
    }
    String scrape = dev.gauntlet.Metrics.registry().scrape();
    assertTrue(scrape.contains("gauntlet_provider_budget_remaining{budget=\"tokens_per_day\",host=\"api.example.com\"} 1.0"),
        "what remains is on /metrics: " + scrape.lines().filter(l -> l.contains("provider_budget")).toList());
    b.consumed("api.example.com", "m", 1, 0);
    await(b.sync());
    await(a.sync());
    String reason = a.exhausted(Set.of("other.example.com", "api.example.com"));
    assertNotNull(reason, "1000 of 1000 tokens used");
    assertTrue(reason.contains("api.example.com") && reason.contains("1000 of 1000 tokens per day"), reason);
    assertNull(a.exhausted(Set.of("other.example.com")), "a host without a budget is never exhausted");

    // the admin raises it: both carry on once they read it
    await(store.put(budget("api.example.com", new JsonObject().put("tokens_per_day", 5000))));
    await(a.sync());
    assertNull(a.exhausted(Set.of("api.example.com")));
    await(a.close());
    await(b.close());
  }

  @Test
  void aSpendCapCountsEachModelAtItsPrice(Vertx vertx) {
    ProviderBudgetStore store = new ProviderBudgetStore(db.pool(vertx));
    JsonObject prices = new JsonObject()
        .put("big", new JsonObject().put("input_per_million", 10.0).put("output_per_million", 30.0))
        .put("*", new JsonObject().put("input_per_million", 1.0).put("output_per_million", 2.0));
    await(store.put(budget("llm.example.com", new JsonObject().put("spend_cap_usd", 0.05).put("prices", prices))));
    LocalProviderBudgets p = await(new LocalProviderBudgets(vertx, store, RequestPacer.local(vertx)).start(60_000));
    p.consumed("llm.example.com", "big", 1000, 1000);   // $0.01 + $0.03
    p.consumed("llm.example.com", "small", 1000, 1000); // $0.001 + $0.002
    assertEquals(0.043, p.status().getJsonObject(0).getJsonObject("used").getDouble("spend_usd"), 1e-9);
    assertNull(p.exhausted(Set.of("llm.example.com")));
    p.consumed("llm.example.com", "big", 1000, 0);     // $0.01 more: $0.053
    String reason = p.exhausted(Set.of("llm.example.com"));
    assertNotNull(reason);
    assertTrue(reason.contains("spend cap") && reason.contains("llm.example.com"), reason);
    await(p.sync());
    assertEquals(0.053, await(store.usage(LocalProviderBudgets.today())).get("llm.example.com").spendUsd(), 1e-9,
        "the spend is on record in the app database");
    await(p.close());
  }

  @Test
  void deletedBudgetsStopCountingAndBadBudgetsAreRefusedByName(Vertx vertx) {
    ProviderBudgetStore store = new ProviderBudgetStore(db.pool(vertx));
    await(store.put(budget("API.Example.com", new JsonObject().put("requests_per_minute", 60))));
    LocalProviderBudgets p = await(new LocalProviderBudgets(vertx, store, RequestPacer.local(vertx)).start(60_000));
    assertTrue(p.covers("api.example.com"), "hosts are matched in lower case");
    assertTrue(await(store.delete("api.example.com")));
    await(p.sync());
    assertTrue(p.status().isEmpty());
    assertTrue(!p.covers("api.example.com"));
    await(p.close());

    Problem noLimit = assertThrows(Problem.class, () -> budget("a.example", new JsonObject()));
    assertEquals(400, noLimit.status());
    Problem badHost = assertThrows(Problem.class, () -> budget("https://a.example/v1", new JsonObject().put("requests_per_minute", 1)));
    assertTrue(badHost.getMessage().contains("host"), badHost.getMessage());
    Problem negative = assertThrows(Problem.class, () -> budget("a.example", new JsonObject().put("tokens_per_day", -5)));
    assertTrue(negative.getMessage().contains("tokens_per_day"), negative.getMessage());
    Problem unpriced = assertThrows(Problem.class, () -> budget("a.example", new JsonObject().put("spend_cap_usd", 5)));
    assertTrue(unpriced.getMessage().contains("prices"), unpriced.getMessage());
    Problem notAPrice = assertThrows(Problem.class, () -> budget("a.example", new JsonObject().put("spend_cap_usd", 5)
        .put("prices", new JsonObject().put("*", new JsonObject().put("per_token", 1)))));
    assertTrue(notAPrice.getMessage().contains("per_token"), notAPrice.getMessage());
  }
}
