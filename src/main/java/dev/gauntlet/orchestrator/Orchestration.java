package dev.gauntlet.orchestrator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * An attack strategy applied to one prompt (or objective) of an execution: every turn,
 * conversion and score of that prompt's conversation. It completes with an outcome even when
 * the target fails; it fails only if Gauntlet itself is broken.
 */
public interface Orchestration {

  Future<PromptOutcome> run(int index, String prompt);

  /**
   * As {@link #run(int, String)}, with the system prompt the dataset prompt itself asks to be sent
   * with (a probe's planted canary or context), or null. Strategies that send a system message
   * use it in place of their own; the others ignore it.
   */
  default Future<PromptOutcome> run(int index, String prompt, String systemPrompt) {
    return run(index, prompt);
  }

  /**
   * As {@link #run(int, String, String)}, with the tools the dataset prompt offers the target
   * (OpenAI function definitions, a probe's {@code tools}), or null. Strategies that send one
   * prompt offer them with it; the others ignore them.
   */
  default Future<PromptOutcome> run(int index, String prompt, String systemPrompt, JsonArray tools) {
    return run(index, prompt, systemPrompt);
  }

  /** Builds a strategy from its resolved kit. */
  @FunctionalInterface
  interface Factory {
    Orchestration create(AttackKit kit);
  }
}
