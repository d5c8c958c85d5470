package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.operations.Operations;
import dev.gauntlet.orchestrator.Orchestrators;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.Probes;
import dev.gauntlet.scan.ScanPlan;
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
    JsonObject parsed;
    Problem bad = null;
    try {
      parsed = request(q);
    } catch (Problem p) {
      parsed = new JsonObject();
      bad = p; // shown where the plan would be, the form kept
    }
    JsonObject request = parsed;
    Future<JsonObject> list = ops.run("scans.list", caller, new JsonObject().put("limit", 50));
    Future<JsonObject> generators = ops.run("generators.list", caller, new JsonObject().put("limit", 100));
    Future<JsonObject> converters = ops.run("converters.list", caller, new JsonObject().put("limit", 100));
    Future<JsonObject> plan = bad != null ? Future.succeededFuture(new JsonObject().put("error", bad.getMessage()))
        : q.contains("plan") ? ops.run("scans.plan", caller, request)
        .recover(t -> Future.succeededFuture(new JsonObject().put("error", Problem.from(t).getMessage()))) : Future.succeededFuture();
    Future.all(list, generators, converters, plan).onFailure(ctx::fail).onSuccess(done -> {
      JsonArray gens = new JsonArray();
      JsonArray judges = new JsonArray();
      JsonArray attackers = new JsonArray();
      for (Object o : generators.result().getJsonArray("items", new JsonArray())) {
        JsonObject g = (JsonObject) o;
        String id = g.getString("id");
        gens.add(new JsonObject().put("id", id).put("name", g.getString("name"))
            .put("checked", q.getAll("generator_ids").contains(id))
            .put("price_in_field", PRICE_IN + id).put("price_in", q.get(PRICE_IN + id))
            .put("price_out_field", PRICE_OUT + id).put("price_out", q.get(PRICE_OUT + id)));
        judges.add(option(id, g.getString("name"), id.equals(q.get("judge_generator_id"))));
        attackers.add(option(id, g.getString("name"), id.equals(q.get("attacker_generator_id"))));
      }
      JsonArray chains = new JsonArray();
      for (int k = 1; k <= CHAINS; k++) {
        JsonArray steps = new JsonArray();
        for (int step = 1; step <= CHAIN_STEPS; step++) {
          String field = chainField(k, step);
          JsonArray options = new JsonArray();
          for (Object o : converters.result().getJsonArray("items", new JsonArray())) {
            JsonObject c = (JsonObject) o;
            options.add(option(c.getString("id"), c.getString("name") + " (" + c.getString("type") + ")",
                c.getString("id").equals(q.get(field))));
          }
          steps.add(new JsonObject().put("field", field).put("step", step).put("options", options));
        }
        chains.add(new JsonObject().put("chain", k).put("steps", steps));
      }
      JsonArray probes = new JsonArray();
      for (Probe p : Probes.all()) {
        probes.add(new JsonObject().put("id", p.id()).put("family", p.family()).put("description", p.description())
            .put("taxonomy", String.join(", ", p.taxonomy())).put("checked", q.getAll("probes").contains(p.id())));
      }
      JsonArray strategies = new JsonArray();
      for (TypeSpec<?> t : Orchestrators.catalog().all()) {
        // multi-turn ones need the attacker picked below; the plan says so when it is missing
        if (t.category() != null && (t.category().startsWith("single") || t.category().startsWith("multi"))) {
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
          .put("seed", q.get("seed")).put("name", q.get("name")).put("judges", judges).put("attackers", attackers)
          .put("converter_chains", chains).put("has_converters", !converters.result().getJsonArray("items", new JsonArray()).isEmpty())
          .put("chain_plain", "1".equals(q.get(CHAIN_PLAIN)));
      JsonObject p = plan.result();
      if (p != null && p.getString("error") != null) {
        data.put("plan_error", p.getString("error"));
      } else if (p != null) {
        JsonArray coverage = new JsonArray();
        p.getJsonObject("coverage").forEach(e -> coverage.add(new JsonObject().put("framework", e.getKey())
            .put("controls", String.join(", ", ((JsonArray) e.getValue()).stream().map(Object::toString).toList()))));
        // Run posts the form's own fields again, read by the same request(): chains and prices included
        JsonArray hidden = new JsonArray();
        q.forEach(e -> {
          if (!e.getKey().equals("plan") && !e.getValue().isBlank()) {
            hidden.add(new JsonObject().put("name", e.getKey()).put("value", e.getValue()));
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
    for (String name : List.of("preset", "name", "judge_generator_id", "attacker_generator_id")) {
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
    JsonArray chains = new JsonArray();
    for (int k = 1; k <= CHAINS; k++) {
      JsonArray ids = new JsonArray();
      for (int step = 1; step <= CHAIN_STEPS; step++) {
        String v = form.get(chainField(k, step));
        if (v != null && !v.isBlank()) {
          ids.add(v);
        }
      }
      if (!ids.isEmpty()) {
        chains.add(new JsonObject().put("converter_ids", ids));
      }
    }
    if (!chains.isEmpty()) {
      if ("1".equals(form.get(CHAIN_PLAIN))) {
        chains.add(0, new JsonObject().put("converter_ids", new JsonArray()));
      }
      a.put("converter_chains", chains);
    }
    JsonObject prices = new JsonObject();
    for (String name : form.names()) {
      if (name.startsWith(PRICE_IN) || name.startsWith(PRICE_OUT)) {
        String generator = name.substring(name.startsWith(PRICE_IN) ? PRICE_IN.length() : PRICE_OUT.length());
        String in = form.get(PRICE_IN + generator);
        String out = form.get(PRICE_OUT + generator);
        if ((in == null || in.isBlank()) && (out == null || out.isBlank())) {
          continue;
        }
        prices.put(generator, new JsonObject().put(ScanPlan.PRICE_IN, price(in, generator)).put(ScanPlan.PRICE_OUT, price(out, generator)));
      }
    }
    if (!prices.isEmpty()) {
      a.put("prices", prices);
    }
    return a;
  }

  /** How many converter chains the form offers, and steps per chain. */
  static final int CHAINS = 3;
  static final int CHAIN_STEPS = 3;
  /** The box that keeps a run without converters beside the chains. */
  static final String CHAIN_PLAIN = "chain_plain";
  /** Price fields: this prefix and the generator's id. */
  static final String PRICE_IN = "price_in_";
  static final String PRICE_OUT = "price_out_";

  static String chainField(int chain, int step) {
    return "chain" + chain + "_step" + step;
  }

  private static JsonObject option(String id, String name, boolean selected) {
    return new JsonObject().put("id", id).put("name", name).put("selected", selected);
  }

  /** A price per 1,000 tokens from a field: empty is 0, anything else must be a number of at least 0. */
  private static double price(String value, String generator) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      double d = Double.parseDouble(value.strip());
      if (d >= 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException notANumber) {
      // refused below
    }
    throw Problem.badRequest("invalid_field", "the price per 1,000 tokens for generator " + generator + " must be a number of at least 0");
  }
}
