package dev.gauntlet.orchestrator;

import dev.gauntlet.generator.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Tree of Attacks with Pruning (Mehrotra et al., 2023). From a root holding the objective, each
 * iteration asks the attacker for {@code branching_factor} refined prompts per leaf, each from that
 * leaf's own attacker conversation; drops the prompts the evaluator finds off topic (phase 1,
 * {@code on_topic_pruning}); sends the survivors to the target, each in a conversation of its own;
 * has the evaluator rate each answer 1–10 and keeps the {@code width} best as the next leaves
 * (phase 2), until the objective scorer says the objective is reached or {@code depth} iterations
 * are done. The target sees at most {@code width × branching_factor} prompts per iteration.
 *
 * <p>Every node's pieces carry {@code tap_depth}, {@code tap_path} (such as {@code 2.1}: second
 * child of the root, its first child), {@code tap_parent} (the parent node's conversation id, none
 * at depth 1), {@code tap_judge_score} and, when it was pruned, {@code tap_pruned}
 * ({@code off_topic} before sending; {@code width} or {@code no_answer} after judging), so the tree
 * can be rebuilt from memory. All conversations of one objective are committed together as that
 * prompt's result, so a resumed execution either has the whole tree or sends it again.
 */
final class Tap implements Orchestration {

  private final AttackKit kit;
  private final int width;
  private final int depth;
  private final int branching;
  private final boolean onTopicPruning;

  Tap(AttackKit kit) {
    this.kit = kit;
    this.width = kit.intParam("width", 4);
    this.depth = kit.intParam("depth", 5);
    this.branching = kit.intParam("branching_factor", 2);
    this.onTopicPruning = kit.parameters().getBoolean("on_topic_pruning", true);
  }

  /** The most target requests one objective can cost: every iteration sends at most width × branching_factor. */
  static int bound(int width, int depth, int branching) {
    return width * branching * depth;
  }

  /** A leaf of the tree: its attacker conversation, where it sits, and its conversation with the target. */
  private record Node(List<ChatMessage> attacker, String path, Transcript conversation) {}

  /** A child being grown: its node once it has one, and its rating. */
  private static final class Child {
    Node node;
    Refinement.Tried tried;
  }

  @Override
  public Future<PromptOutcome> run(int index, String objective) {
    Refinement r = new Refinement(kit, index, objective);
    Node root = new Node(Refinement.attackerStart(objective), "", null);
    return level(r, List.of(root), 1).map(v -> r.outcome());
  }

  private Future<Void> level(Refinement r, List<Node> leaves, int d) {
    if (d > depth || leaves.isEmpty() || r.reached) {
      return Future.succeededFuture();
    }
    List<Child> children = new ArrayList<>();
    List<Future<Void>> grown = new ArrayList<>();
    for (Node leaf : leaves) {
      for (int b = 1; b <= branching; b++) {
        Child c = new Child();
        children.add(c);
        grown.add(grow(r, leaf, leaf.path().isEmpty() ? String.valueOf(b) : leaf.path() + "." + b, d, c));
      }
    }
    return Future.join(grown).transform(ignored -> {
      // phase 2: the best rated answered children go on; the rest are pruned, and say so
      List<Child> answered = children.stream().filter(c -> c.tried != null && c.tried.response() != null)
          .sorted(Comparator.comparingInt((Child c) -> c.tried.rank()).reversed()).toList();
      List<Node> next = new ArrayList<>();
      for (Child c : answered) {
        if (next.size() < width) {
          next.add(c.node);
        } else {
          c.node.conversation().annotate(new JsonObject().put("tap_pruned", "width"));
        }
      }
      for (Child c : children) {
        if (c.node != null && c.tried != null && c.tried.response() == null) {
          c.node.conversation().annotate(new JsonObject().put("tap_pruned", "no_answer"));
        }
      }
      return level(r, next, d + 1);
    });
  }

  /** One child: the attacker's refined prompt, the on-topic check, the target's answer and its rating. */
  private Future<Void> grow(Refinement r, Node parent, String path, int d, Child child) {
    if (r.reached) {
      return Future.succeededFuture();
    }
    List<ChatMessage> history = new ArrayList<>(parent.attacker());
    return kit.attacker().value().send(List.copyOf(history)).<Void>compose(reply -> {
      AttackerAnswers.Candidate candidate = reply.ok() ? AttackerAnswers.candidate(reply.text()) : null;
      if (candidate == null) {
        r.failed("attacker", reply);
        return Future.succeededFuture();
      }
      history.add(ChatMessage.assistant(reply.text()));
      JsonObject meta = new JsonObject().put("tap_depth", d).put("tap_path", path)
          .put("tap_parent", parent.conversation() == null ? null : parent.conversation().conversationId())
          .put("attacker_format", candidate.json() ? "json" : "text");
      if (candidate.improvement() != null) {
        meta.put("tap_improvement", candidate.improvement());
      }
      Future<Boolean> onTopic = onTopicPruning ? r.onTopic(candidate.prompt()) : Future.succeededFuture(true);
      return onTopic.<Void>compose(topical -> {
        Transcript t = r.open();
        if (Boolean.FALSE.equals(topical)) {
          t.unsent(candidate.prompt(), meta.put("tap_pruned", "off_topic"));
          return Future.succeededFuture();
        }
        if (topical == null) {
          // an evaluator that could not tell keeps the branch: pruning is an economy, not a verdict
          meta.put("tap_on_topic", "unknown");
        }
        if (r.reached) {
          t.unsent(candidate.prompt(), meta.put("not_sent", "objective already reached"));
          return Future.succeededFuture();
        }
        child.node = new Node(history, path, t);
        return r.attempt(t, candidate.prompt(), meta, "tap_judge_score").<Void>map(tried -> {
          child.tried = tried;
          if (tried.response() != null) {
            history.add(ChatMessage.user(Refinement.feedback(r.objective, tried.response(), tried.rating(), tried.note())));
          }
          return null;
        });
      });
    }).otherwise(e -> {
      r.failed("attack_failed", "TAP branch " + path + " failed: " + e.getMessage());
      return null;
    });
  }
}
