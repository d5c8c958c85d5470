package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.catalog.Catalog;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterChain;
import dev.gauntlet.converter.ConverterContext;
import dev.gauntlet.converter.Converters;
import dev.gauntlet.generator.Generator;
import dev.gauntlet.generator.GeneratorSpec;
import dev.gauntlet.generator.Generators;
import dev.gauntlet.catalog.Secrets;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerContext;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds live generators, converters and scorers from a user's configuration: either read through
 * {@link MemoryClient} (so it can never choose a memory file), the configuration with every one it
 * refers to (an LLM converter's generator, a composite scorer's members) in one operation, or given
 * as an execution's snapshot. Instances are built in dependency order.
 */
public final class Resolver {

  /** Where the generators this resolver builds may connect. */
  public dev.gauntlet.generator.Egress egress() {
    return egress;
  }

  /** Where a configuration kind's types are declared. */
  public static Catalog<?> catalogOf(ConfigKind kind) {
    return switch (kind) {
      case GENERATORS -> Generators.catalog();
      case CONVERTERS -> Converters.catalog();
      case SCORERS -> Scorers.catalog();
      case ORCHESTRATORS -> Orchestrators.catalog();
      case DATASETS -> throw new IllegalArgumentException("datasets have no types");
    };
  }

  private final Vertx vertx;
  private final MemoryClient memory;
  private final SecretBox secrets;
  private final GeneratorPool generators;
  private final dev.gauntlet.generator.Egress egress;

  /** A resolver whose generators may reach anything but always-refused addresses: the warm-up's and tests'. */
  public Resolver(Vertx vertx, MemoryClient memory, SecretBox secrets, GeneratorPool generators) {
    this(vertx, memory, secrets, generators, dev.gauntlet.generator.Egress.open());
  }

  /** {@code egress}: where each owner's generators, LLM converters and judges may connect. */
  public Resolver(Vertx vertx, MemoryClient memory, SecretBox secrets, GeneratorPool generators,
                  dev.gauntlet.generator.Egress egress) {
    this.egress = egress;
    this.vertx = vertx;
    this.memory = memory;
    this.secrets = secrets;
    this.generators = generators;
  }

  /** A set of resolved parts for one owner. */
  public final class Resolved implements ConverterContext, ScorerContext {
    private final MemoryOwner owner;
    private final Map<String, JsonObject> configs = new HashMap<>();
    private final Map<String, Generator> builtGenerators = new HashMap<>();
    private final Map<String, Scorer> builtScorers = new HashMap<>();
    private final Set<String> building = new HashSet<>();

    Resolved(MemoryOwner owner) {
      this.owner = owner;
    }

    public JsonObject config(ConfigKind kind, String id) {
      JsonObject c = configs.get(kind.table() + "/" + id);
      if (c == null) {
        throw Problem.notFound(kind.singular(), id);
      }
      return c;
    }

    /** The endpoint hosts of every generator built here: whose provider budgets a run draws from. */
    public Set<String> hosts() {
      Set<String> out = new HashSet<>();
      builtGenerators.values().forEach(g -> {
        if (g.host() != null) {
          out.add(g.host());
        }
      });
      return out;
    }

    @Override
    public Generator generator(String id) {
      Generator g = builtGenerators.get(id);
      if (g == null) {
        throw Problem.notFound("generator", id);
      }
      return g;
    }

    @Override
    public Scorer scorer(String id) {
      Scorer built = builtScorers.get(id);
      if (built != null) {
        return built;
      }
      if (!building.add(id)) {
        throw Problem.badRequest("scorer_cycle", "scorer '" + id + "' refers to itself through its members");
      }
      JsonObject c = config(ConfigKind.SCORERS, id);
      var spec = Scorers.catalog().get(c.getString("type"));
      Scorer s = spec.factory().create(spec.schema().validate(c.getJsonObject("parameters")), this);
      building.remove(id);
      builtScorers.put(id, s);
      return s;
    }

