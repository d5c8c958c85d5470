package dev.gauntlet.scorer;

import dev.gauntlet.Problem;
import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.Generator;
import dev.gauntlet.generator.GeneratorReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** Builds scorers through the catalog, as the server does, over a context of test generators and scorers. */
final class ScorerTesting {

  private ScorerTesting() {
  }

  /** Generators and scorers by id, as a user's configuration would resolve them. */
  static final class Context implements ScorerContext {
    final Map<String, Generator> generators = new HashMap<>();
    final Map<String, Scorer> scorers = new HashMap<>();

    Context generator(String id, Generator g) {
      generators.put(id, g);
      return this;
    }

    Context scorer(String id, Scorer s) {
      scorers.put(id, s);
      return this;
    }

    /** Builds a scorer from the catalog and registers it under {@code id} for combinators. */
    Context scorer(String id, String type, JsonObject params) {
      return scorer(id, Scorers.create(type, params, this));
    }

    @Override
    public Generator generator(String id) {
      Generator g = generators.get(id);
      if (g == null) {
        throw Problem.notFound("generator", id);
      }
      return g;
    }

    @Override
    public Scorer scorer(String id) {
      Scorer s = scorers.get(id);
      if (s == null) {
        throw Problem.notFound("scorer", id);
      }
      return s;
    }
  }

  /** A judge model outside the process, played by a script of replies; it keeps every conversation it was sent. */
  static final class FakeJudge implements Generator {
    final Deque<GeneratorReply> replies = new ArrayDeque<>();
    final List<List<ChatMessage>> received = new ArrayList<>();

    static FakeJudge answering(String... texts) {
      FakeJudge j = new FakeJudge();
      for (String t : texts) {
        j.replies.add(GeneratorReply.ok(t, 200, 5, 1));
      }
      return j;
    }

    static FakeJudge failing(GeneratorReply reply) {
      FakeJudge j = new FakeJudge();
      j.replies.add(reply);
      return j;
    }

    @Override
    public Future<GeneratorReply> send(List<ChatMessage> messages) {
      received.add(messages);
      GeneratorReply next = replies.poll();
      return next == null ? Future.failedFuture("fake judge has no more replies") : Future.succeededFuture(next);
    }

    @Override
    public JsonObject identifier() {
      return new JsonObject().put("__type__", "FakeJudge").put("__module__", "test");
    }

    /** All text of the last conversation sent: system prompt and user message. */
    String lastRequest() {
      return received.get(received.size() - 1).stream().map(m -> m.role() + ": " + m.content())
          .reduce("", (a, b) -> a + "\n" + b);
    }
  }

  static Scorer build(String type, JsonObject params) {
    return Scorers.create(type, params, new Context());
  }

  static ScoreResult scoreOne(Scorer scorer, String response) {
    return scoreOne(scorer, ScoreInput.of(response));
  }

  static ScoreResult scoreOne(Scorer scorer, ScoreInput input) {
    List<ScoreResult> results = await(scorer.score(input));
    assertEquals(1, results.size(), "one result expected: " + results);
    return results.get(0);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return fail("scoring failed: " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      return fail(e);
    }
  }

  /** The message of the failure the future ends in; fails the test if it succeeds. */
  /** The reason of the one undetermined result the scorer gives (its value null, the reason in rationale and metadata). */
  static String undeterminedReason(Scorer scorer, ScoreInput input) {
    ScoreResult r = scoreOne(scorer, input);
    assertTrue(r.undetermined(), "undetermined expected, got value " + r.value());
    org.junit.jupiter.api.Assertions.assertNull(r.verdict(), "an undetermined score is no verdict");
    assertEquals(r.rationale(), r.metadata().getString(ScoreResult.UNDETERMINED), "the reason is in the metadata too");
    return r.rationale();
  }

  static String failureOf(Future<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    return e.getCause().getMessage();
  }

  static void assertBadRequest(Runnable action, String mentioned) {
    Problem p = assertThrows(Problem.class, action::run);
    assertEquals(400, p.status(), p.getMessage());
    if (!p.getMessage().contains(mentioned)) {
      fail("'" + p.getMessage() + "' should mention " + mentioned);
    }
  }
}
