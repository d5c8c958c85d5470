package dev.gauntlet.orchestrator;

import io.vertx.core.Future;

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

  /** Builds a strategy from its resolved kit. */
  @FunctionalInterface
  interface Factory {
    Orchestration create(AttackKit kit);
  }
}
