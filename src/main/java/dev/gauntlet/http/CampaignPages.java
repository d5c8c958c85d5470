package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.generator.Generators;
import dev.gauntlet.generator.Presets;
import dev.gauntlet.operations.Campaigns;
import dev.gauntlet.operations.Operations;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The guided first campaign, one server-rendered form a step and no script: target (a preset,
 * Test, saved) → prompts (built-in sets and probes first, typed prompts second) → converters
 * (one prompt previewed through the chain) → scorers (tried on a sample answer) → plan (counts,
 * cost) → run. What was chosen travels in the URL (the target once saved, so its key never does);
 * every read and write is an operation ({@code generators.try}, {@code campaigns.plan},
 * {@code campaigns.create}), as a script would call them.
 */
final class CampaignPages {

  static final List<String> STEPS = List.of("target", "prompts", "converters", "scorers", "plan");
  /** What the steps carry forward in the URL. */
  private static final List<String> STATE = List.of("generator_id", "source", "count", "converters", "scorers", "substrings",
      "sample_answer", "price_in", "price_out", "name", "scored", "helper_generator_id", "true_description");

  private final Pages pages;
  private final Operations ops;

  CampaignPages(Pages pages, Operations ops) {
    this.pages = pages;
    this.ops = ops;
  }

  // --- 1. target -------------------------------------------------------------------------------

  /** The presets, the user's own generators, and the chosen preset's form. */
  void targetStep(RoutingContext ctx) {
    String preset = ctx.queryParams().get("preset");
    Presets.Preset p = preset == null ? null : Presets.get(preset);
    targetPage(ctx, 200, p, p == null ? null : p.parameters(), p == null ? null : p.name(), null, null);
  }

  /** Test (the unsaved settings, shown beside the form) or Save and continue. */
  void saveTarget(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    Presets.Preset p = Presets.get(String.valueOf(form.get("preset")));
    if (p == null) {
      targetPage(ctx, 400, null, null, null, null, "Choose a provider first.");
      return;
    }
    JsonObject params;
    try {
      params = parameters(p.type(), form);
    } catch (Problem e) {
      targetPage(ctx, 400, p, null, form.get("target_name"), null, e.getMessage());
      return;
    }
    String name = form.get("target_name") == null || form.get("target_name").isBlank() ? p.name() : form.get("target_name").strip();
    Caller caller = Guard.caller(ctx);
    JsonObject value = new JsonObject().put("type", p.type()).put("parameters", params);
    if ("test".equals(form.get("action"))) {
      ops.run("generators.try", caller, new JsonObject().put("value", value).put("prompt", "Hello! Please answer in one short sentence."))
          .onSuccess(r -> targetPage(ctx, 200, p, params, name, r, null))
          .onFailure(t -> targetPage(ctx, status(t), p, params, name, null, Problem.from(t).getMessage()));
      return;
    }
    ops.run("generators.create", caller, new JsonObject().put("value", value.put("name", name)))
        .onSuccess(g -> ctx.response().setStatusCode(303).putHeader("Location", "/campaign/prompts?generator_id=" + g.getString("id")).end())
        .onFailure(t -> targetPage(ctx, status(t), p, params, name, null, Problem.from(t).getMessage()));
  }

  private void targetPage(RoutingContext ctx, int status, Presets.Preset preset, JsonObject values, String name, JsonObject tried,
                          String error) {
    ops.run("generators.list", Guard.caller(ctx), new JsonObject().put("limit", 100)).onFailure(ctx::fail).onSuccess(list -> {
      JsonArray presets = new JsonArray();
      Presets.all().forEach(x -> presets.add(x.toJson().put("selected", preset != null && x.id().equals(preset.id()))));
      JsonObject data = step(ctx, "target").put("presets", presets).put("generators", list.getJsonArray("items")).put("error", error);
      if (preset != null) {
        JsonArray essentials = new JsonArray();
        JsonArray advanced = new JsonArray();
        for (Param param : Generators.catalog().get(preset.type()).schema().params()) {
          JsonObject field = field(param, values == null ? null : values.getValue(param.name()), preset.placeholders().getString(param.name()));
          (preset.essentials().contains(param.name()) || param.isRequired() ? essentials : advanced).add(field);
        }
        data.put("preset", preset.toJson()).put("essentials", essentials).put("advanced", advanced).put("target_name", name);
      }
      if (tried != null) {
        data.put("tried", tried.copy().put("failed", !tried.getBoolean("ok", false)));
      }
      pages.render(ctx, status, "campaign", data);
    });
  }

