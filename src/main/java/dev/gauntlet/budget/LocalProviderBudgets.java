package dev.gauntlet.budget;

import dev.gauntlet.Metrics;
import dev.gauntlet.appdb.ProviderBudgetStore;
import dev.gauntlet.appdb.ProviderBudgetStore.Usage;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Provider budgets kept by this process over the app database: requests are paced here (or by
 * the {@link RequestPacer} given), while the day's tokens and spend are counted here and summed
 * in the app database every {@code syncMs}, each process adding what it counted and reading back
 * the total; the budgets themselves are read again at the same time. On one PostgreSQL database
 * every node thus sees every node's usage and an admin's change within one sync.
 */
public final class LocalProviderBudgets implements ProviderBudgets {

  private static final Logger LOG = Logger.getLogger(LocalProviderBudgets.class.getName());

  /** One host's budget and today's usage: what the store last said, plus what was counted here since. */
  private static final class Host {
    volatile ProviderBudget budget;
    String day;
    Usage stored = Usage.NONE;
    Usage pending = Usage.NONE;
    final List<Gauge> gauges = new java.util.ArrayList<>();

    Host(ProviderBudget budget, String day) {
      this.budget = budget;
      this.day = day;
    }

    synchronized Usage today() {
      return stored.plus(pending);
    }
  }

  private final Vertx vertx;
  private final ProviderBudgetStore store;
  private final RequestPacer pacer;
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();
  private long timer = -1;
  private boolean syncing;

  public LocalProviderBudgets(Vertx vertx, ProviderBudgetStore store, RequestPacer pacer) {
    this.vertx = vertx;
    this.store = store;
    this.pacer = pacer;
  }

  /** Reads the budgets and today's usage, then keeps them in step every {@code syncMs}. */
  public Future<LocalProviderBudgets> start(long syncMs) {
    return sync().map(v -> {
      timer = vertx.setPeriodic(syncMs, id -> sync());
      return this;
    });
  }