    public Converter converter(String id) {
      JsonObject c = config(ConfigKind.CONVERTERS, id);
      var spec = Converters.catalog().get(c.getString("type"));
      return spec.factory().create(spec.schema().validate(c.getJsonObject("parameters")), this);
    }

    public Part<Generator> generatorPart(String id) {
      Generator g = generator(id);
      return new Part<>(g, g.identifier());
    }

    public Part<Scorer> scorerPart(String id) {
      JsonObject c = config(ConfigKind.SCORERS, id);
      return new Part<>(scorer(id), ScorerIdentity.of(c));
    }

    public List<Part<Converter>> converterParts(JsonArray ids) {
      List<Part<Converter>> out = new ArrayList<>();
      if (ids != null) {
        for (Object id : ids) {
          JsonObject c = config(ConfigKind.CONVERTERS, (String) id);
          out.add(new Part<>(converter((String) id), ConverterChain.identifier(c.getString("type"), c.getString("id"), c.getString("name"))));
        }
      }
      return out;
    }

    /**
     * What an orchestrator with these (validated) parameters attacks with, every part built from
     * this set: the target, the attacker, the converter chain, the scorers. Building them is what
     * validates them, so a launch does it once before anything is stored.
     */
    public AttackKit kit(String executionId, JsonObject params, JsonObject labels, JsonObject orchestratorIdentifier) {
      return new AttackKit(executionId,
          generatorPart(params.getString("generator_id")),
          params.getString("attacker_generator_id") == null ? null : generatorPart(params.getString("attacker_generator_id")),
          converterParts(params.getJsonArray("converter_ids")),
          scorerParts(params.getJsonArray("scorer_ids")),
          params.getString("objective_scorer_id") == null ? null : scorerPart(params.getString("objective_scorer_id")),
          params, labels, orchestratorIdentifier,
          params.getString("evaluator_generator_id") == null ? null : generatorPart(params.getString("evaluator_generator_id")));
    }

    public List<Part<Scorer>> scorerParts(JsonArray ids) {
      List<Part<Scorer>> out = new ArrayList<>();
      if (ids != null) {
        for (Object id : ids) {
          out.add(scorerPart((String) id));
        }
      }
      return out;
    }
  }

  /**
   * Reads a configuration and everything it refers to, transitively, in one memory operation,
   * then builds its generators.
   */
  public Future<Resolved> resolve(MemoryOwner owner, ConfigKind kind, String id) {
    return withReferences(owner, kind, id).compose(configs -> resolve(owner, configs));
  }

  /**
   * The stored configuration and everything it refers to, as {@code table/id} → row, read by the
   * owner's shard in one pass: what an execution's snapshot holds.
   */
  public Future<JsonObject> withReferences(MemoryOwner owner, ConfigKind kind, String id) {
    return memory.configs(owner).withReferences(kind, id, REFERENCES).map(reply -> reply.getJsonObject("configs"));
  }

  /**
   * Builds from configurations already in hand ({@code table/id} → row, as {@link
   * #withReferences} answers them, or as an execution's snapshot keeps them), reading nothing
   * from memory: an execution runs from what it was launched with.
   */
  public Future<Resolved> resolve(MemoryOwner owner, JsonObject configs) {
    Resolved r = new Resolved(owner);
    configs.forEach(e -> r.configs.put(e.getKey(), (JsonObject) e.getValue()));
    return buildGenerators(r).map(v -> r);
  }

  /**
   * Reads everything a configuration's parameters refer to, transitively, and builds its
   * generators: for an execution launched before executions kept their snapshot, which has its
   * orchestrator's parameters but not what they refer to. One memory operation per reference.
   */
  public Future<Resolved> resolveReferences(MemoryOwner owner, ConfigKind kind, String type, JsonObject params) {
    List<Future<JsonObject>> reads = new ArrayList<>();
    references(catalogOf(kind).get(type).schema(), params)
        .forEach((target, ids) -> ids.forEach(id -> reads.add(withReferences(owner, target, id))));
    return Future.all(reads).compose(all -> {
      JsonObject configs = new JsonObject();
      reads.forEach(f -> configs.mergeIn(f.result()));
      return resolve(owner, configs);
    });
  }

