package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterFactory;
import dev.gauntlet.dataset.BuiltinDatasets;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.orchestrator.Resolver;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.probe.Probes;
import dev.gauntlet.scan.ScanPlan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A first campaign in one request: a target, prompts (a built-in set, a probe, a dataset of yours
 * or typed ones), a converter chain and scorers, planned ({@code campaigns.plan}: counts, tokens,
 * cost, one prompt through the chain, the scorers on a sample answer; nothing stored or sent) or
 * created ({@code campaigns.create}: every part saved under a readable name, the execution
 * started). LLM converters and judge scorers use one helper generator, the target unless another is
 * named. The guided pages call both, as a script would.
 */
public final class Campaigns {

  static final int ANSWER_TOKENS = 256;
  static final int MAX_TYPED_PROMPTS = 1000;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private final MemoryClient memory;
  private final Configurations configs;
  private final Datasets datasets;
  private final ProbesOps probes;
  private final Executions executions;
  private final Resolver resolver;

  Campaigns(MemoryClient memory, Configurations configs, Datasets datasets, ProbesOps probes, Executions executions, Resolver resolver) {
    this.resolver = resolver;
    this.memory = memory;
    this.configs = configs;
    this.datasets = datasets;
    this.probes = probes;
    this.executions = executions;
  }

  /** The parameters both operations take; plan alone reads the sample answer and prices. */
  static Param[] params() {
    return new Param[] {
        Param.string("name").describe("the campaign's name; each part is named after it (default: Campaign and the time)"),
        Param.string("generator_id").describe("the target: one of your generators (or give generator)"),
        Param.object("generator").describe("the target as a new generator: {name?, type, parameters}, e.g. from a preset"),
        Param.string("builtin_id").describe("prompts: a built-in dataset (datasets.builtin)"),
        Param.string("probe_id").describe("prompts: a probe's (probes.list); its detectors become scorers"),
        Param.integer("count").min(1).describe("how many of the probe's prompts (its default when absent)"),
        Param.string("dataset_id").describe("prompts: one of your datasets"),
        Param.strings("prompts").describe("prompts typed in, one per item"),
        Param.strings("converters").describe("converter types applied in this order, with their default parameters"),
        Param.objects("scorers").describe("scorers to create: each {type, parameters}; a judge's generator is the helper"),
        Param.string("helper_generator_id").describe("the generator LLM converters rewrite with and judge scorers judge with (default: the target)"),
        Param.bool("preview").defaultValue(true).describe("plan only: send the first prompt through the converters (an LLM converter asks the helper)"),
        Param.text("sample_answer").describe("plan only: an answer to try the scorers on"),
        Param.number("price_per_1k_input_tokens").min(0).describe("plan only: for the cost estimate"),
        Param.number("price_per_1k_output_tokens").min(0).describe("plan only: for the cost estimate"),
        Param.object("labels").describe("create only: labels for the execution (campaign=<name> is added)")};
  }

  /** Each argument of the right JSON type, else a 400 naming it (the handlers read them as such). */
  private static void checkTypes(JsonObject a) {
    for (String field : List.of("name", "generator_id", "helper_generator_id", "builtin_id", "probe_id", "dataset_id", "sample_answer")) {
      Args.optional(a, field);
      if (a.getValue(field) instanceof String s && s.isEmpty()) {
        a.remove(field);
      }
    }
    for (String field : List.of(ScanPlan.PRICE_IN, ScanPlan.PRICE_OUT)) {
      Object v = a.getValue(field);
      if (v != null && (!(v instanceof Number n) || n.doubleValue() < 0 || !Double.isFinite(n.doubleValue()))) {
        throw Problem.badRequest("invalid_field", "'" + field + "' must be a number of at least 0");
      }
    }
    if (a.getValue("preview") != null && !(a.getValue("preview") instanceof Boolean)) {
      throw Problem.badRequest("invalid_field", "'preview' must be true or false");
    }
    if (a.getValue("count") != null && !(a.getValue("count") instanceof Integer)) {
      throw Problem.badRequest("invalid_field", "'count' must be a whole number");
    }
    Args.labels(a);
  }

  /** Converter types a campaign offers: those that work with their defaults, LLM rewrites given the helper generator. */
  public static List<TypeSpec<ConverterFactory>> offeredConverters() {
    return CampaignParts.offeredConverters();
  }

