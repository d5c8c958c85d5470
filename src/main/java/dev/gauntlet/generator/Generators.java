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

  private static ParamSchema shared(ParamSchema own) {
    return own.with(Resilience.PARAMS);
  }

  private static Generator resilient(Vertx vertx, GeneratorSpec spec, Target target) {
    return new ResilientGenerator(vertx, target, Resilience.from(spec.params()), dev.gauntlet.Metrics.generator(spec.type()), spec.id());
  }
}
