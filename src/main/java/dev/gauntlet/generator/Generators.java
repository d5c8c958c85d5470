package dev.gauntlet.generator;

import dev.gauntlet.catalog.Catalog;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Vertx;

/** The generator types users can configure, each with its parameters and the resilience every type shares. */
public final class Generators {

  private static final Catalog<GeneratorFactory> CATALOG = new Catalog<GeneratorFactory>("generator")
      .add("openai_chat", "remote",
          "OpenAI-compatible chat completions: OpenAI, Azure OpenAI, vLLM, Ollama, LM Studio, llama.cpp",
          shared(OpenAiChatTarget.SCHEMA),
          (vertx, spec) -> resilient(vertx, spec, new OpenAiChatTarget(vertx, spec, Resilience.from(spec.params()))))
      .add("http", "remote",
          "any HTTP endpoint: a body template carries the prompt, a JSONPath or regex finds the answer",
          shared(HttpTarget.SCHEMA),
          (vertx, spec) -> resilient(vertx, spec, new HttpTarget(vertx, spec, Resilience.from(spec.params()))))
      .add("simulated", "offline",
          "a built-in deterministic model: refuses harmful prompts, complies, or echoes; no network",
          shared(SimulatedTarget.SCHEMA),
          (vertx, spec) -> resilient(vertx, spec, new SimulatedTarget(vertx, spec)));

  private Generators() {}

  public static Catalog<GeneratorFactory> catalog() {
    return CATALOG;
  }

  /** Validates the spec's parameters against its type (filling defaults) and builds the generator. */
  public static Generator create(Vertx vertx, GeneratorSpec spec) {
    GeneratorSpec valid = new GeneratorSpec(spec.id(), spec.name(), spec.type(), CATALOG.validate(spec.type(), spec.params()),
        spec.egress());
    return CATALOG.get(spec.type()).factory().create(vertx, valid);
  }

  /**
   * Reads a typical chat answer once, so that the answer reader's one-time initialisation (about
   * 16 ms on a fresh JVM) happens before the first execution rather than under its first answers;
   * returns the text read. See {@code orchestrator.Prime}.
   */
  public static String primeAnswerReader(String content) {
    io.vertx.core.json.JsonObject answer = new io.vertx.core.json.JsonObject().put("id", "prime").put("object", "chat.completion")
        .put("choices", new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().put("index", 0)
            .put("finish_reason", "stop").put("message", new io.vertx.core.json.JsonObject().put("role", "assistant").put("content", content))))
        .put("usage", new io.vertx.core.json.JsonObject().put("prompt_tokens", 8).put("completion_tokens", 16));
    Outcome read = OpenAiAnswers.plain(answer.toBuffer(), 200);
    return read == null ? null : read.text();
  }

  private static ParamSchema shared(ParamSchema own) {
    return own.with(Resilience.PARAMS);
  }

  private static Generator resilient(Vertx vertx, GeneratorSpec spec, Target target) {
    return new ResilientGenerator(vertx, target, Resilience.from(spec.params()), dev.gauntlet.Metrics.generator(spec.type()),
        host(spec.params()), spec.params().getString("model"), spec.id());
  }

  /** The endpoint host a generator sends to (its base_url's or url's), as provider budgets name it; null for none. */
  static String host(io.vertx.core.json.JsonObject params) {
    String url = params.getString("base_url", params.getString("url"));
    if (url == null) {
      return null;
    }
    try {
      // an http target's url may hold {{prompt}}, which is no part of its host
      String host = java.net.URI.create(url.replace("{{prompt}}", "prompt").replace(" ", "%20")).getHost();
      return host == null ? null : host.toLowerCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
