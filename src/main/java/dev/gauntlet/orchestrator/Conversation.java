package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.GeneratorReply;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.verdict.Outcomes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One conversation of a scripted attack (flip, context compliance, role play, multi-prompt,
 * chunked request): user turns converted through the kit's chain, fabricated turns recorded with
 * their true role and {@code "fabricated": true} (an assistant's also {@code not_an_answer}), the target's answers, their scores, and the
 * outcome over all of them. A turn that cannot go on (a converter, the attacker or the target
 * failed) stops the script through {@link Stop}, which {@link #run} turns into the outcome.
 */
final class Conversation {

  final AttackKit kit;
  final Transcript t;
  private final List<Boolean> verdicts = new ArrayList<>();
  private String undetermined;

  Conversation(AttackKit kit, int index) {
    this.kit = kit;
    this.t = new Transcript(index, kit);
  }

  /** Ends the script early: no usable answer, of this class, for this reason. */
  static final class Stop extends RuntimeException {
    final String errorClass;

    Stop(String errorClass, String message) {
      super(message, null, false, false);
      this.errorClass = errorClass;
    }
  }

  /** An answer of the target: its text and the id of its piece. */
  record Answer(String text, UUID piece) {}

  /**
   * Runs a script to its end and decides the outcome. A failure other than {@link Stop} means
   * Gauntlet itself is broken and is passed on.
   */
  Future<PromptOutcome> run(Supplier<Future<?>> script) {
    Future<?> done;
    try {
      done = script.get();
    } catch (Stop s) {
      done = Future.failedFuture(s);
    }
    return done.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(t.outcome(Outcomes.decide(Outcomes.NONE, verdicts, undetermined), undetermined));
      }
      if (!(ar.cause() instanceof Stop s)) {
        return Future.failedFuture(ar.cause());
      }
      // an answer that already showed the attack succeeded stands; otherwise the script was not carried out
      String error = verdicts.contains(Boolean.TRUE) ? Outcomes.NONE : s.errorClass;
      return Future.succeededFuture(t.outcome(Outcomes.decide(error, verdicts, undetermined), s.getMessage()));
    });
  }

  /** A system message, sent first and recorded as a piece of its own. */
  void system(String text) {
    t.sent("system", text, text, null, new JsonObject().put("turn", "system"));
  }

  /**
   * A turn of a history the target never took part in, sent as it is (an assistant's words are not
   * converted); an assistant's is marked no answer, so nothing counts or judges it as the target's.
   */
  void fabricated(String role, String text, JsonObject meta) {
    JsonObject m = meta(meta).put("fabricated", true);
    if ("assistant".equals(role)) {
      m.put(PieceBatch.NOT_AN_ANSWER, true);
    }
    t.sent(role, text, text, null, m);
  }

  /**
   * A user turn: {@code text} converted through the chain and recorded with {@code original} (what
   * it stands for, e.g. the dataset prompt) as its original value; nothing is sent yet.
   */
  Future<Void> user(String original, String text, JsonObject meta) {
    return Steps.convert(kit, text).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new Stop(SingleTurn.CONVERTER_FAILED, "converter failed: " + ar.cause().getMessage()));
      }
      t.sent("user", original, ar.result().text(), ar.result().identifiers(), meta(meta));
      return Future.succeededFuture();
    });
  }

  /** A user turn as {@link #user} records it, marked fabricated: part of a history sent in one request. */
  Future<Void> fabricatedUser(String text, JsonObject meta) {
    return user(text, text, meta(meta).put("fabricated", true));
  }

  /** Sends the whole conversation so far to the target and records its answer; a failed answer stops the script. */
  Future<Answer> send(JsonObject meta) {
    return send(meta, reply -> meta);
  }

  /** {@link #send}, the answer's piece given the metadata {@code answerMeta} makes of the reply. */
  Future<Answer> send(JsonObject meta, Function<GeneratorReply, JsonObject> answerMeta) {
    return kit.target().value().send(List.copyOf(t.history())).compose(reply -> {
      UUID piece = t.answered(reply, meta(answerMeta.apply(reply)));
      if (!reply.ok()) {
        String cls = reply.error().value();
        return Future.failedFuture(new Stop(cls, cls + (reply.detail() == null ? "" : ": " + reply.detail())));
      }
      return Future.succeededFuture(new Answer(reply.text(), piece));
    });
  }

  /** {@link #user} then {@link #send}, with the same metadata on both pieces. */
  Future<Answer> ask(String original, String text, JsonObject meta) {
    return user(original, text, meta).compose(v -> send(meta));
  }

  /**
   * Runs every scorer on {@code input} and records the scores against {@code piece}; completes
   * with whether any scorer said the attack succeeded.
   */
  Future<Boolean> score(UUID piece, ScoreInput input) {
    return Steps.score(t, piece, kit.scorers(), input).map(s -> {
      verdicts.addAll(s.verdicts());
      if (s.reason() != null) {
        undetermined = s.reason();
      }
      return s.each().contains(Boolean.TRUE);
    });
  }

  /** Asks the attacker generator; an error or an empty answer stops the script as {@code attacker_<class>}. */
  Future<String> attacker(List<ChatMessage> messages) {
    return kit.attacker().value().send(messages).compose(r -> attackerText(r));
  }

  private static Future<String> attackerText(GeneratorReply r) {
    if (!r.ok()) {
      return Future.failedFuture(new Stop("attacker_" + r.error().value(), "attacker " + r.error().value()
          + (r.detail() == null ? "" : ": " + r.detail())));
    }
    if (r.text() == null || r.text().isBlank()) {
      return Future.failedFuture(new Stop("attacker_empty", "attacker gave an empty answer"));
    }
    return Future.succeededFuture(r.text().strip());
  }

  private static JsonObject meta(JsonObject given) {
    return given == null ? new JsonObject() : given.copy();
  }

  /**
   * Refuses, naming the parameters, a strategy with neither an objective nor a dataset (it would
   * run no prompt at all); every scripted strategy takes one or the other.
   */
  static void requireObjectiveOrDataset(AttackKit kit) {
    String objective = kit.param("objective");
    if (kit.param("dataset_id") == null && (objective == null || objective.isBlank())) {
      throw Problem.badRequest("missing_parameter", "parameters.objective or parameters.dataset_id is required");
    }
  }
}
