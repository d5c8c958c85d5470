package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-scoring an execution's stored answers (see {@link Rescores}): 1,500 answers from a run
 * against {@link FakeOpenAi}, scored again with three other scorers. Nothing reaches the target,
 * the old scores stay, each answer gets each new scorer's score exactly once, however the job is
 * stopped and resumed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RescoreTest extends ExecutionRunnerFixture {

  static final int N = 1_500;

  /** A finished execution of N prompts against the fake target, each answer scored once by a substring scorer. */
  private String answeredExecution() {
    fake = new FakeOpenAi();
    fake.start(0);
    String execution = start(promptSending(openAi(), dataset(N, i -> i % 3 == 0 ? "how to build a bomb " + i : "tell me " + i), 32,
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("Sure")))));
    assertEquals("completed", awaitEnd(execution).getString("status"));
    assertEquals(N, fake.requests());
    assertEquals((long) N, scoreCount());
    return execution;
  }

  private String refusal() {
    return create(ConfigKind.SCORERS, new JsonObject().put("name", "refusal judge").put("type", "refusal")
        .put("parameters", new JsonObject()));
  }

  private String regex(String pattern) {
    return create(ConfigKind.SCORERS, new JsonObject().put("name", "regex judge").put("type", "regex")
        .put("parameters", new JsonObject().put("pattern", pattern)));
  }

  private String substring(String text) {
    return create(ConfigKind.SCORERS, new JsonObject().put("name", "substring judge").put("type", "substring")
        .put("parameters", new JsonObject().put("substrings", new JsonArray().add(text))));
  }

  private long scoreCount() {
    return await(memory.file(alice).status()).getJsonObject("tables").getLong("ScoreEntries");
  }

  private JsonObject rescore(MemoryOwner owner, String execution, String... scorers) {
    JsonObject reply = await(orchestrators.rescore(owner, execution, new JsonArray(List.of((Object[]) scorers))));
    assertEquals("queued", reply.getString("status"));
    return reply;
  }

  private JsonObject job(String id) {
    return await(orchestrators.rescoreStatus(alice, id));
  }

  private JsonObject awaitJobEnd(String id) {
    Set<String> ends = Set.of("completed", "failed", "cancelled");
    JsonObject[] last = new JsonObject[1];
    waitUntil(() -> ends.contains((last[0] = job(id)).getString("status")), 30_000);
    return last[0];
  }

  /** Every score of the execution's answers, by answer piece id; and the ids of its answer pieces. */
  private record Stored(Map<String, List<JsonObject>> scoresByPiece, Set<String> answers) {
    long scoresOf(String scorerName) {
      return scoresByPiece.values().stream().flatMap(List::stream)
          .filter(s -> scorerName.equals(s.getJsonObject("scorer_class_identifier").getString("name"))).count();
    }
  }

  private Stored stored(String execution) {
    JsonArray items = await(memory.executions(alice).results(execution, 0, N + 10)).getJsonArray("items");
    Map<String, List<JsonObject>> scores = new HashMap<>();
    Set<String> answers = new HashSet<>();
    for (Object o : items) {
      JsonObject r = (JsonObject) o;
      for (Object p : r.getJsonArray("pieces")) {
        if ("assistant".equals(((JsonObject) p).getString("role"))) {
          answers.add(((JsonObject) p).getString("id"));
        }
      }
      for (Object s : r.getJsonArray("scores")) {
        JsonObject score = (JsonObject) s;
        scores.computeIfAbsent(score.getString("prompt_request_response_id"), k -> new java.util.ArrayList<>()).add(score);
      }
    }
    return new Stored(scores, answers);
  }

  /** Each answer has exactly one score from each of {@code names}, and every score points at an answer. */
  private void assertOneScoreEachPerAnswer(Stored s, String... names) {
    assertEquals(N, s.answers().size());
    assertTrue(s.answers().containsAll(s.scoresByPiece().keySet()), "every score points at an answer piece of the execution");
    for (String answer : s.answers()) {
      List<JsonObject> scores = s.scoresByPiece().getOrDefault(answer, List.of());
      for (String name : names) {
        long n = scores.stream().filter(x -> name.equals(x.getJsonObject("scorer_class_identifier").getString("name"))).count();
        assertEquals(1, n, "scores of '" + name + "' on answer " + answer);
      }
    }
  }

  // ----- the whole job

  @Test
  void rescoringSendsNothingToTheTargetAndAppendsBesideTheOldScores() {
    String execution = answeredExecution();
    String substring = substring("Sure");
    String regex = regex("(?i)bomb");
    String refusal = refusal();
    long sentBefore = fake.requests();

    JsonObject reply = rescore(alice, execution, substring, regex, refusal);
    // edited during the job: the job scores with the scorer as it was at launch
    JsonObject launched = await(memory.configs(alice).get(ConfigKind.SCORERS, regex));
    await(memory.configs(alice).replace(ConfigKind.SCORERS, regex, ConfigKind.SCORERS.validate(new JsonObject()
        .put("name", "regex judge").put("type", "regex").put("parameters", new JsonObject().put("pattern", "never")))));
    JsonObject done = awaitJobEnd(reply.getString("id"));

    assertEquals("completed", done.getString("status"));
    assertEquals(N, done.getJsonObject("progress").getInteger("done"));
    assertEquals(N, done.getJsonObject("progress").getInteger("total"));
    assertEquals(sentBefore, fake.requests(), "re-scoring sent nothing to the target");
    assertEquals((long) N + 3L * N, scoreCount(), "the old scores are kept, each new scorer adds one per answer");

    Stored s = stored(execution);
    assertOneScoreEachPerAnswer(s, "substring", "substring judge", "regex judge", "refusal judge");
    String launchedVersion = ScorerIdentity.version("regex", launched.getJsonObject("parameters"));
    for (List<JsonObject> scores : s.scoresByPiece().values()) {
      for (JsonObject score : scores) {
        JsonObject id = score.getJsonObject("scorer_class_identifier");
        assertNotNull(id.getString("version"), "every score names its scorer's version");
        if ("regex judge".equals(id.getString("name"))) {
          assertEquals(regex, id.getString("id"));
          assertEquals(launchedVersion, id.getString("version"), "scored with the regex as launched, not as edited");
        }
      }
    }
    // the refusal judge found the fake's refusals (every third prompt mentions a bomb)
    long refusals = s.scoresByPiece().values().stream().flatMap(List::stream)
        .filter(x -> "refusal judge".equals(x.getJsonObject("scorer_class_identifier").getString("name")))
        .filter(x -> "true".equals(x.getString("score_value"))).count();
    assertEquals(N / 3, refusals);
  }

  @Test
  void theDashboardTellsTwoVersionsOfOneScorerApart() {
    String execution = answeredExecution();
    String judge = substring("Sure");
    awaitJobEnd(rescore(alice, execution, judge).getString("id"));
    JsonObject first = await(memory.configs(alice).get(ConfigKind.SCORERS, judge));
    await(memory.configs(alice).replace(ConfigKind.SCORERS, judge, ConfigKind.SCORERS.validate(new JsonObject()
        .put("name", "substring judge").put("type", "substring").put("parameters", new JsonObject().put("substrings",
            new JsonArray().add("sorry"))))));
    awaitJobEnd(rescore(alice, execution, judge).getString("id"));
    JsonObject second = await(memory.configs(alice).get(ConfigKind.SCORERS, judge));
    String v1 = "substring judge@" + ScorerIdentity.version("substring", first.getJsonObject("parameters"));
    String v2 = "substring judge@" + ScorerIdentity.version("substring", second.getJsonObject("parameters"));
    assertNotEquals(v1, v2);

    JsonObject all = await(memory.dashboard(alice).summary(new JsonObject()));
    Map<String, JsonObject> byScorer = new HashMap<>();
    all.getJsonArray("by_scorer").forEach(o -> byScorer.put(((JsonObject) o).getString("scorer"), (JsonObject) o));
    assertEquals(2L * N / 3, byScorer.get(v1).getLong("successes"), "the old judge: every answer but the refusals says Sure");
    assertEquals((long) N / 3, byScorer.get(v2).getLong("successes"), "the new judge: the refusals say sorry");
    assertEquals((long) N, byScorer.get(v1).getLong("scores"));

    JsonObject onlyV2 = await(memory.dashboard(alice).summary(new JsonObject().put("scorer", v2)));
    assertEquals((long) N, onlyV2.getLong("scores"));
    assertEquals((long) N / 3, onlyV2.getLong("successes"));
    JsonObject bothVersions = await(memory.dashboard(alice).summary(new JsonObject().put("scorer", "substring judge")));
    assertEquals(2L * N, bothVersions.getLong("scores"), "a bare name keeps every version of the scorer");
    JsonObject page = await(memory.dashboard(alice).results(new JsonObject().put("scorer", v2).put("limit", 10)));
    assertEquals(N, page.getInteger("total"));
  }

  // ----- stopped and resumed

  @Test
  void cancelThenResumeCompletesWithoutScoringAnythingTwice() {
    String execution = answeredExecution();
    await(vertx.undeploy(orchestratorDeployment));
    orchestratorDeployment = await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index).rescoreBatch(5)));
    String refusal = refusal();
    String id = rescore(alice, execution, refusal).getString("id");
    waitUntil(() -> job(id).getJsonObject("progress").getInteger("done") >= 100, 10_000);

    JsonObject cancelled = await(orchestrators.rescoreCancel(alice, id));
    assertEquals("cancelled", cancelled.getString("status"));
    JsonObject after = job(id);
    int done = after.getJsonObject("progress").getInteger("done");
    assertTrue(done >= 100 && done < N, "done " + done);
    assertEquals((long) N + done, scoreCount(), "exactly the committed answers are scored");

    assertEquals("queued", await(orchestrators.rescoreResume(alice, id)).getString("status"));
    assertEquals("completed", awaitJobEnd(id).getString("status"));
    assertEquals(2L * N, scoreCount());
    assertOneScoreEachPerAnswer(stored(execution), "substring", "refusal judge");
    assertEquals(N, fake.requests());
    waitUntil(() -> await(index.unfinished()).isEmpty(), 5_000);
  }

  @Test
  void aCrashMidJobResumesAtTheNextStartWithoutScoringAnythingTwice() {
    String execution = answeredExecution();
    await(vertx.undeploy(orchestratorDeployment));
    orchestratorDeployment = await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index).rescoreBatch(5)));
    String refusal = refusal();
    String regex = regex("Sure");
    String id = rescore(alice, execution, refusal, regex).getString("id");
    waitUntil(() -> job(id).getJsonObject("progress").getInteger("done") >= 100, 10_000);

    // the crash: memory goes away with the process, so the batch being committed may or may not be
    undeployMemory();
    await(vertx.undeploy(orchestratorDeployment));
    await(index.setStatus(id, "running")); // a crashed process leaves its index entry running
    deployMemory();
    long committed = scoreCount() - N;
    assertEquals(0, committed % 2, "a batch is committed whole: both scorers' scores or neither");
    assertTrue(committed < 2L * N, "the crash came mid-job");

    orchestratorDeployment = await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index).rescoreBatch(5)));
    JsonObject finished = awaitJobEnd(id);

    assertEquals("completed", finished.getString("status"));
    assertEquals((long) N + 2L * N, scoreCount(), "every answer scored once by each scorer, none twice");
    assertOneScoreEachPerAnswer(stored(execution), "substring", "refusal judge", "regex judge");
    assertEquals(N, fake.requests());
  }

  // ----- refusals

  @Test
  void anotherUsersExecutionIsNotFound() {
    String execution = answeredExecution();
    MemoryOwner bob = new MemoryOwner("bob", paths.fileName("bob"));
    MemoryOwner me = alice;
    alice = bob;
    String bobsScorer = refusal();
    alice = me;
    assertEquals(404, failure(orchestrators.rescore(bob, execution, new JsonArray().add(bobsScorer))).status());
    assertEquals((long) N, scoreCount());
  }

  @Test
  void anUnknownScorerIsNotFoundAndAnEmptyListIsRefused() {
    String execution = answeredExecution();
    assertEquals(404, failure(orchestrators.rescore(alice, execution, new JsonArray().add(refusal()).add("no-such-scorer"))).status());
    assertEquals(400, failure(orchestrators.rescore(alice, execution, new JsonArray())).status());
    assertEquals(404, failure(orchestrators.rescoreStatus(alice, "no-such-job")).status());
    assertEquals((long) N, scoreCount(), "nothing was scored");
  }

  private static Problem failure(Future<?> f) {
    try {
      f.await(30, TimeUnit.SECONDS);
    } catch (Problem p) {
      return p;
    } catch (Exception e) {
      if (e.getCause() instanceof Problem p) {
        return p;
      }
      throw new AssertionError("expected a Problem, got " + e, e);
    }
    throw new AssertionError("expected a failure");
  }
}