  /**
   * Which parameters of which type refer to which kind, for every catalog
   * ({@code {"scorers": {"composite": {"scorer_ids": "scorers"}}}}): what the shard follows to
   * read a configuration with its references, without knowing the catalogs.
   */
  static final JsonObject REFERENCES = referenceMap();

  private static JsonObject referenceMap() {
    JsonObject out = new JsonObject();
    for (ConfigKind kind : List.of(ConfigKind.GENERATORS, ConfigKind.CONVERTERS, ConfigKind.SCORERS, ConfigKind.ORCHESTRATORS)) {
      JsonObject byType = new JsonObject();
      for (TypeSpec<?> type : catalogOf(kind).all()) {
        JsonObject byParam = new JsonObject();
        for (Param p : type.schema().params()) {
          ConfigKind target = referenced(p.kind());
          if (target != null) {
            byParam.put(p.name(), target.table());
          }
        }
        if (!byParam.isEmpty()) {
          byType.put(type.name(), byParam);
        }
      }
      out.put(kind.table(), byType);
    }
    return out;
  }

  private Future<Void> buildGenerators(Resolved r) {
    List<Future<Void>> all = new ArrayList<>();
    for (Map.Entry<String, JsonObject> e : r.configs.entrySet()) {
      if (e.getKey().startsWith(ConfigKind.GENERATORS.table() + "/")) {
        JsonObject c = e.getValue();
        all.add(generators.get(r.owner, c, () -> build(c, r.owner)).map(g -> {
          r.builtGenerators.put(c.getString("id"), g);
          return null;
        }));
      }
    }
    return Future.all(all).mapEmpty();
  }

  private Generator build(JsonObject c, MemoryOwner owner) {
    var spec = Generators.catalog().get(c.getString("type"));
    JsonObject params = Secrets.open(spec.schema(), c.getJsonObject("parameters"), secrets);
    return spec.factory().create(vertx, new GeneratorSpec(c.getString("id"), c.getString("name"), c.getString("type"),
        spec.schema().validate(params), egress.gate(owner.username())));
  }

  /** All prompts of a dataset, in order. */
  public Future<List<String>> prompts(MemoryOwner owner, String datasetId) {
    return memory.configs(owner).getDataset(datasetId, 0, Integer.MAX_VALUE).map(d -> {
          List<String> out = new ArrayList<>();
          d.getJsonArray("prompts").forEach(p -> out.add(((JsonObject) p).getString("value")));
          return out;
        });
  }

  static ConfigKind referenced(Param.Kind kind) {
    return switch (kind) {
      case GENERATOR_ID -> ConfigKind.GENERATORS;
      case SCORER_ID, SCORER_IDS -> ConfigKind.SCORERS;
      case CONVERTER_IDS -> ConfigKind.CONVERTERS;
      case DATASET_ID -> ConfigKind.DATASETS;
      default -> null;
    };
  }

  static JsonObject identifier(String module, JsonObject config) {
    return new JsonObject().put("__type__", config.getString("type")).put("__module__", module)
        .put("id", config.getString("id")).put("name", config.getString("name"));
  }

  /** Ids referenced by a configuration's parameters, by kind, in declaration order. */
  public static Map<ConfigKind, Set<String>> references(ParamSchema schema, JsonObject params) {
    Map<ConfigKind, Set<String>> out = new HashMap<>();
    for (Param p : schema.params()) {
      ConfigKind target = referenced(p.kind());
      Object v = params.getValue(p.name());
      if (target == null || v == null) {
        continue;
      }
      for (Object ref : v instanceof JsonArray a ? a : new JsonArray().add(v)) {
        out.computeIfAbsent(target, k -> new LinkedHashSet<>()).add((String) ref);
      }
    }
    return out;
  }
}