  /** A parameter as the template draws it: its input's kind, the value shown, a hint. */
  private static JsonObject field(Param p, Object value, String placeholder) {
    String shown = value == null ? "" : value instanceof JsonObject o ? o.encode()
        : value instanceof JsonArray a ? String.join("\n", a.stream().map(String::valueOf).toList()) : String.valueOf(value);
    JsonObject f = new JsonObject().put("name", p.name()).put("required", p.isRequired()).put("description", p.toJson().getString("description"))
        .put("value", shown).put("placeholder", placeholder);
    switch (p.kind()) {
      case TEXT, OBJECT, SECRET_MAP, STRING_LIST, OBJECT_LIST -> f.put("textarea", true);
      case CHOICE -> f.put("choices", new JsonArray(p.choices().stream().map(c -> (Object) new JsonObject().put("value", c)
          .put("selected", c.equals(shown))).toList()));
      case BOOLEAN -> f.put("checkbox", true).put("checked", Boolean.TRUE.equals(value));
      case SECRET -> f.put("password", true);
      case INTEGER, NUMBER -> f.put("number", true).put("step", p.kind() == Param.Kind.INTEGER ? "1" : "any");
      default -> f.put("text", true);
    }
    return f;
  }

  /** The type's parameters from the form's fields, each read by its kind; a field that does not parse is a 400 naming it. */
  static JsonObject parameters(String type, MultiMap form) {
    JsonObject out = new JsonObject();
    for (Param p : Generators.catalog().get(type).schema().params()) {
      String v = form.get("p." + p.name());
      if (p.kind() == Param.Kind.BOOLEAN) {
        if (form.contains("p." + p.name() + ".shown")) {
          out.put(p.name(), v != null);
        }
        continue;
      }
      if (v == null || v.isBlank()) {
        continue;
      }
      String at = p.name();
      switch (p.kind()) {
        case INTEGER -> {
          try {
            out.put(p.name(), Long.parseLong(v.strip()));
          } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid_parameter", at + " must be a whole number");
          }
        }
        case NUMBER -> {
          try {
            out.put(p.name(), Double.parseDouble(v.strip()));
          } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid_parameter", at + " must be a number");
          }
        }
        case STRING_LIST -> out.put(p.name(), new JsonArray(v.lines().map(String::strip).filter(s -> !s.isEmpty()).map(s -> (Object) s).toList()));
        case OBJECT, SECRET_MAP -> {
          try {
            out.put(p.name(), new JsonObject(v));
          } catch (RuntimeException e) {
            throw Problem.badRequest("invalid_parameter", at + " must be a JSON object, e.g. {\"api-key\": \"...\"}");
          }
        }
        default -> out.put(p.name(), v);
      }
    }
    return Generators.catalog().validate(type, out);
  }

  // --- 2. prompts ------------------------------------------------------------------------------

  void prompts(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    Future<JsonObject> builtins = ops.run("datasets.builtin", caller, new JsonObject());
    Future<JsonObject> probes = ops.run("probes.list", caller, new JsonObject());
    Future<JsonObject> mine = ops.run("datasets.list", caller, new JsonObject().put("limit", 100));
    Future<JsonObject> target = chosenTarget(ctx);
    Future.all(builtins, probes, mine, target).onFailure(ctx::fail).onSuccess(done -> {
      String source = ctx.queryParams().get("source");
      JsonArray sets = new JsonArray();
      builtins.result().getJsonArray("items").forEach(o -> sets.add(choice((JsonObject) o, "builtin:", source)));
      JsonArray packs = new JsonArray();
      probes.result().getJsonArray("items").forEach(o -> packs.add(choice((JsonObject) o, "probe:", source)));
      JsonArray own = new JsonArray();
      mine.result().getJsonArray("items").forEach(o -> own.add(choice((JsonObject) o, "dataset:", source)));
      pages.render(ctx, 200, "campaign", step(ctx, "prompts").put("builtins", sets).put("probes", packs).put("datasets", own)
          .put("target", target.result()).put("hidden", hidden(ctx.queryParams(), "source", "count")));
    });
  }

  private static JsonObject choice(JsonObject item, String prefix, String chosen) {
    String value = prefix + item.getString("id");
    return item.copy().put("value", value).put("checked", value.equals(chosen));
  }

  /** Prompts typed in become a dataset of the user's, then the next step. */
  void typedPrompts(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    JsonArray prompts = new JsonArray();
    String text = form.get("typed");
    if (text != null) {
      text.lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(prompts::add);
    }
    // a default name of its own each time: names are unique per user
    JsonObject value = new JsonObject().put("name", form.get("typed_name") == null || form.get("typed_name").isBlank()
        ? "Typed prompts " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", java.util.Locale.ROOT)
            .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)) : form.get("typed_name").strip()).put("prompts", new JsonArray(prompts.stream()
        .map(p -> (Object) new JsonObject().put("value", p)).toList()));
    if (prompts.isEmpty()) {
      ctx.fail(Problem.badRequest("invalid_field", "type at least one prompt, one per line"));
      return;
    }
    ops.run("datasets.create", Guard.caller(ctx), new JsonObject().put("value", value)).onFailure(ctx::fail).onSuccess(d ->
        ctx.response().setStatusCode(303).putHeader("Location", "/campaign/converters?" + query(form, "source")
            + "&source=dataset:" + d.getString("id")).end());
  }

  // --- 3. converters, 4. scorers, 5. plan: each shows what campaigns.plan says of the choices so far

  void converters(RoutingContext ctx) {
    planned(ctx, "converters", data -> {
      JsonArray offered = new JsonArray();
      List<String> chosen = ctx.queryParams().getAll("converters");
      for (TypeSpec<?> t : CampaignChoices.converters()) {
        offered.add(new JsonObject().put("type", t.name()).put("category", t.category()).put("description", t.description())
            .put("checked", chosen.contains(t.name())).put("helper", Campaigns.needsHelper(t)));
      }
      data.put("offered", offered).put("hidden", hidden(ctx.queryParams(), "converters", "helper_generator_id"));
    });
  }

  void scorers(RoutingContext ctx) {
    List<String> chosen = ctx.queryParams().getAll("scorers");
    String described = ctx.queryParams().get("true_description");
    planned(ctx, "scorers", data -> data.put("refusal_checked", !ctx.queryParams().contains("scored") || chosen.contains("refusal"))
        .put("substring_checked", chosen.contains("substring"))
        .put("likert_checked", chosen.contains("likert")).put("self_ask_checked", chosen.contains("self_ask_true_false"))
        .put("true_description", described == null || described.isBlank() ? CampaignChoices.TRUE_DESCRIPTION : described)
        .put("substrings", ctx.queryParams().get("substrings")).put("sample_answer", ctx.queryParams().get("sample_answer"))
        .put("hidden", hidden(ctx.queryParams(), "scorers", "substrings", "sample_answer", "scored", "helper_generator_id", "true_description")));
  }

  void plan(RoutingContext ctx) {
    planned(ctx, "plan", data -> data.put("hidden", hidden(ctx.queryParams(), "price_in", "price_out", "name"))
        .put("run_hidden", hidden(ctx.queryParams(), "name")).put("price_in", ctx.queryParams().get("price_in"))
        .put("price_out", ctx.queryParams().get("price_out")).put("name", ctx.queryParams().get("name")));
  }

  /** Run: every part created under readable names, the execution started; its live page next. */
  void run(RoutingContext ctx) {
    ops.run("campaigns.create", Guard.caller(ctx), CampaignChoices.args(ctx.request().formAttributes())).onFailure(ctx::fail)
        .onSuccess(c -> ctx.response().setStatusCode(303).putHeader("Location", "/executions/" + c.getString("execution_id")).end());
  }

  private void planned(RoutingContext ctx, String step, java.util.function.Consumer<JsonObject> more) {
    Caller caller = Guard.caller(ctx);
    MultiMap q = ctx.queryParams();
    JsonObject args;
    try {
      args = CampaignChoices.args(q);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    Future<JsonObject> target = chosenTarget(ctx);
    // one prompt goes through the chain on the converters step only, and the sample answer is judged on the scorers step
    // only: an LLM converter or a judge sends a request to the helper generator each time
    JsonObject planArgs = args.copy().put("preview", step.equals("converters"));
    if (step.equals("scorers") && q.get("sample_answer") != null) {
      planArgs.put("sample_answer", q.get("sample_answer"));
    }
    Future<JsonObject> plan = ops.run("campaigns.plan", caller, planArgs)
        .recover(t -> t instanceof Problem p && p.status() < 500
            ? Future.succeededFuture(new JsonObject().put("error", p.getMessage())) : Future.failedFuture(t));
    Future<JsonObject> generators = ops.run("generators.list", caller, new JsonObject().put("limit", 100));
    Future.all(target, plan, generators).onFailure(ctx::fail).onSuccess(done -> {
      JsonArray helpers = helpers(generators.result().getJsonArray("items"), target.result(), q.get("helper_generator_id"));
      JsonObject data = step(ctx, step).put("target", target.result()).put("plan", plan.result()).put("helpers", helpers)
          .put("helper_name", helpers.stream().map(JsonObject.class::cast).filter(h -> h.getBoolean("selected"))
              .map(h -> h.getString("name")).findFirst().orElse(null))
          .put("source_label", CampaignChoices.sourceLabel(q.get("source")))
          .put("converter_chain", String.join(" → ", q.getAll("converters")));
      more.accept(data);
      pages.render(ctx, 200, "campaign", data);
    });
  }

  /** The generators a helper may be, the chosen one (the target by default) selected and the target said to be it. */
  static JsonArray helpers(JsonArray generators, JsonObject target, String chosen) {
    String selected = chosen == null || chosen.isBlank() ? target.getString("id") : chosen;
    JsonArray out = new JsonArray();
    for (Object o : generators) {
      JsonObject g = (JsonObject) o;
      boolean isTarget = g.getString("id").equals(target.getString("id"));
      out.add(new JsonObject().put("id", g.getString("id")).put("name", g.getString("name"))
          .put("label", g.getString("name") + (isTarget ? " (the target)" : "")).put("selected", g.getString("id").equals(selected)));
    }
    return out;
  }

  /** The target chosen at the first step (404 if it is not the user's). */
  private Future<JsonObject> chosenTarget(RoutingContext ctx) {
    String id = ctx.queryParams().get("generator_id");
    if (id == null || id.isBlank()) {
      return Future.failedFuture(Problem.badRequest("invalid_field", "choose a target first (step 1)"));
    }
    return ops.run("generators.get", Guard.caller(ctx), new JsonObject().put("id", id));
  }

  private JsonObject step(RoutingContext ctx, String current) {
    JsonArray steps = new JsonArray();
    int at = STEPS.indexOf(current);
    for (int i = 0; i < STEPS.size(); i++) {
      steps.add(new JsonObject().put("name", (i + 1) + ". " + STEPS.get(i)).put("current", i == at).put("done", i < at));
    }
    return pages.base(ctx, "New campaign", null).put("steps", steps).put("step_" + current, true)
        .put("query", query(ctx.queryParams()));
  }

  /** The carried state as hidden fields, but for the fields this step's form asks again. */
  static JsonArray hidden(MultiMap q, String... asked) {
    JsonArray out = new JsonArray();
    List<String> skip = List.of(asked);
    for (String name : STATE) {
      if (!skip.contains(name)) {
        q.getAll(name).forEach(v -> out.add(new JsonObject().put("name", name).put("value", v)));
      }
    }
    return out;
  }

  /** The carried state as a query string, but for {@code without}. */
  static String query(MultiMap q, String... without) {
    StringBuilder b = new StringBuilder();
    List<String> skip = List.of(without);
    for (String name : STATE) {
      if (!skip.contains(name)) {
        for (String v : q.getAll(name)) {
          b.append(b.length() == 0 ? "" : "&").append(name).append('=')
              .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    return b.toString();
  }

  private static int status(Throwable t) {
    int s = Problem.from(t).status();
    return s >= 500 ? 500 : s;
  }
}
