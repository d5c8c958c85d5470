package dev.gauntlet.orchestrator;

import dev.gauntlet.appdb.ProviderBudgetStore;
import dev.gauntlet.budget.LocalProviderBudgets;
import dev.gauntlet.budget.ProviderBudget;
import dev.gauntlet.budget.ProviderBudgets;
import dev.gauntlet.budget.RequestPacer;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that reaches its target host's daily tokens or spend pauses, not fails: it shows as paused
 * with the reason, sends nothing more, and once the admin raises the budget it carries on by itself
 * and ends with exactly one result per prompt. (The fake target reports 2 tokens per answer.)
 */
class ProviderBudgetPauseTest extends ExecutionRunnerFixture {

  ProviderBudgetStore store;
  LocalProviderBudgets budgets;

  void budget(JsonObject limits) {
    await(store.put(ProviderBudget.from("127.0.0.1", limits, "admin", Instant.now().toString())));
    budgets.define(await(store.list()));
  }

  void installBudgets() {
    store = new ProviderBudgetStore(db.pool(vertx));
    budgets = await(new LocalProviderBudgets(vertx, store, RequestPacer.local(vertx)).start(60_000));
    ProviderBudgets.install(vertx, budgets);
  }

  @Test
  void aRunThatUsesUpTheDaysTokensPausesWithTheReasonAndResumesWhenTheAdminRaisesIt() {
    pausesThenResumes(new JsonObject().put("tokens_per_day", 10), new JsonObject().put("tokens_per_day", 1000), "tokens per day");
  }

  @Test
  void aRunThatReachesTheSpendCapPausesWithTheReasonAndResumesWhenTheAdminRaisesIt() {
    JsonObject prices = new JsonObject().put("fake", new JsonObject().put("input_per_million", 1_000_000).put("output_per_million", 1_000_000));
    // $2 an answer: a $10 cap allows 5
    pausesThenResumes(new JsonObject().put("spend_cap_usd", 10).put("prices", prices),
        new JsonObject().put("spend_cap_usd", 100).put("prices", prices), "spend cap");
  }

  private void pausesThenResumes(JsonObject tight, JsonObject raised, String named) {
    fake = new FakeOpenAi(vertx);
    fake.start(0);
    installBudgets();
    try {
      budget(tight);
      // concurrency 1: the budget is asked before each prompt starts, so exactly 5 answers fit
      String execution = start(promptSending(openAi(), dataset(12, i -> "prompt " + i), 1,
          scorer("substring", new JsonObject().put("substrings", new io.vertx.core.json.JsonArray().add("sure")))));
      JsonObject[] last = new JsonObject[1];
      waitUntil(() -> "paused".equals((last[0] = status(execution)).getString("status"))
          && last[0].getJsonObject("progress").getInteger("done") == 5, 30_000);
      String reason = last[0].getString("paused_reason");
      assertTrue(reason != null && reason.contains("127.0.0.1") && reason.contains(named), "the reason names host and budget: " + last[0]);
      assertEquals(5, fake.requests(), "nothing is sent past the budget");
      assertEquals(5, last[0].getJsonObject("progress").getInteger("done"), "what was sent is committed");

      budget(raised);
      JsonObject end = awaitEnd(execution);
      assertEquals("completed", end.getString("status"), end.encode());
      assertOnePerPrompt(execution, 12);
      assertEquals(12, fake.requests(), "no prompt sent twice across the pause");
    } finally {
      ProviderBudgets.uninstall(vertx);
      await(budgets.close());
    }
  }
}