  /** Reports what is still counted here only, and stops syncing. */
  @Override
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return sync().eventually(() -> {
      hosts.values().forEach(h -> h.gauges.forEach(g -> Metrics.registry().remove(g)));
      return Future.succeededFuture();
    });
  }

  static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  @Override
  public boolean covers(String host) {
    return host != null && hosts.containsKey(host);
  }

  @Override
  public Future<Void> acquire(String host) {
    Host h = host == null ? null : hosts.get(host);
    if (h == null) {
      return Future.succeededFuture();
    }
    count(h, new Usage(1, 0, 0));
    int rpm = h.budget.requestsPerMinute();
    return rpm > 0 ? pacer.take(host, rpm) : Future.succeededFuture();
  }

  @Override
  public void consumed(String host, String model, long inputTokens, long outputTokens) {
    Host h = host == null ? null : hosts.get(host);
    if (h != null) {
      count(h, new Usage(0, inputTokens + outputTokens, h.budget.cost(model, inputTokens, outputTokens)));
    }
  }

  private static void count(Host h, Usage u) {
    synchronized (h) {
      rollOver(h);
      h.pending = h.pending.plus(u);
    }
  }

  /** A new UTC day starts from nothing (what was counted yesterday is still reported under yesterday). */
  private static void rollOver(Host h) {
    String day = today();
    if (!day.equals(h.day)) {
      h.day = day;
      h.stored = Usage.NONE;
    }
  }

  @Override
  public String exhausted(Collection<String> used) {
    for (String host : used) {
      Host h = hosts.get(host);
      if (h == null) {
        continue;
      }
      ProviderBudget b = h.budget;
      Usage u;
      synchronized (h) {
        rollOver(h);
        u = h.today();
      }
      if (b.tokensPerDay() > 0 && u.tokens() >= b.tokensPerDay()) {
        return "provider budget of " + host + ": " + u.tokens() + " of " + b.tokensPerDay() + " tokens per day used; "
            + "resumes when the day ends (00:00 UTC) or an admin raises the budget";
      }
      if (b.spendCapUsd() > 0 && u.spendUsd() >= b.spendCapUsd()) {
        return "provider budget of " + host + ": " + String.format(java.util.Locale.ROOT, "$%.4f of $%.2f", u.spendUsd(), b.spendCapUsd())
            + " spend cap per day used; resumes when the day ends (00:00 UTC) or an admin raises the budget";
      }
    }
    return null;
  }

  @Override
  public JsonArray status() {
    JsonArray out = new JsonArray();
    hosts.values().stream().sorted(java.util.Comparator.comparing(h -> h.budget.host())).forEach(h -> {
      ProviderBudget b = h.budget;
      Usage u = h.today();
      out.add(b.toJson().put("day", h.day).put("used", new JsonObject().put("requests", u.requests()).put("tokens", u.tokens())
              .put("spend_usd", round(u.spendUsd())))
          .put("remaining", new JsonObject()
              .put("tokens_per_day", b.tokensPerDay() > 0 ? Math.max(0, b.tokensPerDay() - u.tokens()) : null)
              .put("spend_usd", b.spendCapUsd() > 0 ? round(Math.max(0, b.spendCapUsd() - u.spendUsd())) : null))
          .put("exhausted", exhausted(List.of(b.host())) != null));
    });
    return out;
  }

  private static double round(double usd) {
    return Math.round(usd * 1e6) / 1e6;
  }

  @Override
  public synchronized void define(List<ProviderBudget> budgets) {
    Map<String, ProviderBudget> wanted = new HashMap<>();
    budgets.forEach(b -> wanted.put(b.host(), b));
    hosts.entrySet().removeIf(e -> {
      if (wanted.containsKey(e.getKey())) {
        return false;
      }
      e.getValue().gauges.forEach(g -> Metrics.registry().remove(g));
      return true;
    });
    wanted.forEach((host, b) -> {
      Host h = hosts.get(host);
      if (h != null) {
        h.budget = b;
      } else {
        Host fresh = new Host(b, today());
        fresh.gauges.addAll(gauges(fresh));
        hosts.put(host, fresh);
      }
    });
  }

  /** {@code gauntlet_provider_budget_remaining{host, budget}}: what is left of today's tokens and spend. */
  private static List<Gauge> gauges(Host h) {
    String host = h.budget.host();
    return List.of(
        Gauge.builder("gauntlet.provider.budget.remaining", h,
                x -> x.budget.tokensPerDay() > 0 ? Math.max(0, x.budget.tokensPerDay() - x.today().tokens()) : Double.NaN)
            .tags("host", host, "budget", "tokens_per_day").description("tokens left today (UTC) under the host's budget")
            .register(Metrics.registry()),
        Gauge.builder("gauntlet.provider.budget.remaining", h,
                x -> x.budget.spendCapUsd() > 0 ? Math.max(0, x.budget.spendCapUsd() - x.today().spendUsd()) : Double.NaN)
            .tags("host", host, "budget", "spend_usd").description("US dollars left today (UTC) under the host's spend cap")
            .register(Metrics.registry()),
        Gauge.builder("gauntlet.provider.budget.requests.per.minute", h, x -> x.budget.requestsPerMinute())
            .tags("host", host).description("the host's requests-per-minute budget (0: none)")
            .register(Metrics.registry()));
  }

  /**
   * Adds what was counted here to the store, then reads back every budget and today's totals. A
   * failed sync keeps the counts for the next one.
   */
  public Future<Void> sync() {
    if (syncing) {
      return Future.succeededFuture();
    }
    syncing = true;
    String day = today();
    Map<String, Map<String, Usage>> reports = new HashMap<>();
    hosts.forEach((host, h) -> {
      synchronized (h) {
        if (h.pending.requests() > 0 || h.pending.tokens() > 0 || h.pending.spendUsd() > 0) {
          reports.computeIfAbsent(h.day, d -> new HashMap<>()).put(host, h.pending);
          h.pending = Usage.NONE;
        }
      }
    });
    Future<Void> added = Future.succeededFuture();
    for (Map.Entry<String, Map<String, Usage>> r : reports.entrySet()) {
      added = added.compose(v -> store.add(r.getKey(), r.getValue()));
    }
    return added
        .recover(t -> {
          // not reported: counted again here, and reported with the next sync
          reports.forEach((d, byHost) -> byHost.forEach((host, u) -> {
            Host h = hosts.get(host);
            if (h != null && d.equals(h.day)) {
              synchronized (h) {
                h.pending = h.pending.plus(u);
              }
            }
          }));
          return Future.failedFuture(t);
        })
        .compose(v -> store.list())
        .compose(budgets -> {
          define(budgets);
          return store.usage(day);
        })
        .map(totals -> {
          hosts.forEach((host, h) -> {
            synchronized (h) {
              rollOver(h);
              if (h.day.equals(day)) {
                h.stored = totals.getOrDefault(host, Usage.NONE);
              }
            }
          });
          return (Void) null;
        })
        .onFailure(t -> LOG.log(Level.WARNING, "provider budgets could not be synced with the app database: " + t.getMessage()))
        .eventually(() -> {
          syncing = false;
          return Future.succeededFuture();
        });
  }
}
