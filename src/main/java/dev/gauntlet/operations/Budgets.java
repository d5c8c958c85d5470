package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ProviderBudgetStore;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.budget.ProviderBudget;
import dev.gauntlet.budget.ProviderBudgets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Provider budgets per endpoint host, an admin's to declare: kept in the app database and handed at
 * once to this process's {@link ProviderBudgets} (other processes on the same database read them
 * at their next sync). What remains of each today comes from the budgets in force.
 */
final class Budgets {

  private final Vertx vertx;
  private final ProviderBudgetStore store;

  Budgets(Vertx vertx, ProviderBudgetStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  Future<JsonObject> list(Caller c, JsonObject a) {
    return store.list().map(all -> {
      JsonArray items = new JsonArray();
      all.forEach(b -> items.add(withStatus(b)));
      return new JsonObject().put("items", items);
    });
  }

  Future<JsonObject> put(Caller c, JsonObject a) {
    ProviderBudget budget = ProviderBudget.from(a.getString("host"), a, c.username(), Instant.now().toString());
    return store.put(budget).compose(saved -> redefine().map(v -> withStatus(saved)));
  }

  Future<JsonObject> delete(Caller c, JsonObject a) {
    String host = ProviderBudget.host(a.getString("host"));
    return store.delete(host).compose(deleted -> deleted ? redefine().map(v -> new JsonObject().put("deleted", host))
        : Future.failedFuture(Problem.notFound("provider budget", host)));
  }

  /** This process enforces the stored budgets from now on; runs waiting for one re-check within a second. */
  private Future<Void> redefine() {
    return store.list().map(all -> {
      ProviderBudgets.of(vertx).define(all);
      return null;
    });
  }

  /** The stored budget with today's usage and what remains, as this process counts them. */
  private JsonObject withStatus(ProviderBudget b) {
    JsonObject out = b.toJson();
    for (Object s : ProviderBudgets.of(vertx).status()) {
      if (s instanceof JsonObject live && b.host().equals(live.getString("host"))) {
        out.put("day", live.getString("day")).put("used", live.getJsonObject("used")).put("remaining", live.getJsonObject("remaining"))
            .put("exhausted", live.getBoolean("exhausted"));
      }
    }
    if (!out.containsKey("used")) {
      out.put("used", null).put("remaining", null).put("exhausted", false);
    }
    return out;
  }

}
