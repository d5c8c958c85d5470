package dev.gauntlet.budget;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider budgets every generator draws from, whoever runs it: before each attempt a
 * generator {@link #acquire}s a request from its endpoint host's budget (waiting its turn under
 * the requests per minute), after an answer it reports what the answer {@link #consumed}, and
 * before each prompt an execution asks whether a host it uses is {@link #exhausted} (tokens per
 * day, spend cap), pausing with that reason until it is not.
 *
 * <p>One per Vert.x instance ({@link #install}, {@link #of}); none installed means no budgets (the
 * warm-up, unit tests). {@link LocalProviderBudgets} is this process's; a cluster installs one that
 * shares the pace across nodes (see {@link RequestPacer}).
 */
public interface ProviderBudgets {

  /** Completes when one more request to {@code host} may be sent now; never fails for want of budget. */
  Future<Void> acquire(String host);

  /** Whether {@code host} has a budget at all: when not, generators skip both calls. */
  boolean covers(String host);

  /** What an answer from {@code host} used; {@code model} picks its price. */
  void consumed(String host, String model, long inputTokens, long outputTokens);

  /** Why a run that sends to these hosts must wait now (a day's tokens or spend used up), or null. */
  String exhausted(Collection<String> hosts);

  /** Every budget with what remains of it today: what the admin page and API show. */
  JsonArray status();

  /** The admin changed the budgets: these are all of them now. */
  void define(List<ProviderBudget> budgets);

  /** At a stop: report what is still counted only here. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  ProviderBudgets NONE = new ProviderBudgets() {
    @Override
    public Future<Void> acquire(String host) {
      return Future.succeededFuture();
    }

    @Override
    public boolean covers(String host) {
      return false;
    }

    @Override
    public void consumed(String host, String model, long inputTokens, long outputTokens) {
    }

    @Override
    public String exhausted(Collection<String> hosts) {
      return null;
    }

    @Override
    public JsonArray status() {
      return new JsonArray();
    }

    @Override
    public void define(List<ProviderBudget> budgets) {
    }
  };

  /** The budgets of {@code vertx}'s generators from now on. */
  static void install(Vertx vertx, ProviderBudgets budgets) {
    Installed.BY_VERTX.put(vertx, budgets);
  }

  /** Takes them away again (at stop). */
  static void uninstall(Vertx vertx) {
    Installed.BY_VERTX.remove(vertx);
  }

  /** The budgets installed on {@code vertx}, or {@link #NONE}. */
  static ProviderBudgets of(Vertx vertx) {
    return vertx == null ? NONE : Installed.BY_VERTX.getOrDefault(vertx, NONE);
  }

  /** Holder of the installed instances (interfaces cannot have private fields). */
  final class Installed {
    private static final Map<Vertx, ProviderBudgets> BY_VERTX = new ConcurrentHashMap<>();

    private Installed() {}
  }
}
