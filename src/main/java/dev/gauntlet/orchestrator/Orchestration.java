package dev.gauntlet.orchestrator;

import io.vertx.core.Future;

/**
 * An attack strategy applied to one prompt (or objective) of an execution: every turn,
 * conversion and score of that prompt's conversation. It completes with an outcome even when
 * the target fails; it fails only if Gauntlet itself is broken.
 */
public interface Orchestration {

  Future<PromptOutcome> run(int index, String prompt);

  /** Builds a strategy from its resolved kit. */
  @FunctionalInterface
  interface Factory {
    Orchestration create(AttackKit kit);
  }
}