  /** Whether a converter or scorer type rewrites or judges with the campaign's helper generator. */
  public static boolean needsHelper(TypeSpec<?> type) {
    return CampaignParts.needsHelper(type);
  }

  /** The helper generator, built for the caller when the campaign needs one (404 if it is not theirs), else none. */
  private Future<Resolver.Resolved> helper(Caller c, JsonObject a, List<String> converterTypes, List<JsonObject> scorers) {
    if (!CampaignParts.needHelper(converterTypes, scorers)) {
      return Future.succeededFuture(null);
    }
    String helper = CampaignParts.helperId(a);
    if (helper == null) {
      throw Problem.badRequest("invalid_field", "an LLM converter or a judge scorer needs a helper generator: give 'helper_generator_id'"
          + " or 'generator_id' (the target, which it defaults to)");
    }
    return resolver.resolve(c.owner(), ConfigKind.GENERATORS, helper);
  }

  Future<JsonObject> plan(Caller c, JsonObject a) {
    checkTypes(a);
    List<String> converterTypes = CampaignParts.converterTypes(a);
    List<JsonObject> asked = CampaignParts.scorerValues(a);
    String helperId = CampaignParts.helperId(a);
    List<JsonObject> scorers = asked.stream().map(s -> CampaignParts.helped(s, helperId)).toList();
    Future<Resolver.Resolved> helper = helper(c, a, converterTypes, asked);
    Future<List<String>> texts = helper.compose(h -> promptTexts(c.owner(), a));
    return texts.compose(prompts -> {
      Resolver.Resolved context = helper.result();
      List<Converter> chain = CampaignParts.chain(converterTypes, helperId, context);
      long in = 0;
      for (String p : prompts) {
        in += Math.max(1, p.length() / 4);
      }
      long out = (long) prompts.size() * ANSWER_TOKENS;
      JsonObject plan = new JsonObject().put("prompts", prompts.size()).put("requests", prompts.size())
          .put("converters", new JsonArray(converterTypes)).put("helper_generator_id", context == null ? null : helperId)
          .put("scorers", new JsonArray(scorers.stream().map(s -> s.getString("type")).toList()))
          .put("input_tokens", in).put("output_tokens", out).put("answer_tokens", ANSWER_TOKENS);
      if (a.getValue(ScanPlan.PRICE_IN) instanceof Number pi && a.getValue(ScanPlan.PRICE_OUT) instanceof Number po) {
        plan.put("cost", Math.round((in / 1000.0 * pi.doubleValue() + out / 1000.0 * po.doubleValue()) * 1_000_000) / 1_000_000.0);
      } else {
        plan.put("cost", "unknown");
      }
      if (a.getValue("probe_id") instanceof String probe) {
        plan.put("probe_detectors", new JsonArray(Probes.get(probe).detectors(0).stream().map(d -> d.name()).toList()));
      }
      Future<JsonObject> sample = prompts.isEmpty() || !a.getBoolean("preview", true) ? Future.succeededFuture(null)
          : CampaignParts.through(chain, prompts.get(0));
      return sample.compose(s -> CampaignParts.verdicts(scorers, a.getString("sample_answer"), prompts.isEmpty() ? null : prompts.get(0), context)
          .map(v -> plan.put("sample", s).put("verdicts", v)));
    });
  }

