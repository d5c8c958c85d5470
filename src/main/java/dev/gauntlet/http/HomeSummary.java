package dev.gauntlet.http;

import dev.gauntlet.auth.Caller;
import dev.gauntlet.operations.Operations;
import dev.gauntlet.verdict.stats.Proportion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Home shows above the memory's details: for a new user, the first steps and which are done
 * (a target, prompts, a first run, a first review), with the guided campaign one click away; for
 * everyone with runs, the attack success rate of each recent execution with its outcome counts,
 * linking to it. Read through the operations, as every page reads; handed to {@link Pages#home}
 * in the routing context.
 */
final class HomeSummary {

  static final String KEY = "home_summary";
  static final int RECENT = 5;

  private final Operations ops;

  HomeSummary(Operations ops) {
    this.ops = ops;
  }

  void prepare(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    JsonObject one = new JsonObject().put("limit", 1);
    Future<JsonObject> generators = ops.run("generators.list", caller, one);
    Future<JsonObject> datasets = ops.run("datasets.list", caller, one);
    Future<JsonObject> reviews = ops.run("reviews.list", caller, one);
    Future<JsonObject> executions = ops.run("executions.list", caller, new JsonObject().put("limit", RECENT));
    Future.all(generators, datasets, reviews, executions).compose(done -> {
      List<Future<JsonObject>> recent = new ArrayList<>();
      executions.result().getJsonArray("items").forEach(e -> recent.add(ops.run("executions.get", caller,
          new JsonObject().put("id", ((JsonObject) e).getString("id")))));
      return Future.all(recent).map(all -> {
        JsonArray steps = new JsonArray()
            .add(step("target", "Add a target to test", !empty(generators.result()), "/campaign"))
            .add(step("prompts", "Choose prompts (a built-in set or a probe pack)", !empty(datasets.result()), "/campaign"))
            .add(step("run", "Run a first campaign", !recent.isEmpty(), "/campaign"))
            .add(step("review", "Review a result by hand", !empty(reviews.result()), "/review"));
        boolean allDone = steps.stream().allMatch(s -> ((JsonObject) s).getBoolean("done"));
        JsonArray rates = new JsonArray();
        for (int i = 0; i < recent.size(); i++) {
          JsonObject listed = executions.result().getJsonArray("items").getJsonObject(i);
          rates.add(rate(recent.get(i).result().copy().put("orchestrator_name", listed.getString("orchestrator_name"))));
        }
        return new JsonObject().put("checklist", allDone ? null : steps).put("newcomer", recent.isEmpty())
            .put("rates", rates.isEmpty() ? null : rates);
      });
    }).onFailure(ctx::fail).onSuccess(summary -> {
      ctx.put(KEY, summary);
      ctx.next();
    });
  }

  private static boolean empty(JsonObject page) {
    return page.getJsonArray("items", new JsonArray()).isEmpty();
  }

  private static JsonObject step(String id, String text, boolean done, String href) {
    return new JsonObject().put("id", id).put("text", text).put("done", done).put("href", href);
  }

  /** One execution's rate, succeeded ÷ (succeeded + held), with its denominator, 95% interval and the other outcomes beside it. */
  static JsonObject rate(JsonObject execution) {
    JsonObject p = execution.getJsonObject("progress", new JsonObject());
    long succeeded = p.getLong("attack_succeeded", 0L);
    long held = p.getLong("held", 0L);
    Proportion rate = Proportion.of(succeeded, succeeded + held);
    JsonObject out = new JsonObject().put("id", execution.getString("id"))
        .put("name", execution.getString("orchestrator_name"))
        .put("status", execution.getString("status")).put("created_at", execution.getString("created_at"))
        .put("succeeded", succeeded).put("held", held).put("errors", p.getLong("error", 0L)).put("unscored", p.getLong("unscored", 0L))
        .put("judged", succeeded + held).put("done", p.getLong("done", 0L)).put("total", p.getLong("total", 0L));
    rate.rate().ifPresent(r -> out.put("rate", String.format(Locale.ROOT, "%.1f%%", 100 * r))
        .put("bar", String.format(Locale.ROOT, "%.0f", 100 * r)));
    rate.wilson().ifPresent(i -> out.put("interval", String.format(Locale.ROOT, "%.1f–%.1f%%", 100 * i.low(), 100 * i.high())));
    return out;
  }
}
