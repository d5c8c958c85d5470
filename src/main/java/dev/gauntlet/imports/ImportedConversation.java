package dev.gauntlet.imports;

import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.ScoreResult;
import dev.gauntlet.verdict.Outcome;
import dev.gauntlet.verdict.Outcomes;
import dev.gauntlet.verdict.Verdict;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One conversation of another tool's run, written down as Gauntlet's pieces and scores and landed
 * with its result: what garak's and promptfoo's importers share. Ids are name-based on the tool's
 * own key ({@code namespace}, not the format, so one run imported from two of a tool's files lands
 * once). Its outcome is decided by {@link Outcomes#decide}, as for Gauntlet's own runs.
 */
public final class ImportedConversation {

  private final String namespace;
  private final String key;
  private final String conversationId;
  private final String executionId;
  private final int index;
  private final LocalDateTime at;
  private final String labels;
  private final String target;
  private final String orchestrator;
  private final List<PieceBatch.Piece> pieces = new ArrayList<>();
  private final List<PieceBatch.Score> scores = new ArrayList<>();
  private final List<Answer> answers = new ArrayList<>();
  private int sequence;

  private static final class Answer {
    final UUID id;
    final String error;
    final List<Boolean> verdicts = new ArrayList<>();
    String undetermined;

    Answer(UUID id, String error) {
      this.id = id;
      this.error = error;
    }
  }

  /**
   * @param key            the tool's id for the conversation (garak's attempt uuid, promptfoo's result id)
   * @param conversationId the conversation id the pieces carry
   * @param index          the result's position in its execution (its {@code prompt_index})
   */
  public ImportedConversation(String namespace, String key, String conversationId, String executionId, int index, LocalDateTime at,
                              JsonObject labels, JsonObject target, JsonObject orchestrator) {
    this.namespace = namespace;
    this.key = key;
    this.conversationId = conversationId;
    this.executionId = executionId;
    this.index = index;
    this.at = at;
    this.labels = labels == null ? null : labels.encode();
    this.target = target == null ? null : target.encode();
    this.orchestrator = orchestrator == null ? null : orchestrator.encode();
  }

  /** The stable id of a part of this conversation. */
  public UUID id(String part) {
    return uuid(namespace, key, part);
  }

  public static UUID uuid(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
  }

  /** A turn sent to the target (or supplied as history): its own sequence number. */
  public UUID sent(String part, String role, String text, String converterIdentifiers, JsonObject metadata) {
    UUID id = id(part);
    pieces.add(piece(id, role, sequence++, text == null ? "" : text, converterIdentifiers, metadata, Outcomes.NONE));
    return id;
  }

  /**
   * The target's answer to what was sent last. {@code sameTurn} answers share one sequence number
   * (garak's several generations of one prompt), so each answer's prompt is the turn before them.
   *
   * @param error null when it answered, else the error class ({@code unknown}, …)
   */
  public UUID answered(String part, String text, String error, JsonObject metadata, boolean sameTurn) {
    UUID id = id(part);
    int seq = sameTurn && !answers.isEmpty() ? sequence - 1 : sequence++;
    String err = error == null ? Outcomes.NONE : error;
    pieces.add(piece(id, "assistant", seq, text == null ? "" : text, null, metadata, err));
    answers.add(new Answer(id, err));
    return id;
  }

  /**
   * A score of an answer: {@code value} null is undetermined (its reason the rationale);
   * {@code attackSucceeded} is what the verdict means for the outcome.
   */
  public void score(UUID answer, String part, String value, String type, String category, String rationale, JsonObject metadata,
                    JsonObject scorer, String task, Boolean attackSucceeded) {
    JsonObject meta = metadata == null ? new JsonObject() : metadata.copy();
    if (value == null) {
      meta.put(ScoreResult.UNDETERMINED, rationale == null ? Outcomes.NO_USABLE_VERDICT : rationale);
    } else if (attackSucceeded != null) {
      meta.put("attack_success", attackSucceeded);
    }
    scores.add(new PieceBatch.Score(id(part), value, null, type, category, rationale, meta.isEmpty() ? null : meta.encode(),
        scorer == null ? null : scorer.encode(), answer, at, task));
    for (Answer a : answers) {
      if (a.id.equals(answer)) {
        a.verdicts.add(value == null ? null : attackSucceeded);
        if (value == null && a.undetermined == null) {
          a.undetermined = rationale;
        }
      }
    }
  }

  /**
   * The conversation's outcome: decided over its answers' verdicts, those that answered; when none
   * answered, the first answer's error (no answer at all is unscored).
   */
  public Verdict verdict() {
    List<Boolean> verdicts = new ArrayList<>();
    String reason = null;
    Answer failed = null;
    boolean any = false;
    for (Answer a : answers) {
      if (Outcomes.NONE.equals(a.error)) {
        any = true;
        verdicts.addAll(a.verdicts);
        reason = reason == null ? a.undetermined : reason;
      } else if (failed == null) {
        failed = a;
      }
    }
    if (!any && failed != null) {
      return Outcomes.decide(failed.error, failed.verdicts, failed.undetermined);
    }
    return Outcomes.decide(Outcomes.NONE, verdicts, reason);
  }

  /** Hands the pieces, the scores and the result to the landing; returns the outcome. */
  public Verdict land(Landing landing) throws Exception {
    for (PieceBatch.Piece p : pieces) {
      landing.piece(p);
    }
    for (PieceBatch.Score s : scores) {
      landing.score(s);
    }
    Verdict v = verdict();
    landing.result(executionId, index, conversationId, v.outcome(), v.reason(), at);
    return v;
  }

  public Outcome outcome() {
    return verdict().outcome();
  }

  private PieceBatch.Piece piece(UUID id, String role, int seq, String text, String converters, JsonObject metadata, String error) {
    JsonObject meta = metadata == null ? new JsonObject() : metadata.copy();
    meta.put("execution_id", executionId).put("prompt_index", index);
    String sha = PieceBatch.sha256(text);
    return new PieceBatch.Piece(id, role, conversationId, seq, at, labels, meta.encode(), converters, target, orchestrator, error,
        "text", text, sha, "text", text, sha, id);
  }
}
