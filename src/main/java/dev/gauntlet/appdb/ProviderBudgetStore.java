package dev.gauntlet.appdb;

import dev.gauntlet.budget.ProviderBudget;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider budgets and what each host used per UTC day, in the app database, so every process on
 * it (every node of a cluster on one PostgreSQL) enforces the same budgets and sums one usage.
 */
public final class ProviderBudgetStore {

  /** What a host used on one day, summed over every process. */
  public record Usage(long requests, long tokens, double spendUsd) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage plus(Usage o) {
      return new Usage(requests + o.requests, tokens + o.tokens, spendUsd + o.spendUsd);
    }
  }

  private static final String COLUMNS = "host, requests_per_minute, tokens_per_day, spend_cap_usd, prices, updated_at, updated_by";
  private final Pool pool;

  public ProviderBudgetStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<ProviderBudget>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM provider_budgets ORDER BY host").execute().map(rs -> {
      List<ProviderBudget> out = new ArrayList<>();
      rs.forEach(r -> out.add(from(r)));
      return out;
    });
  }

  /** Creates or replaces the host's budget. */
  public Future<ProviderBudget> put(ProviderBudget b) {
    return pool.preparedQuery("INSERT INTO provider_budgets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (host) DO UPDATE SET "
            + "requests_per_minute = excluded.requests_per_minute, tokens_per_day = excluded.tokens_per_day, "
            + "spend_cap_usd = excluded.spend_cap_usd, prices = excluded.prices, updated_at = excluded.updated_at, "
            + "updated_by = excluded.updated_by")
        .execute(Tuple.of(b.host(), b.requestsPerMinute(), b.tokensPerDay(), b.spendCapUsd(), b.prices().encode(), b.updatedAt(),
            b.updatedBy()))
        .map(b);
  }

  /** Removes the host's budget; false when it had none. Its usage stays on record. */
  public Future<Boolean> delete(String host) {
    return pool.preparedQuery("DELETE FROM provider_budgets WHERE host = ?").execute(Tuple.of(host)).map(rs -> rs.rowCount() == 1);
  }

  /** Adds what this process counted since its last report to the day's row of each host. */
  public Future<Void> add(String day, Map<String, Usage> byHost) {
    List<Tuple> rows = new ArrayList<>();
    byHost.forEach((host, u) -> rows.add(Tuple.of(host, day, u.requests(), u.tokens(), u.spendUsd())));
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("INSERT INTO provider_budget_usage (host, day, requests, tokens, spend_usd) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (host, day) DO UPDATE SET requests = provider_budget_usage.requests + excluded.requests, "
            + "tokens = provider_budget_usage.tokens + excluded.tokens, spend_usd = provider_budget_usage.spend_usd + excluded.spend_usd")
        .executeBatch(rows).mapEmpty();
  }

  /** Every host's usage on {@code day}. */
  public Future<Map<String, Usage>> usage(String day) {
    return pool.preparedQuery("SELECT host, requests, tokens, spend_usd FROM provider_budget_usage WHERE day = ?").execute(Tuple.of(day))
        .map(rs -> {
          Map<String, Usage> out = new HashMap<>();
          rs.forEach(r -> out.put(r.getString(0), new Usage(number(r, 1).longValue(), number(r, 2).longValue(), number(r, 3).doubleValue())));
          return out;
        });
  }

  private static Number number(Row r, int i) {
    Object v = r.getValue(i);
    return v instanceof Number n ? n : 0;
  }

  private static ProviderBudget from(Row r) {
    return new ProviderBudget(r.getString(0), number(r, 1).intValue(), number(r, 2).longValue(), number(r, 3).doubleValue(),
        new JsonObject(r.getString(4)), r.getString(5), r.getString(6));
  }
}
