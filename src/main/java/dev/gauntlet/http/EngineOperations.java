package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterChain;
import dev.gauntlet.dataset.BuiltinDatasets;
import dev.gauntlet.dataset.DatasetOps;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOp;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.orchestrator.OrchestratorRequest;
import dev.gauntlet.orchestrator.OrchestratorVerticle;
import dev.gauntlet.orchestrator.Resolver;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.scorer.ScoreResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static dev.gauntlet.http.ApiOperations.id;
import static dev.gauntlet.http.ApiOperations.page;

/**
 * The red-teaming engine's operations: executions, trying a generator, converter or scorer
 * out, and building datasets from built-in sets, other datasets and memory.
 */
final class EngineOperations {

  static final int MAX_PREVIEW = 100;
  static final int MAX_HISTORY = 50;
  static final int MAX_CHAIN = 10;
  private static final List<String> HISTORY_ROLES = List.of("system", "user", "assistant");

  private final Vertx vertx;
  private final MemoryClient memory;
  private final Resolver resolver;
  private final Configurations configurations;

  EngineOperations(Vertx vertx, MemoryClient memory, Resolver resolver, Configurations configurations) {
    this.vertx = vertx;
    this.memory = memory;
    this.resolver = resolver;
    this.configurations = configurations;
  }

  void register(ApiOperations ops) {
    ops.add("executions.start", Caller.WRITE, (c, a) -> orchestrator(OrchestratorRequest.Op.START, c.owner(),
        string(a, "orchestrator_id"), new JsonObject().put("labels", labels(a))));
    ops.add("executions.get", Caller.READ, (c, a) -> orchestrator(OrchestratorRequest.Op.STATUS, c.owner(), id(a), null));
    ops.add("executions.cancel", Caller.WRITE, (c, a) -> orchestrator(OrchestratorRequest.Op.CANCEL, c.owner(), id(a), null));
    ops.add("executions.resume", Caller.WRITE, (c, a) -> orchestrator(OrchestratorRequest.Op.RESUME, c.owner(), id(a), null));
    ops.add("executions.list", Caller.READ, (c, a) -> orchestratorExists(c, a.getValue("orchestrator_id"))
        .compose(v -> memory.call(c.owner(), MemoryOp.EXECUTION_LIST, page(a, 50).put("orchestrator_id", a.getValue("orchestrator_id")))));
    ops.add("executions.results", Caller.READ, (c, a) -> memory.call(c.owner(), MemoryOp.EXECUTION_RESULTS,
        page(a, 50).put("id", id(a))));
    ops.add("generators.test", Caller.WRITE, this::testGenerator);
    ops.add("converters.preview", Caller.READ, this::previewConverter);
    ops.add("converters.apply", Caller.WRITE, this::applyConverter);
    ops.add("scorers.test", Caller.READ, this::testScorer);
    ops.add("datasets.builtin", Caller.READ, (c, a) -> Future.succeededFuture(new JsonObject().put("items",
        new JsonArray(BuiltinDatasets.all().stream().map(b -> b.toJson()).toList()))));
    ops.add("datasets.import_builtin", Caller.WRITE, (c, a) -> {
      String builtin = string(a, "builtin_id");
      List<SeedPrompt> prompts = BuiltinDatasets.load(builtin);
      String name = a.getString("name", BuiltinDatasets.all().stream().filter(b -> b.id().equals(builtin)).findFirst()
          .map(BuiltinDatasets.Builtin::name).orElse(builtin));
      return createDataset(c.owner(), name, "built-in set " + builtin, prompts);
    });
    ops.add("datasets.combine", Caller.WRITE, this::combine);
    ops.add("datasets.transform", Caller.WRITE, this::transform);
    ops.add("datasets.derive", Caller.WRITE, this::derive);
  }

  Future<JsonObject> createDataset(MemoryOwner owner, String name, String description, List<SeedPrompt> prompts) {
    JsonArray values = new JsonArray();
    prompts.forEach(p -> values.add(p.toJson()));
    return configurations.create(owner, ConfigKind.DATASETS,
        new JsonObject().put("name", name).put("description", description).put("prompts", values))
        .map(d -> {
          d.remove("prompts");
          return d;
        });
  }

  private Future<JsonObject> orchestrator(OrchestratorRequest.Op op, MemoryOwner owner, String id, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(OrchestratorVerticle.ADDRESS, new OrchestratorRequest(op, owner, id, body),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(120_000))
        .map(m -> m.body()).recover(t -> Future.failedFuture(Problem.from(t)));
  }

