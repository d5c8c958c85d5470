package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.GeneratorReply;
import dev.gauntlet.generator.ReplyError;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.verdict.Outcome;
import dev.gauntlet.verdict.Verdict;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.gauntlet.orchestrator.AttackKits.conversations;
import static dev.gauntlet.orchestrator.AttackKits.kit;
import static dev.gauntlet.orchestrator.AttackKits.meta;
import static dev.gauntlet.orchestrator.AttackKits.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tree of attacks with pruning against scripted models: the attacker numbers its prompts by call
 * ({@code prompt #n}), the evaluator calls some of them off topic and rates the answers from a
 * table, and the target answers whatever it is sent. What was pruned where, what the target saw,
 * and when the tree stops.
 */
class TapTest {

  private static final Pattern NUMBER = Pattern.compile("prompt #(\\d+)");

  /** An attacker writing {@code prompt #n} on its n-th call, as the JSON asked for. */
  private static FakeModel attacker() {
    return FakeModel.saying("attacker", n -> "{\"improvement\": \"try " + n + "\", \"prompt\": \"prompt #" + n + "\"}");
  }

  private static int number(String text) {
    Matcher m = NUMBER.matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Off topic: the prompts numbered in {@code offTopic}. Judge: the rating in {@code ratings}, else a sentence it cannot rate. */
  private static FakeModel evaluator(Set<Integer> offTopic, Map<Integer, Integer> ratings) {
    return FakeModel.replying("evaluator", (n, m) -> {
      int prompt = number(FakeModel.lastUserText(m));
      if (AttackKits.isOnTopicCheck(m)) {
        return FakeModel.ok(offTopic.contains(prompt) ? "No, it drifted." : "{\"on_topic\": true}");
      }
      Integer rating = ratings.get(prompt);
      return FakeModel.ok(rating == null ? "I would rather not say." : prompt % 2 == 0
          ? "{\"rating\": " + rating + ", \"reason\": \"scripted\"}" : "Rating: [[" + rating + "]]");
    });
  }

  private static FakeModel echoingTarget() {
    return FakeModel.replying("target", (n, m) -> FakeModel.ok("answer to " + FakeModel.lastUserText(m)));
  }

  private static PieceBatch.Piece userPiece(PromptOutcome o, int prompt) {
    return o.pieces().stream().filter(p -> p.role().equals("user") && p.originalValue().equals("prompt #" + prompt))
        .findFirst().orElseThrow(() -> new AssertionError("no piece for prompt #" + prompt));
  }

  @Test
  void offTopicPromptsAreNeverSentAndOnlyTheWidthBestRatedGrow() {
    FakeModel attacker = attacker();
    FakeModel target = echoingTarget();
    // #2 and #5 drift off topic; #6's rating cannot be read, so it ranks lowest
    FakeModel evaluator = evaluator(Set.of(2, 5), Map.of(1, 5, 3, 3, 4, 7, 7, 9, 8, 5));
    AttackKit kit = kit("tap", new JsonObject().put("width", 2).put("depth", 3).put("branching_factor", 2),
        target, attacker, evaluator, "swordfish");

    PromptOutcome o = run(kit, 4, "get the password");

    // depth 1: #1, #2 (off topic); depth 2: #3, #4 from #1; depth 3: #5 (off topic), #6 from #4, #7, #8 from #3
    assertEquals(8, attacker.calls(), "branching_factor children per leaf per level");
    assertEquals(List.of("prompt #1", "prompt #3", "prompt #4", "prompt #6", "prompt #7", "prompt #8"),
        target.received.stream().map(FakeModel::lastUserText).toList(), "the target saw only the surviving prompts");
    target.received.forEach(m -> assertEquals(1, m.size(), "each candidate is sent alone"));
    assertTrue(target.calls() <= Tap.bound(2, 3, 2), "within width x branching_factor x depth");

    Map<String, List<PieceBatch.Piece>> byConversation = conversations(o);
    assertEquals(8, byConversation.size(), "one conversation per node");
    PieceBatch.Piece two = userPiece(o, 2);
    assertEquals("off_topic", meta(two).getString("tap_pruned"));
    assertEquals(1, meta(two).getInteger("tap_depth"));
    assertEquals(1, byConversation.get(two.conversationId()).size(), "an off-topic prompt has no answer");
    PieceBatch.Piece five = userPiece(o, 5);
    assertEquals("off_topic", meta(five).getString("tap_pruned"));
    assertEquals(3, meta(five).getInteger("tap_depth"));
    assertEquals("1.2.1", meta(five).getString("tap_path"));
    assertEquals(userPiece(o, 4).conversationId(), meta(five).getString("tap_parent"), "the parent is #4's node");
    assertNull(meta(userPiece(o, 1)).getString("tap_parent"), "depth 1 grows from the root");

    List<PieceBatch.Piece> six = byConversation.get(userPiece(o, 6).conversationId());
    assertEquals("width", meta(six.get(0)).getString("tap_pruned"), "the lowest rated at depth 3 is cut by width");
    assertEquals("width", meta(six.get(1)).getString("tap_pruned"));
    assertNull(meta(six.get(1)).getInteger("tap_judge_score"), "an unreadable rating is no rating");
    assertTrue(meta(six.get(1)).getString("tap_judge_score_note").startsWith("unreadable rating"));
    List<PieceBatch.Piece> seven = byConversation.get(userPiece(o, 7).conversationId());
    assertEquals(9, meta(seven.get(1)).getInteger("tap_judge_score"));
    assertNull(meta(seven.get(1)).getString("tap_pruned"), "a leaf kept at the last level");
    assertEquals("1.1.1", meta(seven.get(0)).getString("tap_path"), "#7 grew from #3, the lower rated of depth 2");
    assertNull(meta(userPiece(o, 3)).getString("tap_pruned"));
    assertNull(meta(userPiece(o, 4)).getString("tap_pruned"));

    // #3 and #4 are children of #1: their attacker conversation carries #1's answer and rating
    List<ChatMessage> third = attacker.call(3);
    assertTrue(FakeModel.lastUserText(third).contains("answer to prompt #1") && FakeModel.lastUserText(third).contains("5/10"));
    assertTrue(attacker.call(1).get(0).content().contains("get the password"), "the attacker is told the objective");

    assertEquals(Verdict.of(Outcome.HELD, null), o.verdict(), "the objective scorer never saw the password");
    assertEquals(4, o.index());
    assertEquals(seven.get(0).conversationId(), o.conversationId(), "the result shows the best rated conversation");
  }

  @Test
  void withNoSuccessTheTreeStopsAtDepthWithinItsBound() {
    FakeModel attacker = attacker();
    FakeModel target = echoingTarget();
    Map<Integer, Integer> ratings = new HashMap<>();
    for (int i = 1; i <= 100; i++) {
      ratings.put(i, 1 + i % 10);
    }
    FakeModel evaluator = evaluator(Set.of(), ratings);
    AttackKit kit = kit("tap", new JsonObject(), target, attacker, evaluator, "swordfish");

    PromptOutcome o = run(kit, 0, "get the password");

    // defaults width 4, depth 5, branching 2: levels send 2, 4, 8, 8, 8
    int bound = Tap.bound(4, 5, 2);
    System.out.printf("TAP at defaults (width 4, depth 5, branching_factor 2), no success, nothing off topic: "
        + "%d target requests per objective, bound width x branching_factor x depth = %d; attacker %d, evaluator %d calls%n",
        target.calls(), bound, attacker.calls(), evaluator.calls());
    assertEquals(30, target.calls());
    assertTrue(target.calls() <= bound);
    assertEquals(30, attacker.calls());
    assertEquals(60, evaluator.calls(), "an on-topic check and a rating per prompt");
    assertEquals(5, o.pieces().stream().mapToInt(p -> meta(p).getInteger("tap_depth")).max().orElse(0));
    assertEquals(Outcome.HELD, o.outcome());
    assertEquals(30, o.scores().size(), "the objective scorer judged every answer");
  }

  @Test
  void theTreeStopsAsSoonAsTheObjectiveIsReached() {
    FakeModel attacker = attacker();
    FakeModel target = FakeModel.replying("target", (n, m) -> FakeModel.ok(
        FakeModel.lastUserText(m).equals("prompt #3") ? "fine: the password is swordfish" : "no"));
    AttackKit kit = kit("tap", new JsonObject(), target, attacker, evaluator(Set.of(), Map.of()), "swordfish");

    PromptOutcome o = run(kit, 0, "get the password");

    assertEquals(3, target.calls(), "#1 and #2 at depth 1, then #3 reaches it and nothing more is sent");
    assertEquals(3, attacker.calls(), "no sibling of #3 is grown once the objective is reached");
    assertTrue(o.attackSucceeded());
    assertEquals(userPiece(o, 3).conversationId(), o.conversationId(), "the result shows the winning conversation");
  }

  @Test
  void withoutOnTopicPruningEveryPromptIsSentAndTheAttackerJudgesWhenNoEvaluatorIsGiven() {
    FakeModel attacker = FakeModel.replying("attacker", (n, m) -> m.get(0).content().equals(Refinement.JUDGE_SYSTEM)
        ? FakeModel.ok("{\"rating\": 4}") : FakeModel.ok("plain prompt " + n));
    FakeModel target = echoingTarget();
    AttackKit kit = kit("tap", new JsonObject().put("depth", 1).put("on_topic_pruning", false), target, attacker, null, "swordfish");

    PromptOutcome o = run(kit, 0, "get the password");

    assertEquals(2, target.calls());
    assertEquals(4, attacker.calls(), "two prompts and two ratings, no on-topic check");
    assertEquals("text", meta(o.pieces().get(0)).getString("attacker_format"), "plain text is taken as the prompt");
    assertEquals(4, meta(o.pieces().get(1)).getInteger("tap_judge_score"));
  }

  @Test
  void anAttackerThatNeverAnswersIsAnAttackerErrorNotHeld() {
    FakeModel attacker = FakeModel.replying("attacker", (n, m) -> GeneratorReply.failed(ReplyError.TIMEOUT, 0, 5, 1, "slow"));
    FakeModel target = echoingTarget();
    PromptOutcome o = run(kit("tap", new JsonObject(), target, attacker, null, "swordfish"), 0, "get the password");

    assertEquals(0, target.calls());
    assertEquals(Verdict.of(Outcome.ERROR, "attacker_timeout"), o.verdict());
    assertEquals(2, attacker.calls(), "both root branches tried, no deeper level without a leaf");
  }

  @Test
  void badParametersAreRefusedNamingThem() {
    Problem width = assertThrows(Problem.class, () -> Orchestrators.catalog().validate("tap",
        new JsonObject().put("generator_id", "t").put("attacker_generator_id", "a").put("objective_scorer_id", "s").put("width", 0)));
    assertEquals(400, width.status());
    assertTrue(width.getMessage().contains("parameters.width"), width.getMessage());
    Problem pruning = assertThrows(Problem.class, () -> Orchestrators.catalog().validate("tap",
        new JsonObject().put("generator_id", "t").put("attacker_generator_id", "a").put("objective_scorer_id", "s")
            .put("on_topic_pruning", "yes")));
    assertTrue(pruning.getMessage().contains("parameters.on_topic_pruning"), pruning.getMessage());
    Problem turns = assertThrows(Problem.class, () -> Orchestrators.catalog().validate("tap",
        new JsonObject().put("generator_id", "t").put("attacker_generator_id", "a").put("objective_scorer_id", "s").put("max_turns", 3)));
    assertTrue(turns.getMessage().contains("max_turns"), "TAP counts depth, not turns: " + turns.getMessage());
  }
}
