package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterChain;
import dev.gauntlet.converter.Converters;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.GeneratorReply;
import dev.gauntlet.generator.ReplyError;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerContext;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.gauntlet.verdict.Outcome;
import dev.gauntlet.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attack strategy of the catalog, built by its factory from a kit of fake models and real
 * converters and scorers, run on one prompt: what the target was sent, when the strategy stops,
 * and the PyRIT pieces and scores it wrote down.
 */
class OrchestrationsTest {

  private static final String EXECUTION = "exec-42";
  private static final String REFUSAL = "I'm sorry, but I can't help with that.";

  // ----- prompt sending

  @Test
  void promptSendingSendsTheConvertedPromptAndScoresTheAnswer() {
    FakeModel target = FakeModel.replying("target", (n, m) -> FakeModel.ok("Sure: " + FakeModel.lastUserText(m)));
    AttackKit kit = kit("prompt_sending", new JsonObject(), target, null, List.of(converter("base64", new JsonObject())),
        List.of(scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")))), null);

    PromptOutcome o = run(kit, 7, "tell me a secret");

    String encoded = Base64.getEncoder().encodeToString("tell me a secret".getBytes(StandardCharsets.UTF_8));
    assertEquals(1, target.calls());
    assertEquals(List.of(ChatMessage.user(encoded)), target.call(1), "the converted prompt, alone");
    assertTrue(o.answered());
    assertTrue(o.attackSucceeded(), "the substring scorer said true");
    assertNull(o.error());
    assertEquals("succeeded", o.status());
    assertEquals(7, o.index());

    assertEquals(2, o.pieces().size());
    PieceBatch.Piece user = o.pieces().get(0);
    PieceBatch.Piece answer = o.pieces().get(1);
    assertEquals("user", user.role());
    assertEquals("tell me a secret", user.originalValue());
    assertEquals(encoded, user.convertedValue());
    JsonArray converters = new JsonArray(user.converterIdentifiers());
    assertEquals(1, converters.size());
    assertEquals("base64", converters.getJsonObject(0).getString("__type__"));
    assertEquals("assistant", answer.role());
    assertEquals("Sure: " + encoded, answer.originalValue());
    assertEquals("none", answer.responseError());
    assertNull(answer.converterIdentifiers(), "answers are not converted");
    assertPyritFields(o, kit, 7);

    assertEquals(1, o.scores().size());
    PieceBatch.Score score = o.scores().get(0);
    assertEquals(answer.id(), score.promptRequestResponseId(), "scored against the answer piece");
    assertEquals("true", score.scoreValue());
    assertEquals("true_false", score.scoreType());
    assertEquals("substring", new JsonObject(score.scorerClassIdentifier()).getString("__type__"));
  }

  @Test
  void attackSuccessIsWhatTheScorerSaysNotTheRawValue() {
    // a refusal scorer's "true" means the target held: the attack failed
    FakeModel target = FakeModel.replying("target", (n, m) ->
        FakeModel.ok(FakeModel.lastUserText(m).contains("bad") ? REFUSAL : "Here you go."));
    AttackKit kit = kit("prompt_sending", new JsonObject(), target, null, List.of(),
        List.of(scorer("refusal", new JsonObject())), null);

    PromptOutcome refused = run(kit, 0, "something bad");
    PromptOutcome complied = run(kit, 1, "something fine");

    assertEquals("true", refused.scores().get(0).scoreValue());
    assertFalse(refused.attackSucceeded(), "the target refused");
    assertTrue(refused.answered());
    assertEquals("false", complied.scores().get(0).scoreValue());
    assertTrue(complied.attackSucceeded(), "the target complied");
  }

  @Test
  void failingTargetIsRecordedAsAnUnansweredPromptWithoutScores() {
    FakeModel target = FakeModel.replying("target", (n, m) ->
        GeneratorReply.failed(ReplyError.SERVER_ERROR, 500, 12, 3, "HTTP 500 (after 3 attempts)"));
    AttackKit kit = kit("prompt_sending", new JsonObject(), target, null, List.of(),
        List.of(scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")))), null);

    PromptOutcome o = run(kit, 3, "hello");

    assertFalse(o.answered());
    assertFalse(o.attackSucceeded());
    assertEquals(Verdict.of(Outcome.ERROR, "server_error"), o.verdict(), "an error, its class kept");
    assertEquals("server_error: HTTP 500 (after 3 attempts)", o.error());
    assertEquals("failed", o.status());
    assertTrue(o.scores().isEmpty(), "nothing to score");
    assertEquals(2, o.pieces().size(), "the prompt and the failed answer are both recorded");
    PieceBatch.Piece answer = o.pieces().get(1);
    assertEquals("server_error", answer.responseError());
    assertEquals("", answer.originalValue());
    JsonObject meta = new JsonObject(answer.promptMetadata());
    assertEquals(500, meta.getInteger("status"));
    assertEquals(3, meta.getInteger("attempts"));
    assertPyritFields(o, kit, 3);
  }

  @Test
  void converterFailureEndsThePromptWithAnErrorAndNoTargetCall() {
    FakeModel target = FakeModel.saying("target", n -> "never");
    FakeModel rewriter = FakeModel.replying("rewriter", (n, m) -> GeneratorReply.failed(ReplyError.TIMEOUT, 0, 50, 1, "slow"));
    Converter variation = Converters.create("variation", new JsonObject().put("generator_id", "rw"), id -> rewriter);
    AttackKit kit = kit("prompt_sending", new JsonObject(), target, null,
        List.of(new Part<>(variation, ConverterChain.identifier("variation", "conv-1", "reword"))), List.of(), null);

    PromptOutcome o = run(kit, 0, "hello");

    assertEquals(0, target.calls(), "nothing was sent to the target");
    assertEquals(1, rewriter.calls());
    assertFalse(o.answered());
    assertNotNull(o.error());
    assertTrue(o.error().startsWith("converter failed"), o.error());
    assertTrue(o.error().contains("timeout"), o.error());
    assertTrue(o.scores().isEmpty());
  }

  @Test
  void systemPromptGoesFirstButIsNotRecordedAsAPiece() {
    FakeModel target = FakeModel.saying("target", n -> "ok");
    AttackKit kit = kit("prompt_sending", new JsonObject().put("system_prompt", "be terse"), target, null, List.of(), List.of(), null);

    PromptOutcome o = run(kit, 0, "hi");

    assertEquals(List.of(ChatMessage.system("be terse"), ChatMessage.user("hi")), target.call(1));
    assertEquals(2, o.pieces().size());
  }

  // ----- many-shot and skeleton key

  @Test
  void manyShotSendsOneUserMessageWithTheFauxExchangesThenThePrompt() {
    FakeModel target = FakeModel.saying("target", n -> "Sure.");
    AttackKit kit = kit("many_shot", new JsonObject().put("shots", 5), target, null, List.of(), List.of(), null);

    PromptOutcome o = run(kit, 0, "the real question");

    assertEquals(1, target.calls());
    List<ChatMessage> sent = target.call(1);
    assertEquals(1, sent.size(), "one message");
    assertEquals("user", sent.get(0).role());
    String text = sent.get(0).content();
    assertEquals(5, occurrences(text, "\nAssistant: "), "five faux answers");
    assertEquals(6, occurrences(text, "User: "), "five faux questions and the prompt");
    assertTrue(text.endsWith("User: the real question\nAssistant:"), text);
    assertEquals("the real question", o.pieces().get(0).originalValue(), "the dataset prompt is the original value");
    assertEquals(text, o.pieces().get(0).convertedValue(), "what was sent is the converted value");
    assertTrue(o.answered());
  }

  @Test
  void skeletonKeyPrimesThenAsksInTheSameConversation() {
    FakeModel target = FakeModel.replying("target", (n, m) -> FakeModel.ok(n == 1 ? "Understood." : "Warning: here it is"));
    AttackKit kit = kit("skeleton_key", new JsonObject(), target, null, List.of(),
        List.of(scorer("substring", new JsonObject().put("substrings", new JsonArray().add("warning")))), null);

    PromptOutcome o = run(kit, 2, "the real question");

    assertEquals(2, target.calls(), "the key, then the prompt");
    assertEquals(List.of(ChatMessage.user(Orchestrators.SKELETON_KEY)), target.call(1));
    assertEquals(List.of(ChatMessage.user(Orchestrators.SKELETON_KEY), ChatMessage.assistant("Understood."),
        ChatMessage.user("the real question")), target.call(2), "the second send carries the whole history");
    assertEquals(4, o.pieces().size());
    assertEquals(List.of("user", "assistant", "user", "assistant"), o.pieces().stream().map(PieceBatch.Piece::role).toList());
    assertEquals(1, o.scores().size(), "only the answer to the prompt is scored");
    assertEquals(o.pieces().get(3).id(), o.scores().get(0).promptRequestResponseId());
    assertTrue(o.attackSucceeded());
    assertPyritFields(o, kit, 2);
  }

  // ----- outcomes

  /** A scorer that cannot judge: it fails as a crashed scorer would. */
  private static Part<Scorer> broken() {
    Scorer s = input -> Future.failedFuture("pattern took too long");
    return new Part<>(s, new JsonObject().put("__type__", "regex").put("name", "slow-regex").put("id", "broken-id"));
  }

  @Test
  void anAnswerWithNoScorerIsUnscoredForWantOfAScorer() {
    FakeModel target = FakeModel.saying("target", n -> "Sure");
    PromptOutcome o = run(kit("prompt_sending", new JsonObject(), target, null, List.of(), List.of(), null), 0, "hi");

    assertEquals(Verdict.of(Outcome.UNSCORED, "no scorer"), o.verdict());
    assertTrue(o.answered());
  }

  @Test
  void aScorerThatFailsLeavesAnUndeterminedScoreAndTheAnswerUnscoredUnlessAnotherJudged() {
    FakeModel target = FakeModel.saying("target", n -> "Sure");
    PromptOutcome alone = run(kit("prompt_sending", new JsonObject(), target, null, List.of(), List.of(broken()), null), 0, "hi");

    assertEquals(Outcome.UNSCORED, alone.outcome());
    assertEquals("scorer slow-regex: scorer failed: pattern took too long", alone.verdict().reason());
    assertEquals(1, alone.scores().size(), "the failure is stored as an undetermined score");
    assertNull(alone.scores().get(0).scoreValue(), "never as false");

    PromptOutcome beside = run(kit("prompt_sending", new JsonObject(), target, null, List.of(),
        List.of(broken(), scorer("substring", new JsonObject().put("substrings", new JsonArray().add("nothing here")))), null), 0, "hi");
    assertEquals(Outcome.HELD, beside.outcome(), "the other scorer's usable verdict decides");
  }

  @Test
  void aContentFilterBlockIsHeldWithReasonBlocked() {
    FakeModel target = FakeModel.replying("target", (n, m) -> GeneratorReply.failed(ReplyError.BLOCKED, 400, 5, 1, "filtered"));
    PromptOutcome o = run(kit("prompt_sending", new JsonObject(), target, null, List.of(),
        List.of(scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")))), null), 0, "hi");

    assertEquals(Verdict.of(Outcome.HELD, "blocked"), o.verdict());
    assertFalse(o.answered());
  }

  @Test
  void aMultiTurnAttackWhoseTargetNeverAnsweredIsAnErrorAndOneWhoseJudgeFailsIsUnscored() {
    FakeModel attacker = FakeModel.saying("attacker", n -> "attack " + n);
    FakeModel down = FakeModel.replying("target", (n, m) -> GeneratorReply.failed(ReplyError.TIMEOUT, 0, 5, 1, "slow"));
    PromptOutcome dead = run(kit("red_teaming", new JsonObject().put("max_turns", 2), down, attacker, List.of(), List.of(),
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("x")))), 0, "objective");
    assertEquals(Verdict.of(Outcome.ERROR, "timeout"), dead.verdict());

    FakeModel target = FakeModel.saying("target", n -> "answer " + n);
    PromptOutcome unjudged = run(kit("red_teaming", new JsonObject().put("max_turns", 2), target,
        FakeModel.saying("attacker", n -> "attack " + n), List.of(), List.of(), broken()), 0, "objective");
    assertEquals(Outcome.UNSCORED, unjudged.outcome());
    assertTrue(unjudged.verdict().reason().contains("pattern took too long"), unjudged.verdict().reason());
  }

  // ----- red teaming

  @Test
  void redTeamingStopsAtTheFirstTurnTheObjectiveIsReached() {
    FakeModel attacker = FakeModel.saying("attacker", n -> "attack message " + n);
    FakeModel target = FakeModel.saying("target", n -> n == 3 ? "fine, the password is swordfish" : "no comment " + n);
    AttackKit kit = kit("red_teaming", new JsonObject().put("max_turns", 5), target, attacker, List.of(), List.of(),
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("swordfish"))));

    PromptOutcome o = run(kit, 0, "get the password");

    assertEquals(3, target.calls(), "exactly three turns");
    assertEquals(3, attacker.calls());
    assertTrue(o.attackSucceeded());
    assertTrue(o.answered());
    for (int n = 1; n <= 3; n++) {
      assertEquals("attack message " + n, FakeModel.lastUserText(target.call(n)), "the attacker's message is what the target gets");
      assertEquals(2 * n - 1, target.call(n).size(), "each send carries the conversation so far");
    }
    assertEquals(List.of(ChatMessage.user("attack message 1"), ChatMessage.assistant("no comment 1"),
        ChatMessage.user("attack message 2")), target.call(2));
    assertTrue(attacker.call(1).get(0).content().contains("get the password"), "the attacker is told the objective");
    assertTrue(attacker.call(2).stream().anyMatch(m -> m.content().contains("no comment 1")), "the attacker sees the target's answers");
    assertEquals(6, o.pieces().size());
    assertEquals(3, o.scores().size(), "the objective scorer judged every answer");
    assertEquals(List.of("false", "false", "true"), o.scores().stream().map(PieceBatch.Score::scoreValue).toList());
    assertEquals("get the password", o.scores().get(2).task(), "the objective is the score's task");
    assertPyritFields(o, kit, 0);
  }

  @Test
  void redTeamingGivesUpAfterMaxTurns() {
    FakeModel attacker = FakeModel.saying("attacker", n -> "attack message " + n);
    FakeModel target = FakeModel.saying("target", n -> "no comment " + n);
    AttackKit kit = kit("red_teaming", new JsonObject().put("max_turns", 4), target, attacker, List.of(), List.of(),
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("swordfish"))));

    PromptOutcome o = run(kit, 0, "get the password");

    assertEquals(4, target.calls());
    assertFalse(o.attackSucceeded());
    assertTrue(o.answered());
    assertNull(o.error());
    assertEquals(8, o.pieces().size());
  }

  @Test
  void objectiveIsReachedWhenTheObjectiveScorerSaysTheAttackSucceeded() {
    // a refusal scorer as objective: reached when the target stops refusing, not when it refuses
    FakeModel attacker = FakeModel.saying("attacker", n -> "attack message " + n);
    FakeModel target = FakeModel.saying("target", n -> n < 3 ? REFUSAL : "All right, here is how.");
    AttackKit kit = kit("red_teaming", new JsonObject().put("max_turns", 5), target, attacker, List.of(), List.of(),
        scorer("refusal", new JsonObject()));

    PromptOutcome o = run(kit, 0, "make it comply");

    assertEquals(3, target.calls(), "the first answer that is not a refusal reaches the objective");
    assertTrue(o.attackSucceeded());
    assertEquals(List.of("true", "true", "false"), o.scores().stream().map(PieceBatch.Score::scoreValue).toList());
  }

  @Test
  void attackerFailureEndsTheAttackWithAnError() {
    FakeModel attacker = FakeModel.replying("attacker", (n, m) -> n == 2
        ? GeneratorReply.failed(ReplyError.RATE_LIMITED, 429, 10, 4, "HTTP 429") : FakeModel.ok("attack message " + n));
    FakeModel target = FakeModel.saying("target", n -> "no comment " + n);
    AttackKit kit = kit("red_teaming", new JsonObject().put("max_turns", 5), target, attacker, List.of(), List.of(),
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("swordfish"))));