  /** One answer to {@code prompt}, after the earlier turns of {@code messages} when a chat panel sends them. */
  private Future<JsonObject> testGenerator(Caller c, JsonObject a) {
    String prompt = string(a, "prompt");
    String id = id(a);
    List<ChatMessage> conversation = new ArrayList<>(history(a));
    conversation.add(ChatMessage.user(prompt));
    return resolver.resolve(c.owner(), ConfigKind.GENERATORS, id).compose(r -> r.generator(id).send(conversation))
        .map(reply -> new JsonObject().put("ok", reply.ok()).put("answer", reply.text()).put("error", reply.error().value())
            .put("status", reply.status()).put("latency_ms", reply.latencyMs()).put("attempts", reply.attempts())
            .put("detail", reply.detail()));
  }

  private static List<ChatMessage> history(JsonObject a) {
    Object v = a.getValue("messages");
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray arr) || arr.size() > MAX_HISTORY) {
      throw Problem.badRequest("invalid_field", "'messages' must be an array of at most " + MAX_HISTORY + " earlier turns");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      if (!(arr.getValue(i) instanceof JsonObject m) || !(m.getValue("content") instanceof String content)
          || !HISTORY_ROLES.contains(m.getValue("role"))) {
        throw Problem.badRequest("invalid_field", "messages[" + i + "] must be {\"role\": one of " + HISTORY_ROLES
            + ", \"content\": text}");
      }
      out.add(new ChatMessage(m.getString("role"), content));
    }
    return out;
  }

  /**
   * The converter (then each of {@code then}, in order) on each prompt: the original, the text
   * after every step, and the final text, side by side.
   */
  private Future<JsonObject> previewConverter(Caller c, JsonObject a) {
    List<String> prompts = strings(a, "prompts", MAX_PREVIEW);
    return chain(c, a).compose(steps -> {
      List<Future<JsonArray>> all = new ArrayList<>();
      prompts.forEach(p -> all.add(stepwise(steps, p)));
      return Future.join(all).transform(done -> {
        JsonArray items = new JsonArray();
        for (int i = 0; i < prompts.size(); i++) {
          Future<JsonArray> f = all.get(i);
          JsonObject item = new JsonObject().put("original", prompts.get(i));
          items.add(f.succeeded() ? item.put("converted", f.result().getString(f.result().size() - 1)).put("steps", f.result())
              : item.put("error", f.cause().getMessage()));
        }
        return Future.succeededFuture(new JsonObject().put("items", items));
      });
    });
  }

  /** Converts every prompt of a dataset (through the chain, as in preview) into a new dataset; any failure stores nothing. */
  private Future<JsonObject> applyConverter(Caller c, JsonObject a) {
    String datasetId = string(a, "dataset_id");
    List<String> ids = chainIds(a);
    return chain(c, a).compose(steps -> resolver.prompts(c.owner(), datasetId)
        .compose(prompts -> {
          Converter converter = ConverterChain.of(steps);
          List<Future<String>> all = new ArrayList<>();
          prompts.forEach(p -> all.add(converter.convert(p)));
          return Future.all(all).map(done -> {
            List<SeedPrompt> out = new ArrayList<>();
            all.forEach(f -> out.add(new SeedPrompt(f.result(), List.of(), new JsonObject())));
            return out;
          });
        })
        .compose(out -> createDataset(c.owner(), a.getString("name", "converted " + datasetId),
            "dataset " + datasetId + " through converter" + (ids.size() > 1 ? "s " : " ") + String.join(", ", ids), out)));
  }

  /** The path id followed by the optional {@code then} ids. */
  private static List<String> chainIds(JsonObject a) {
    List<String> ids = new ArrayList<>(List.of(id(a)));
    if (a.getValue("then") != null) {
      ids.addAll(strings(a, "then", MAX_CHAIN - 1));
    }
    return ids;
  }

  /** Each converter of the chain, resolved from the caller's own configurations. */
  private Future<List<Converter>> chain(Caller c, JsonObject a) {
    List<String> ids = chainIds(a);
    List<Future<Converter>> all = new ArrayList<>();
    ids.forEach(id -> all.add(resolver.resolve(c.owner(), ConfigKind.CONVERTERS, id).map(r -> r.converter(id))));
    return Future.all(all).map(done -> all.stream().map(Future::result).toList());
  }

  /** The text after each step of the chain; the first failing step fails it. */
  private static Future<JsonArray> stepwise(List<Converter> steps, String prompt) {
    JsonArray out = new JsonArray();
    Future<String> text = Future.succeededFuture(prompt);
    for (Converter step : steps) {
      text = text.compose(step::convert).onSuccess(out::add);
    }
    return text.map(last -> out);
  }

  private Future<JsonObject> testScorer(Caller c, JsonObject a) {
    String text = string(a, "text");
    String id = id(a);
    return resolver.resolve(c.owner(), ConfigKind.SCORERS, id)
        .compose(r -> r.scorer(id).score(new ScoreInput(text, a.getString("prompt"), a.getString("objective"))))
        .map(results -> {
          JsonArray out = new JsonArray();
          for (ScoreResult r : results) {
            out.add(new JsonObject().put("score_value", r.value()).put("score_type", r.type()).put("score_category", r.category())
                .put("score_rationale", r.rationale()).put("success", r.success()));
          }
          return new JsonObject().put("scores", out);
        });
  }

  private Future<JsonObject> combine(Caller c, JsonObject a) {
    List<String> ids = strings(a, "dataset_ids", 100);
    if (ids.size() < 2) {
      throw Problem.badRequest("invalid_field", "'dataset_ids' needs at least two datasets");
    }
    List<Future<List<SeedPrompt>>> all = new ArrayList<>();
    ids.forEach(id -> all.add(seedPrompts(c.owner(), id)));
    return Future.all(all).compose(done -> {
      List<List<SeedPrompt>> lists = new ArrayList<>();
      all.forEach(f -> lists.add(f.result()));
      return createDataset(c.owner(), string(a, "name"), "combined from " + ids,
          DatasetOps.combine(lists, a.getBoolean("dedupe", true)));
    });
  }

  private Future<JsonObject> transform(Caller c, JsonObject a) {
    String template = string(a, "template");
    String id = id(a);
    DatasetOps.transform(List.of(), template);
    return seedPrompts(c.owner(), id).compose(prompts -> createDataset(c.owner(), string(a, "name"),
        "dataset " + id + " through a template", DatasetOps.transform(prompts, template)));
  }

  /** Listing an orchestrator's executions names the orchestrator: one the caller does not have is a 404. */
  private Future<Void> orchestratorExists(Caller c, Object id) {
    if (id == null) {
      return Future.succeededFuture();
    }
    if (!(id instanceof String s)) {
      return Future.failedFuture(Problem.badRequest("invalid_field", "'orchestrator_id' must be a string"));
    }
    return memory.config(c.owner(), MemoryOp.CONFIG_GET, ConfigKind.ORCHESTRATORS, new JsonObject().put("id", s)).mapEmpty();
  }

  /** A dataset of the prompts whose answers scored an attack success, from one execution or all memory. */
  private Future<JsonObject> derive(Caller c, JsonObject a) {
    String name = string(a, "name");
    Object execution = a.getValue("execution_id");
    if (execution != null && !(execution instanceof String)) {
      throw Problem.badRequest("invalid_field", "'execution_id' must be a string");
    }
    // an execution the caller does not have is a 404, like every other id they do not own
    Future<?> exists = execution == null ? Future.succeededFuture()
        : memory.call(c.owner(), MemoryOp.EXECUTION_GET, new JsonObject().put("id", execution));
    return exists.compose(v -> memory.call(c.owner(), MemoryOp.EXECUTION_SUCCESSFUL_PROMPTS, new JsonObject().put("execution_id", execution)))
        .compose(found -> {
          List<SeedPrompt> prompts = new ArrayList<>();
          found.getJsonArray("prompts").forEach(p -> prompts.add(new SeedPrompt((String) p, List.of(), new JsonObject())));
          if (prompts.isEmpty()) {
            return Future.failedFuture(Problem.badRequest("no_prompts", "no prompt in memory has a successful score"
                + (a.getString("execution_id") == null ? "" : " in execution " + a.getString("execution_id"))));
          }
          return createDataset(c.owner(), name, "prompts that succeeded", prompts);
        });
  }

  private Future<List<SeedPrompt>> seedPrompts(MemoryOwner owner, String datasetId) {
    return memory.config(owner, MemoryOp.CONFIG_GET, ConfigKind.DATASETS,
        new JsonObject().put("id", datasetId).put("offset", 0).put("limit", Integer.MAX_VALUE)).map(d -> {
          List<SeedPrompt> out = new ArrayList<>();
          d.getJsonArray("prompts").forEach(o -> {
            JsonObject p = (JsonObject) o;
            JsonArray cats = p.getJsonArray("harm_categories", new JsonArray());
            out.add(new SeedPrompt(p.getString("value"), cats.stream().map(Object::toString).toList(), new JsonObject()));
          });
          return out;
        });
  }

  static String string(JsonObject a, String field) {
    Object v = a.getValue(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw Problem.badRequest("invalid_field", "'" + field + "' is required and must be a non-empty string");
    }
    return s;
  }

  private static JsonObject labels(JsonObject a) {
    Object v = a.getValue("labels");
    if (v != null && !(v instanceof JsonObject)) {
      throw Problem.badRequest("invalid_field", "'labels' must be an object");
    }
    return (JsonObject) v;
  }

  private static List<String> strings(JsonObject a, String field, int max) {
    Object v = a.getValue(field);
    if (!(v instanceof JsonArray arr) || arr.isEmpty() || !arr.stream().allMatch(x -> x instanceof String)) {
      throw Problem.badRequest("invalid_field", "'" + field + "' must be a non-empty array of strings");
    }
    if (arr.size() > max) {
      throw Problem.badRequest("invalid_field", "'" + field + "' holds at most " + max + " items");
    }
    return arr.stream().map(Object::toString).toList();
  }
}
