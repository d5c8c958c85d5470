package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterChain;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.orchestrator.Resolver;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.scorer.ScoreResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static dev.gauntlet.operations.Args.id;
import static dev.gauntlet.operations.Args.string;
import static dev.gauntlet.operations.Args.strings;

/** Trying a generator, converter or scorer out before an execution uses it. */
final class TryOuts {

  static final int MAX_PREVIEW = 100;
  static final int MAX_HISTORY = 50;
  static final int MAX_CHAIN = 10;
  private static final List<String> HISTORY_ROLES = List.of("system", "user", "assistant");

  private final Resolver resolver;
  private final Datasets datasets;

  TryOuts(Resolver resolver, Datasets datasets) {
    this.resolver = resolver;
    this.datasets = datasets;
  }

  /** One answer to {@code prompt}, after the earlier turns of {@code messages} when a chat panel sends them. */
  Future<JsonObject> testGenerator(Caller c, JsonObject a) {
    String prompt = string(a, "prompt");
    String id = id(a);
    List<ChatMessage> conversation = new ArrayList<>(history(a));
    conversation.add(ChatMessage.user(prompt));
    return resolver.resolve(c.owner(), ConfigKind.GENERATORS, id).compose(r -> r.generator(id).send(conversation))
        .map(reply -> new JsonObject().put("ok", reply.ok()).put("answer", reply.text()).put("error", reply.error().value())
            .put("status", reply.status()).put("latency_ms", reply.latencyMs()).put("attempts", reply.attempts())
            .put("detail", reply.detail()));
  }

  /**
   * One answer from settings not saved yet (a form's {@code value}: type and parameters), through
   * the caller's egress gate as a saved generator would go: the form's Test button. With {@code id}
   * (the generator being edited), masked secrets keep their stored values.
   */
  Future<JsonObject> tryGenerator(Caller c, JsonObject a) {
    JsonObject value = Args.value(a);
    if (!(value.getValue("parameters", new JsonObject()) instanceof JsonObject params)) {
      throw Problem.badRequest("invalid_field", "'value.parameters' must be an object");
    }
    if (!(value.getValue("type") instanceof String type)) {
      throw Problem.badRequest("invalid_field", "'value.type' must be a generator type");
    }
    String prompt = Args.optional(a, "prompt") == null ? "Hello! Please answer in one short sentence." : Args.optional(a, "prompt");
    String editing = Args.optional(a, "id");
    Future<JsonObject> stored = editing == null ? Future.succeededFuture(null)
        : resolver.withReferences(c.owner(), ConfigKind.GENERATORS, editing)
            .map(configs -> configs.getJsonObject(ConfigKind.GENERATORS.table() + "/" + editing).getJsonObject("parameters"));
    return stored.compose(previous -> {
      dev.gauntlet.generator.Generator g = resolver.unsaved(c.owner(), type, params, previous);
      return g.send(List.of(ChatMessage.user(prompt))).onComplete(done -> g.close());
    }).map(reply -> new JsonObject().put("ok", reply.ok()).put("answer", reply.text()).put("error", reply.error().value())
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
      // List.of(...).contains(null) throws: the role is checked to be a string first
      if (!(arr.getValue(i) instanceof JsonObject m) || !(m.getValue("content") instanceof String content)
          || !(m.getValue("role") instanceof String role) || !HISTORY_ROLES.contains(role)) {
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
  Future<JsonObject> previewConverter(Caller c, JsonObject a) {
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
  Future<JsonObject> applyConverter(Caller c, JsonObject a) {
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
        .compose(out -> datasets.names(c.owner(), datasetId, ids).compose(names -> datasets.create(c.owner(),
            a.getString("name", "converted " + names[0]),
            "dataset '" + names[0] + "' through converter" + (ids.size() > 1 ? "s " : " ") + names[1], out,
            a.getString("name") == null ? dev.gauntlet.memory.ConfigNaming.NEXT_FREE : dev.gauntlet.memory.ConfigNaming.STRICT))));
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

  /**
   * The scorer's judgement of {@code text}. A judge that cannot give a verdict (unreachable,
   * erring, unparsable) is not a fault of ours: the answer is 200 with the score undetermined and
   * the reason; a configuration fault (a missing scorer or judge) is the 4xx resolving it gives.
   */
  Future<JsonObject> testScorer(Caller c, JsonObject a) {
    String text = string(a, "text");
    String id = id(a);
    return resolver.resolve(c.owner(), ConfigKind.SCORERS, id)
        .compose(r -> {
          Future<List<ScoreResult>> scored;
          try {
            scored = r.scorer(id).score(new ScoreInput(text, a.getString("prompt"), a.getString("objective")));
          } catch (RuntimeException e) {
            scored = Future.failedFuture(e);
          }
          return scored.recover(t -> t instanceof Problem ? Future.failedFuture(t) : Future.succeededFuture(List.of(
              ScoreResult.undetermined(ScoreResult.TRUE_FALSE, null, "scorer failed: " + t.getMessage()))));
        })
        .map(results -> {
          JsonArray out = new JsonArray();
          for (ScoreResult r : results) {
            out.add(new JsonObject().put("score_value", r.value()).put("score_type", r.type()).put("score_category", r.category())
                .put("score_rationale", r.rationale()).put("undetermined", r.undetermined())
                .put("verdict", r.undetermined() ? "undetermined" : r.success() ? "attack_succeeded" : "held")
                .put("success", r.success()));
          }
          return new JsonObject().put("scores", out);
        });
  }
}