  Future<JsonObject> create(Caller c, JsonObject a) {
    checkTypes(a);
    MemoryOwner owner = c.owner();
    // everything a caller could get wrong is checked before anything is stored
    List<String> converterTypes = CampaignParts.converterTypes(a);
    List<JsonObject> asked = CampaignParts.scorerValues(a);
    promptSource(a);
    JsonObject generator = a.getValue("generator_id") == null ? generatorValue(a) : null;
    JsonObject out = new JsonObject();
    // what the campaign refers to must be the caller's, before anything is stored
    Future<?> own = Future.all(a.getValue("generator_id") == null ? Future.succeededFuture()
            : configs.get(owner, ConfigKind.GENERATORS, Args.string(a, "generator_id"), 0, 0),
        a.getValue("dataset_id") == null ? Future.succeededFuture() : configs.get(owner, ConfigKind.DATASETS, Args.string(a, "dataset_id"), 0, 0),
        a.getValue("helper_generator_id") == null ? Future.succeededFuture()
            : configs.get(owner, ConfigKind.GENERATORS, Args.string(a, "helper_generator_id"), 0, 0));
    return own.compose(checked -> uniqueName(owner, a.getString("name"))).compose(name -> {
      out.put("name", name);
      Future<String> target = generator == null ? configs.get(owner, ConfigKind.GENERATORS, Args.string(a, "generator_id"), 0, 0)
          .map(g -> g.getString("id"))
          : configs.create(owner, ConfigKind.GENERATORS, generator.copy().put("name", generator.getString("name", name + " · target")))
          .map(g -> g.getString("id"));
      return target.compose(gid -> {
        out.put("generator_id", gid);
        return dataset(c, a, name + " · prompts", out);
      }).compose(v -> {
        // LLM converters and judges use the helper: the one chosen, else the target
        String helper = a.getValue("helper_generator_id") instanceof String h ? h : out.getString("generator_id");
        List<JsonObject> scorers = asked.stream().map(s -> CampaignParts.helped(s, helper)).toList();
        Future<Void> chain = Future.succeededFuture();
        JsonArray converterIds = new JsonArray();
        for (int i = 0; i < converterTypes.size(); i++) {
          String type = converterTypes.get(i);
          String partName = name + " · " + (i + 1) + ". " + type;
          chain = chain.compose(x -> configs.create(owner, ConfigKind.CONVERTERS, new JsonObject().put("name", partName).put("type", type)
              .put("parameters", CampaignParts.converterParameters(type, helper))).map(cv -> {
                converterIds.add(cv.getString("id"));
                return null;
              }));
        }
        for (JsonObject s : scorers) {
          chain = chain.compose(x -> configs.create(owner, ConfigKind.SCORERS, s.copy().put("name", name + " · " + s.getString("type")))
              .map(sc -> {
                out.getJsonArray("scorer_ids").add(sc.getString("id"));
                return null;
              }));
        }
        return chain.map(x -> converterIds);
      }).compose(converterIds -> {
        out.put("converter_ids", converterIds);
        JsonObject params = new JsonObject().put("generator_id", out.getString("generator_id")).put("dataset_id", out.getString("dataset_id"));
        if (!converterIds.isEmpty()) {
          params.put("converter_ids", converterIds);
        }
        if (!out.getJsonArray("scorer_ids").isEmpty()) {
          params.put("scorer_ids", out.getJsonArray("scorer_ids"));
        }
        return configs.create(owner, ConfigKind.ORCHESTRATORS, new JsonObject().put("name", name).put("type", "prompt_sending")
            .put("parameters", params));
      }).compose(o -> {
        out.put("orchestrator_id", o.getString("id"));
        JsonObject labels = Args.labels(a) == null ? new JsonObject() : Args.labels(a).copy();
        labels.put("campaign", name);
        return executions.start(c, new JsonObject().put("orchestrator_id", o.getString("id")).put("labels", labels));
      }).map(e -> out.put("execution_id", e.getString("id")).put("status", e.getString("status")));
    });
  }

  /** The prompts' dataset: a built-in set copied, a probe's (with its detectors as scorers), one of yours, or the typed ones. */
  private Future<Void> dataset(Caller c, JsonObject a, String name, JsonObject out) {
    out.put("scorer_ids", new JsonArray());
    String source = promptSource(a);
    return switch (source) {
      case "builtin_id" -> datasets.create(c.owner(), name, "built-in set " + a.getString("builtin_id") + ", for campaign",
          builtin(a.getString("builtin_id"))).map(d -> {
            out.put("dataset_id", d.getString("id"));
            return null;
          });
      case "probe_id" -> probes.dataset(c, new JsonObject().put("probe_id", a.getString("probe_id")).put("count", a.getValue("count"))
          .put("name", name)).map(d -> {
            out.put("dataset_id", d.getString("dataset_id"));
            d.getJsonArray("scorer_ids").forEach(id -> out.getJsonArray("scorer_ids").add(id));
            return null;
          });
      case "dataset_id" -> configs.get(c.owner(), ConfigKind.DATASETS, a.getString("dataset_id"), 0, 0).map(d -> {
        out.put("dataset_id", d.getString("id"));
        return null;
      });
      default -> datasets.create(c.owner(), name, "typed in for a campaign", typed(a).stream()
          .map(t -> new SeedPrompt(t, List.of(), new JsonObject())).toList()).map(d -> {
            out.put("dataset_id", d.getString("id"));
            return null;
          });
    };
  }

