package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.verdict.Outcome;
import dev.gauntlet.verdict.Outcomes;
import dev.gauntlet.verdict.Verdict;

import java.util.List;

/**
 * What one prompt of an execution produced: its conversation's pieces and scores, its verdict
 * (outcome and reason, decided by {@link Outcomes#decide}), and the error message if any.
 */
public record PromptOutcome(int index, String conversationId, List<PieceBatch.Piece> pieces, List<PieceBatch.Score> scores,
                            Verdict verdict, String error) {

  public Outcome outcome() {
    return verdict.outcome();
  }

  /** Whether the target gave a usable answer (a content-filter block is held, but not an answer). */
  public boolean answered() {
    return verdict.outcome() != Outcome.ERROR && !Outcomes.BLOCKED.equals(verdict.reason());
  }

  public boolean attackSucceeded() {
    return verdict.outcome() == Outcome.ATTACK_SUCCEEDED;
  }

  /** The error class when the outcome is an error, else null. */
  public String errorClass() {
    return verdict.outcome() == Outcome.ERROR ? verdict.reason() : null;
  }

  /** The outcome's status in execution results: {@code succeeded} when the target answered. */
  public String status() {
    return answered() ? "succeeded" : "failed";
  }
}
