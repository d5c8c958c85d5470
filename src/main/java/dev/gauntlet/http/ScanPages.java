package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.operations.Operations;
import dev.gauntlet.orchestrator.Orchestrators;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.Probes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The scans pages, rendered on the server with no script: {@code /scans} lists scans and holds the
 * form (Plan shows the plan table with its counts, tokens, cost and controls, then Run starts it),
 * {@code /scans/:id} a scan's executions with links and its compliance report. Every read and
 * write goes through the operations registry, as the API does.
 */
final class ScanPages {

  private static final List<String> MULTI = List.of("probes", "generator_ids", "strategies");

  private final Pages pages;
  private final Operations ops;

  ScanPages(Pages pages, Operations ops) {
    this.pages = pages;
    this.ops = ops;
  }

  /** The list and the form; with {@code plan=1}, the plan of what the form asks. */
  void scans(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    MultiMap q = ctx.queryParams();
    JsonObject request = request(q);
    Future<JsonObject> list = ops.run("scans.list", caller, new JsonObject().put("limit", 50));
    Future<JsonObject> generators = ops.run("generators.list", caller, new JsonObject().put("limit", 100));
    Future<JsonObject> plan = q.contains("plan") ? ops.run("scans.plan", caller, request)
        .recover(t -> Future.succeededFuture(new JsonObject().put("error", Problem.from(t).getMessage()))) : Future.succeededFuture();
    Future.all(list, generators, plan).onFailure(ctx::fail).onSuccess(done -> {
      JsonArray gens = new JsonArray();
      for (Object o : generators.result().getJsonArray("items", new JsonArray())) {
        JsonObject g = (JsonObject) o;
        gens.add(new JsonObject().put("id", g.getString("id")).put("name", g.getString("name"))
            .put("checked", q.getAll("generator_ids").contains(g.getString("id"))));
      }
      JsonArray probes = new JsonArray();
      for (Probe p : Probes.all()) {
        probes.add(new JsonObject().put("id", p.id()).put("family", p.family()).put("description", p.description())
            .put("taxonomy", String.join(", ", p.taxonomy())).put("checked", q.getAll("probes").contains(p.id())));
      }
      JsonArray strategies = new JsonArray();
      for (TypeSpec<?> t : Orchestrators.catalog().all()) {
        if (t.category() != null && t.category().startsWith("single")) {
          strategies.add(new JsonObject().put("type", t.name()).put("description", t.description())
              .put("checked", q.getAll("strategies").contains(t.name())));
        }
      }
      JsonArray presets = new JsonArray();
      for (String p : List.of("quick", "owasp_llm_top10", "full")) {
        presets.add(new JsonObject().put("id", p).put("selected", p.equals(q.get("preset"))));
      }
      JsonObject data = pages.base(ctx, "Scans", null).put("scans", list.result().getJsonArray("items")).put("generators", gens)
          .put("probes", probes).put("strategies", strategies).put("presets", presets).put("count", q.get("count"))
          .put("seed", q.get("seed")).put("name", q.get("name"));
      JsonObject p = plan.result();
      if (p != null && p.getString("error") != null) {
        data.put("plan_error", p.getString("error"));
      } else if (p != null) {
        JsonArray coverage = new JsonArray();
        p.getJsonObject("coverage").forEach(e -> coverage.add(new JsonObject().put("framework", e.getKey())
            .put("controls", String.join(", ", ((JsonArray) e.getValue()).stream().map(Object::toString).toList()))));
        JsonArray hidden = new JsonArray();
        request.forEach(e -> {
          if (e.getValue() instanceof JsonArray values) {
            values.forEach(v -> hidden.add(new JsonObject().put("name", e.getKey()).put("value", String.valueOf(v))));
          } else {
            hidden.add(new JsonObject().put("name", e.getKey()).put("value", String.valueOf(e.getValue())));
          }
        });
        data.put("plan", p).put("coverage", coverage).put("hidden", hidden);
      }
      pages.render(ctx, 200, "scans", data);
    });
  }

  /** Run: the form's scan, then its page. */
  void run(RoutingContext ctx) {
    ops.run("scans.create", Guard.caller(ctx), request(ctx.request().formAttributes())).onFailure(ctx::fail)
        .onSuccess(scan -> ctx.response().setStatusCode(303).putHeader("Location", "/scans/" + scan.getString("id")).end());
  }

  /** One scan: its executions with live links, progress, and its compliance report. */
  void scan(RoutingContext ctx) {
    ops.run("scans.get", Guard.caller(ctx), new JsonObject().put("id", ctx.pathParam("id"))).onFailure(ctx::fail).onSuccess(scan -> {
      JsonArray executions = new JsonArray();
      for (Object o : scan.getJsonArray("executions", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        JsonObject labels = e.getJsonObject("labels", new JsonObject());
        JsonObject orchestrator = e.getJsonObject("orchestrator", new JsonObject());
        executions.add(new JsonObject().put("id", e.getString("id")).put("probe", labels.getString("probe"))
            .put("strategy", orchestrator.getString("type")).put("name", orchestrator.getString("name")).put("status", e.getString("status"))
            .put("progress", e.getJsonObject("progress", new JsonObject())));
      }
      pages.render(ctx, 200, "scan", pages.base(ctx, "Scan", null).put("scan", scan).put("executions", executions));
    });
  }

  /** A scan request from form fields: repeated fields as arrays, numbers as numbers, empty ones left out. */
  static JsonObject request(MultiMap form) {
    JsonObject a = new JsonObject();
    for (String name : MULTI) {
      List<String> values = form.getAll(name).stream().filter(v -> !v.isBlank()).toList();
      if (!values.isEmpty()) {
        a.put(name, new JsonArray(values.stream().map(v -> (Object) v).toList()));
      }
    }
    for (String name : List.of("preset", "name", "judge_generator_id")) {
      String v = form.get(name);
      if (v != null && !v.isBlank()) {
        a.put(name, v);
      }
    }
    for (String name : List.of("count", "seed")) {
      String v = form.get(name);
      if (v != null && v.matches("\\d{1,9}")) {
        a.put(name, Integer.parseInt(v));
      }
    }
    if (a.containsKey("probes")) {
      a.remove("preset");
    }
    return a;
  }
}
