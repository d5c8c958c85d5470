package dev.gauntlet.orchestrator;

import dev.gauntlet.JsonText;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.GeneratorReply;
import dev.gauntlet.generator.ToolCalls;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.ScoreResult;
import dev.gauntlet.verdict.Verdict;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One conversation being written down as PyRIT pieces and scores, built directly as rows (no
 * JSON round trip on the hot path). Also keeps the chat history the target has seen.
 */
final class Transcript {

  private final int index;
  private final String conversationId = PieceIds.next().toString();
  private final AttackKit kit;
  private final List<PieceBatch.Piece> pieces = new ArrayList<>();
  private final List<PieceBatch.Score> scores = new ArrayList<>();
  private final List<ChatMessage> history = new ArrayList<>();
  private int sequence;

  Transcript(int index, AttackKit kit) {
    this.index = index;
    this.kit = kit;
  }

  String conversationId() {
    return conversationId;
  }

  /** What the target has seen so far, oldest first. */
  List<ChatMessage> history() {
    return history;
  }

  /** Records a message sent to the target; returns the piece id. */
  UUID sent(String role, String original, String converted, String converterIdentifiers, JsonObject metadata) {
    UUID id = PieceIds.next();
    pieces.add(piece(id, role, original, converted, converterIdentifiers, metadata, "none"));
    history.add(new ChatMessage(role, converted));
    return id;
  }

  /** Records the target's answer (or its failure); returns the piece id. */
  UUID answered(GeneratorReply reply, JsonObject metadata) {
    UUID id = PieceIds.next();
    JsonObject meta = metadata == null ? new JsonObject() : metadata.copy();
    meta.put("latency_ms", reply.latencyMs()).put("attempts", reply.attempts());
    if (reply.status() != 0) {
      meta.put("status", reply.status());
    }
    if (reply.detail() != null) {
      meta.put("error_detail", reply.detail());
    }
    if (reply.toolCalls() != null) {
      meta.put(ToolCalls.KEY, reply.toolCalls().copy());
    }
    pieces.add(piece(id, "assistant", reply.text(), reply.text(), null, meta, reply.error().value()));
    if (reply.ok()) {
      history.add(ChatMessage.assistant(reply.text()));
    }
    return id;
  }

  /** Takes the last exchange back out of what the target sees (the pieces stay recorded). */
  void forgetLastExchange() {
    if (history.size() >= 2) {
      history.remove(history.size() - 1);
      history.remove(history.size() - 1);
    }
  }

  void score(UUID pieceId, Part<?> scorer, ScoreResult r, String task) {
    scores.add(new PieceBatch.Score(PieceIds.next(), r.value(), r.description(), r.type(), r.category(), r.rationale(),
        r.metadata() == null ? null : r.metadata().encode(), scorer.identifierJson(), pieceId, now(), task));
  }

  PromptOutcome outcome(Verdict verdict, String error) {
    return new PromptOutcome(index, conversationId, pieces, scores, verdict, error);
  }

  /** The pieces written so far, in order. */
  List<PieceBatch.Piece> pieces() {
    return pieces;
  }

  List<PieceBatch.Score> scores() {
    return scores;
  }

  /**
   * Adds keys to every piece's metadata: what is learnt about a conversation after it was written
   * down (TAP learns a branch was pruned only once its siblings are judged).
   */
  void annotate(JsonObject extra) {
    for (int i = 0; i < pieces.size(); i++) {
      PieceBatch.Piece p = pieces.get(i);
      String meta = new JsonObject(p.promptMetadata()).mergeIn(extra).encode();
      pieces.set(i, new PieceBatch.Piece(p.id(), p.role(), p.conversationId(), p.sequence(), p.timestamp(), p.labels(), meta,
          p.converterIdentifiers(), p.promptTargetIdentifier(), p.orchestratorIdentifier(), p.responseError(),
          p.originalValueDataType(), p.originalValue(), p.originalValueSha256(), p.convertedValueDataType(),
          p.convertedValue(), p.convertedValueSha256(), p.originalPromptId()));
    }
  }

  /** Records a prompt that was written but never sent (TAP's off-topic pruning): it is not added to the history. */
  UUID unsent(String original, JsonObject metadata) {
    UUID id = PieceIds.next();
    pieces.add(piece(id, "user", original, original, null, metadata, "none"));
    return id;
  }

  /**
   * One outcome for a prompt whose attack wrote several conversations (TAP's tree, PAIR's
   * streams): all their pieces and scores, committed together under the prompt's index, with
   * {@code shown}'s conversation as the result's.
   */
  static PromptOutcome combined(int index, List<Transcript> all, Transcript shown, Verdict verdict, String error) {
    List<PieceBatch.Piece> pieces = new ArrayList<>();
    List<PieceBatch.Score> scores = new ArrayList<>();
    for (Transcript t : all) {
      pieces.addAll(t.pieces);
      scores.addAll(t.scores);
    }
    return new PromptOutcome(index, shown.conversationId, pieces, scores, verdict, error);
  }

  private PieceBatch.Piece piece(UUID id, String role, String original, String converted, String converters,
                                 JsonObject metadata, String error) {
    JsonObject meta = metadata == null ? new JsonObject() : metadata;
    meta.put("execution_id", kit.executionId()).put("prompt_index", index);
    // the hashes are left to the memory's worker, which stores the piece (PieceBatch.Piece)
    return new PieceBatch.Piece(id, role, conversationId, sequence++, now(), kit.labelsJson(), JsonText.object(meta.getMap()),
        converters, kit.target().identifierJson(), kit.orchestratorJson(), error,
        "text", original, null, "text", converted, null, id);
  }

  private static LocalDateTime now() {
    return LocalDateTime.now(ZoneOffset.UTC);
  }
}
