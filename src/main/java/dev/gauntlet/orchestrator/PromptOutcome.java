package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.PieceBatch;

import java.util.List;

/**
 * What one prompt of an execution produced: its conversation's pieces and scores, whether the
 * target answered, whether the attack succeeded, and the last error if any.
 */
public record PromptOutcome(int index, String conversationId, List<PieceBatch.Piece> pieces, List<PieceBatch.Score> scores,
                            boolean answered, boolean attackSucceeded, String error) {

  /** The outcome's status in execution results: {@code succeeded} when the target answered. */
  public String status() {
    return answered ? "succeeded" : "failed";
  }
}