  /** Which one prompt source the request names; none or several is a 400. */
  static String promptSource(JsonObject a) {
    List<String> given = new ArrayList<>();
    for (String k : List.of("builtin_id", "probe_id", "dataset_id", "prompts")) {
      if (a.getValue(k) != null) {
        given.add(k);
      }
    }
    if (given.size() != 1) {
      throw Problem.badRequest("invalid_field", "give exactly one source of prompts: builtin_id, probe_id, dataset_id or prompts"
          + (given.isEmpty() ? "" : " (got " + String.join(", ", given) + ")"));
    }
    String source = given.get(0);
    if (source.equals("probe_id")) {
      Probes.get(a.getString("probe_id"));
    } else if (source.equals("builtin_id")) {
      builtin(a.getString("builtin_id"));
    } else if (source.equals("prompts")) {
      typed(a);
    }
    return source;
  }

  private static List<SeedPrompt> builtin(String id) {
    if (BuiltinDatasets.all().stream().noneMatch(b -> b.id().equals(id))) {
      throw Problem.badRequest("invalid_field", "'builtin_id' must be one of "
          + BuiltinDatasets.all().stream().map(BuiltinDatasets.Builtin::id).toList());
    }
    return BuiltinDatasets.load(id);
  }

  private static List<String> typed(JsonObject a) {
    List<String> texts = Args.strings(a, "prompts", MAX_TYPED_PROMPTS).stream().filter(t -> !t.isBlank()).toList();
    if (texts.isEmpty()) {
      throw Problem.badRequest("invalid_field", "'prompts' holds no prompt that is not blank");
    }
    return texts;
  }

  private Future<List<String>> promptTexts(MemoryOwner owner, JsonObject a) {
    return switch (promptSource(a)) {
      case "builtin_id" -> Future.succeededFuture(builtin(a.getString("builtin_id")).stream().map(SeedPrompt::value).toList());
      case "probe_id" -> {
        Probe p = Probes.get(a.getString("probe_id"));
        int count = Args.bounded(a, "count", p.defaultCount(), 1, p.maxCount());
        yield Future.succeededFuture(p.prompts(count, 0).stream().map(SeedPrompt::value).toList());
      }
      case "dataset_id" -> memory.configs(owner).getDataset(a.getString("dataset_id"), 0, Integer.MAX_VALUE).map(d -> {
        List<String> out = new ArrayList<>();
        d.getJsonArray("prompts").forEach(p -> out.add(((JsonObject) p).getString("value")));
        return out;
      });
      default -> Future.succeededFuture(typed(a));
    };
  }

  private static JsonObject generatorValue(JsonObject a) {
    if (!(a.getValue("generator") instanceof JsonObject g)) {
      throw Problem.badRequest("invalid_field", "give the target: 'generator_id' (one of yours) or 'generator' ({type, parameters})");
    }
    JsonObject value = new JsonObject().put("type", g.getValue("type")).put("parameters", g.getValue("parameters", new JsonObject()));
    if (g.getValue("name") instanceof String n && !n.isBlank()) {
      value.put("name", n);
    }
    return value;
  }

  /** The name asked for (or Campaign and the time), with " (2)", " (3)"… when an orchestrator already has it. */
  private Future<String> uniqueName(MemoryOwner owner, String asked) {
    String base = asked == null || asked.isBlank() ? "Campaign " + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) : asked.strip();
    if (base.length() > 150) {
      throw Problem.badRequest("invalid_field", "'name' is longer than 150 characters");
    }
    return memory.configs(owner).list(ConfigKind.ORCHESTRATORS, 0, 10_000).map(list -> {
      Set<String> taken = new HashSet<>();
      list.getJsonArray("items").forEach(o -> taken.add(((JsonObject) o).getString("name", "").toLowerCase(Locale.ROOT)));
      String name = base;
      for (int n = 2; taken.contains(name.toLowerCase(Locale.ROOT)); n++) {
        name = base + " (" + n + ")";
      }
      return name;
    });
  }
}