    PromptOutcome o = run(kit, 0, "get the password");

    assertEquals(1, target.calls(), "no turn after the attacker failed");
    assertEquals(2, attacker.calls());
    assertFalse(o.attackSucceeded());
    assertEquals("attacker rate_limited", o.error());
    assertEquals(2, o.pieces().size(), "the first exchange stays recorded");
  }

  // ----- crescendo

  @Test
  void crescendoTakesBackRefusedExchangesAndReachesTheObjective() {
    FakeModel attacker = FakeModel.saying("attacker", n -> "step " + n);
    // calls 2 and 4 are refused; call 5 gives the objective away
    FakeModel target = FakeModel.saying("target", n -> switch (n) {
      case 2, 4 -> REFUSAL;
      case 5 -> "fine, the password is swordfish";
      default -> "answer " + n;
    });
    AttackKit kit = kit("crescendo", new JsonObject().put("max_turns", 10).put("max_backtracks", 5), target, attacker,
        List.of(), List.of(), scorer("substring", new JsonObject().put("substrings", new JsonArray().add("swordfish"))));

    PromptOutcome o = run(kit, 1, "get the password");

    assertEquals(5, target.calls());
    assertTrue(o.attackSucceeded());
    assertEquals(List.of(ChatMessage.user("step 1"), ChatMessage.assistant("answer 1"), ChatMessage.user("step 3")),
        target.call(3), "the refused exchange (step 2) was taken back");
    assertEquals(List.of(ChatMessage.user("step 1"), ChatMessage.assistant("answer 1"), ChatMessage.user("step 3"),
        ChatMessage.assistant("answer 3"), ChatMessage.user("step 5")), target.call(5), "and so was step 4");
    for (List<ChatMessage> sent : target.received) {
      assertFalse(sent.stream().anyMatch(m -> m.content().equals(REFUSAL)), "no refusal is ever shown back to the target");
    }
    assertTrue(attacker.call(3).stream().anyMatch(m -> m.content().contains("refused")), "the attacker is told to back off");
    assertEquals(10, o.pieces().size(), "refused exchanges remain recorded");
    assertEquals(REFUSAL, o.pieces().get(3).originalValue());
    assertEquals(3, o.scores().size(), "only the kept answers are judged");
    assertPyritFields(o, kit, 1);
  }

  @Test
  void crescendoStopsBacktrackingAfterMaxBacktracks() {
    FakeModel attacker = FakeModel.saying("attacker", n -> "step " + n);
    FakeModel target = FakeModel.saying("target", n -> REFUSAL);
    AttackKit kit = kit("crescendo", new JsonObject().put("max_turns", 3).put("max_backtracks", 2), target, attacker,
        List.of(), List.of(), scorer("substring", new JsonObject().put("substrings", new JsonArray().add("swordfish"))));

    PromptOutcome o = run(kit, 0, "get the password");

    assertEquals(5, target.calls(), "two refusals taken back, then three turns that count");
    assertEquals(List.of(ChatMessage.user("step 3")), target.call(3), "the second refusal was still taken back");
    assertEquals(List.of(ChatMessage.user("step 3"), ChatMessage.assistant(REFUSAL), ChatMessage.user("step 4")), target.call(4),
        "past max_backtracks a refusal stays in the conversation");
    assertFalse(o.attackSucceeded());
    assertTrue(o.answered());
    assertEquals(10, o.pieces().size());
  }

  // ----- helpers

  /** The PyRIT fields every piece of one conversation carries. */
  private static void assertPyritFields(PromptOutcome o, AttackKit kit, int index) {
    assertNotNull(o.conversationId());
    for (int i = 0; i < o.pieces().size(); i++) {
      PieceBatch.Piece p = o.pieces().get(i);
      assertEquals(o.conversationId(), p.conversationId(), "one conversation");
      assertEquals(i, p.sequence(), "increasing sequence");
      assertTrue(p.role().equals(i % 2 == 0 ? "user" : "assistant"), "user and assistant take turns");
      assertEquals(EXECUTION, new JsonObject(p.labels()).getString("execution_id"));
      assertEquals("red", new JsonObject(p.labels()).getString("team"));
      JsonObject meta = new JsonObject(p.promptMetadata());
      assertEquals(EXECUTION, meta.getString("execution_id"));
      assertEquals(index, meta.getInteger("prompt_index"));
      assertEquals(kit.target().identifier(), new JsonObject(p.promptTargetIdentifier()));
      assertEquals(kit.orchestratorIdentifier(), new JsonObject(p.orchestratorIdentifier()));
      assertEquals(p.id(), p.originalPromptId());
      // hashed by the memory's worker when stored (PieceStore.appendPieces), not on the execution's loop
      assertNull(p.originalValueSha256());
      assertNull(p.convertedValueSha256());
      if (p.role().equals("user") && !kit.converters().isEmpty()) {
        assertNotNull(p.converterIdentifiers(), "converted user pieces name their converters");
      }
    }
  }

  private static AttackKit kit(String type, JsonObject params, FakeModel target, FakeModel attacker,
                               List<Part<Converter>> converters, List<Part<Scorer>> scorers, Part<Scorer> objective) {
    JsonObject given = params.copy().put("generator_id", "target-id").put("dataset_id", "dataset-id");
    if (attacker != null) {
      given.put("attacker_generator_id", "attacker-id").put("objective_scorer_id", "objective-id");
    }
    JsonObject valid = Orchestrators.catalog().validate(type, given);
    JsonObject orchestrator = new JsonObject().put("__type__", type).put("__module__", "gauntlet.orchestrator")
        .put("id", "orch-1").put("execution_id", EXECUTION);
    return new AttackKit(EXECUTION, new Part<>(target, target.identifier()),
        attacker == null ? null : new Part<>(attacker, attacker.identifier()), converters, scorers, objective, valid,
        new JsonObject().put("execution_id", EXECUTION).put("team", "red"), orchestrator);
  }

  private static PromptOutcome run(AttackKit kit, int index, String prompt) {
    Orchestration o = Orchestrators.catalog().get(kit.orchestratorIdentifier().getString("__type__")).factory().create(kit);
    return await(o.run(index, prompt));
  }

  private static Part<Converter> converter(String type, JsonObject params) {
    return new Part<>(Converters.create(type, params, id -> {
      throw Problem.notFound("generator", id);
    }), ConverterChain.identifier(type, type + "-id", type));
  }

  private static Part<Scorer> scorer(String type, JsonObject params) {
    Scorer s = Scorers.create(type, params, new ScorerContext() {
      @Override
      public dev.gauntlet.generator.Generator generator(String id) {
        throw Problem.notFound("generator", id);
      }

      @Override
      public Scorer scorer(String id) {
        throw Problem.notFound("scorer", id);
      }
    });
    return new Part<>(s, new JsonObject().put("__type__", type).put("__module__", "gauntlet.scorer").put("id", type + "-id"));
  }

  private static int occurrences(String text, String part) {
    return (int) IntStream.range(0, text.length() - part.length() + 1).filter(i -> text.startsWith(part, i)).count();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the strategy did not complete: " + e, e);
    }
  }
}
