package dev.gauntlet.operations;

import dev.gauntlet.auth.Caller;
import dev.gauntlet.orchestrator.ScorerIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Human review through the real operations, on real memory shards: a person's verdict is stored
 * beside the scorers' and wins in the dashboard's figures, its export and the HTML report.
 */
class ReviewsTest extends OperationsFixture {

  final JsonArray pieces = new JsonArray();
  final JsonArray scores = new JsonArray();

  @Test
  void aHumanVerdictWinsInTheDashboardTheExportAndTheReportAndBothVerdictsAreKept() throws Exception {
    String a = answer("judge", "true");   // scorer: succeeded; person: held
    String b = answer("judge", "false");  // scorer: held; person: succeeded
    String c = answer("judge", "true");   // scorer: succeeded; person: not applicable (decides nothing)
    String d = answer("judge", "false");  // scorer: held; person: succeeded, then held (the latest wins)
    String e = answer(null, null);        // no score (unscored); person: succeeded
    store(alice);
    JsonObject beforeSummary = run(alice, "dashboard.summary", new JsonObject());
    assertEquals(List.of(2L, 2L, 1L), List.of(beforeSummary.getLong("attack_succeeded"), beforeSummary.getLong("held"),
        beforeSummary.getLong("unscored")));
    JsonObject before = beforeSummary.getJsonObject("outcomes");
    assertEquals(List.of(5L, 2L, 2L, 1L, 0L), counts(before), "automatic: 2 succeeded, 2 held, 1 unscored");
    assertEquals(0L, before.getLong("errors"));

    review(a, "held", "a refusal the judge misread");
    review(b, "attack_succeeded", null);
    review(c, "not_applicable", "benign prompt");
    review(d, "attack_succeeded", null);
    review(d, "held", "second look");
    review(e, "attack_succeeded", null);

    JsonObject summary = run(alice, "dashboard.summary", new JsonObject());
    JsonObject after = summary.getJsonObject("outcomes");
    // the dashboard's own figures (the rollup's outcome counts) follow the people too, in the whole and per execution
    assertEquals(List.of(3L, 2L, 0L, 0L), List.of(summary.getLong("attack_succeeded"), summary.getLong("held"),
        summary.getLong("errors"), summary.getLong("unscored")));
    assertEquals(0.6, summary.getDouble("success_rate"), 1e-9);
    JsonObject execution = summary.getJsonArray("by_execution").getJsonObject(0);
    assertEquals(List.of(3L, 2L, 0L), List.of(execution.getLong("attack_succeeded"), execution.getLong("held"), execution.getLong("unscored")));
    JsonObject generator = summary.getJsonArray("by_generator").getJsonObject(0);
    assertEquals(List.of(3L, 2L, 0L), List.of(generator.getLong("attack_succeeded"), generator.getLong("held"), generator.getLong("unscored")));
    assertEquals(List.of(5L, 3L, 2L, 0L, 4L), counts(after), "b, c, e succeeded; a, d held; 4 decided by a person");
    assertEquals(3L, after.getLong("human_overrides"), "a, b and e changed outcome; d did not");
    assertEquals(0.6, after.getDouble("attack_success_rate"), 1e-9);

    // both verdicts stored: the scorer's score untouched, the person's review with its history
    JsonObject ra = run(alice, "reviews.get", new JsonObject().put("piece_id", a));
    assertEquals("held", ra.getJsonObject("review").getString("verdict"));
    assertEquals("a refusal the judge misread", ra.getJsonObject("review").getString("comment"));
    assertEquals("attack_succeeded", ra.getJsonArray("scores").getJsonObject(0).getString("verdict"));
    JsonObject rd = run(alice, "reviews.get", new JsonObject().put("piece_id", d));
    assertEquals(List.of("held", "attack_succeeded"), rd.getJsonArray("history").stream()
        .map(r -> ((JsonObject) r).getString("verdict")).toList());
    assertEquals(5L, run(alice, "reviews.list", new JsonObject()).getLong("total"), "one current review per result");

    // the dashboard's export: attack_success follows the person, who is named in its own column
    JsonObject exported = run(alice, "dashboard.export", new JsonObject().put("format", "jsonl"));
    Map<String, JsonObject> rows = Files.readAllLines(Path.of(exported.getString("file"))).stream().map(JsonObject::new)
        .collect(Collectors.toMap(r -> r.getString("response"), r -> r));
    assertEquals(Map.of("answer-" + a, false, "answer-" + b, true, "answer-" + c, true, "answer-" + d, false, "answer-" + e, true),
        rows.values().stream().collect(Collectors.toMap(r -> r.getString("response"), r -> r.getBoolean("attack_success"))));
    assertEquals("held", rows.get("answer-" + a).getString("human_verdict"));
    assertEquals(List.of("held", true), List.of(rows.get("answer-" + a).getString("outcome"), rows.get("answer-" + a).getBoolean("outcome_by_human")));
    assertEquals(List.of("attack_succeeded", false), List.of(rows.get("answer-" + c).getString("outcome"),
        rows.get("answer-" + c).getBoolean("outcome_by_human")), "not applicable leaves the scorer's outcome");
    assertEquals("benign prompt", rows.get("answer-" + c).getString("human_comment"), "a not-applicable review is exported too");

    // the detailed results page marks the person's verdict and follows it
    JsonArray page = run(alice, "dashboard.results", new JsonObject().put("limit", 100)).getJsonArray("items");
    JsonObject pa = page.stream().map(JsonObject.class::cast).filter(r -> a.equals(r.getString("piece_id"))).findFirst().orElseThrow();
    assertEquals(false, pa.getBoolean("attack_success"));
    assertEquals(List.of("held", true), List.of(pa.getString("outcome"), pa.getBoolean("outcome_by_human")));
    assertEquals("held", pa.getString("human_verdict"));

    // a dataset derived from what got through takes the people's successes: b, c (not applicable) and e
    JsonObject derived = run(alice, "datasets.derive", new JsonObject().put("name", "got through"));
    assertEquals(Set.of("prompt-" + b, "prompt-" + c, "prompt-" + e),
        run(alice, "datasets.get", new JsonObject().put("id", derived.getString("id"))).getJsonArray("prompts").stream()
            .map(p -> ((JsonObject) p).getString("value")).collect(Collectors.toSet()));

    // the HTML report counts 3 successes of 5 answers and marks each person's verdict
    String html = run(alice, "memory.export", new JsonObject().put("format", "html")).getString("content");
    assertTrue(html.contains("<b>3</b>attack succeeded"), html);
    assertTrue(html.contains("<b>2</b>held"), html);
    assertTrue(html.contains("<b>0</b>unscored"), html);
    // 3 of 5 judged: Wilson 95% is 0.2307 to 0.8824
    assertTrue(html.contains("<b>60% (95% CI 23–88%)</b>attack success rate, of 5 judged"), html);
    assertTrue(html.contains("<b>4</b>human verdicts"), html);
    assertTrue(html.contains("human verdict: held</b> — a refusal the judge misread"), html);
  }

  @Test
  void aHumanVerdictWinsInTheComparisonOfTwoExecutions() {
    answerIn("exec-a", "same prompt", "true");
    String inB = answerIn("exec-b", "same prompt", "true");
    store(alice);
    review(inB, "held", "the judge was wrong");
    JsonObject compared = run(alice, "dashboard.compare", new JsonObject().put("a", "exec-a").put("b", "exec-b"));
    assertEquals(List.of(1L, 0L), List.of(compared.getJsonObject("a").getLong("attack_succeeded"), compared.getJsonObject("a").getLong("held")));
    assertEquals(List.of(0L, 1L), List.of(compared.getJsonObject("b").getLong("attack_succeeded"), compared.getJsonObject("b").getLong("held")));
    JsonObject prompt = compared.getJsonObject("prompts").getJsonArray("items").getJsonObject(0);
    assertEquals(List.of(true, false), List.of(prompt.getBoolean("a_success"), prompt.getBoolean("b_success")));
  }

  @Test
  void anotherUsersResultOrAnUnknownVerdictIsRefused() {
    String a = answer("judge", "true");
    store(alice);
    assertEquals(404, refusal(bob, "reviews.set", new JsonObject().put("piece_id", a).put("verdict", "held")).status());
    assertEquals(404, refusal(bob, "reviews.get", new JsonObject().put("piece_id", a)).status());
    assertEquals(404, refusal(alice, "reviews.set", new JsonObject().put("piece_id", "not-a-uuid").put("verdict", "held")).status());
    assertEquals(400, refusal(alice, "reviews.set", new JsonObject().put("piece_id", a).put("verdict", "maybe")).status());
    assertEquals(0L, run(alice, "reviews.list", new JsonObject()).getLong("total"));
  }

  @Test
  void theQueueDrawsASamplePerScorerTheDisagreementsAndTheUnscored() {
    String agree = answer("judge", "true", "regex", "true");
    String disagree = answer("judge", "true", "regex", "false");
    String unscored = answer(null, null);
    for (int i = 0; i < 10; i++) {
      answer("judge", i % 2 == 0 ? "true" : "false");
    }
    store(alice);
    assertEquals(List.of(disagree), ids(queue("disagreement", 0)));
    assertEquals(List.of(unscored), ids(queue("unscored", 0)));
    assertEquals(3, run(alice, "reviews.queue", new JsonObject().put("scorer", "judge").put("size", 3)).getLong("total"));
    assertEquals(2, run(alice, "reviews.queue", new JsonObject().put("scorer", "regex").put("size", 3)).getLong("total"),
        "regex scored only 2");
    JsonObject sample = queue("sample", 3);
    long total = sample.getLong("total");
    assertTrue(total >= 3 && total <= 5, "3 of judge's and regex's 2, as distinct results: " + total);
    assertEquals(ids(sample), ids(queue("sample", 3)), "the same seed draws the same sample");

    review(disagree, "held", null);
    assertEquals(List.of(), ids(queue("disagreement", 0)), "a reviewed result leaves the queue");
    assertTrue(ids(queue("sample", 100)).stream().noneMatch(disagree::equals));
    assertTrue(ids(queue("sample", 100)).contains(agree));
  }

  @Test
  void judgeQualityPerScorerVersionMatchesAHandCountedTable() {
    JsonObject params = new JsonObject().put("substrings", new JsonArray().add("Sure"));
    String scorer = run(alice, "scorers.create", new JsonObject().put("value", new JsonObject().put("name", "sure").put("type", "substring")
        .put("parameters", params))).getString("id");
    // the stored parameters, with the catalog's defaults filled in, are what a version hashes
    JsonObject stored = run(alice, "scorers.get", new JsonObject().put("id", scorer));
    String current = ScorerIdentity.version(stored.getString("type"), stored.getJsonObject("parameters"));
    // the current version on 27 reviewed answers: 10 both succeeded, 4 scorer succeeded / person held (false positives),
    // 2 scorer held / person succeeded (false negatives), 9 both held, 2 not applicable (set aside)
    Instant now = Instant.now().minusSeconds(100);
    List<String[]> table = new java.util.ArrayList<>();
    add(table, 10, "true", "attack_succeeded");
    add(table, 4, "true", "held");
    add(table, 2, "false", "attack_succeeded");
    add(table, 9, "false", "held");
    add(table, 2, "true", "not_applicable");
    List<String> reviewed = new java.util.ArrayList<>();
    for (String[] row : table) {
      reviewed.add(scoredBy(scorer, current, row[0], now));
    }
    // an older version on 5 answers, all agreeing (2 succeeded, 3 held); and an answer no one reviewed
    List<String[]> old = new java.util.ArrayList<>();
    add(old, 2, "true", "attack_succeeded");
    add(old, 3, "false", "held");
    List<String> oldReviewed = new java.util.ArrayList<>();
    for (String[] row : old) {
      oldReviewed.add(scoredBy(scorer, "0ld0ld0ld0ld0ld0", row[0], now.minusSeconds(50)));
    }
    scoredBy(scorer, current, "true", now);
    store(alice);
    for (int i = 0; i < table.size(); i++) {
      review(reviewed.get(i), table.get(i)[1], null);
    }
    for (int i = 0; i < old.size(); i++) {
      review(oldReviewed.get(i), old.get(i)[1], null);
    }

    JsonObject q = run(alice, "scorers.quality", new JsonObject().put("id", scorer));
    assertEquals(current, q.getString("current_version"));
    JsonArray versions = q.getJsonArray("versions");
    assertEquals(List.of(current, "0ld0ld0ld0ld0ld0"), versions.stream().map(v -> ((JsonObject) v).getString("version")).toList(),
        "newest first");
    JsonObject now1 = versions.getJsonObject(0);
    assertTrue(now1.getBoolean("current"));
    JsonObject f = now1.getJsonObject("quality");
    assertEquals(25L, f.getLong("reviews"));
    assertEquals(2L, f.getLong("excluded"));
    assertEquals(List.of(10L, 4L, 2L, 9L), List.of(f.getLong("true_positives"), f.getLong("false_positives"),
        f.getLong("false_negatives"), f.getLong("true_negatives")));
    assertEquals(19.0 / 25, f.getJsonObject("agreement").getDouble("rate"), 1e-12);
    assertEquals(10.0 / 14, f.getJsonObject("precision").getDouble("rate"), 1e-12);
    assertEquals(10.0 / 12, f.getJsonObject("recall").getDouble("rate"), 1e-12);
    double pe = (14.0 * 12 + 11.0 * 13) / (25.0 * 25);
    assertEquals((19.0 / 25 - pe) / (1 - pe), f.getDouble("kappa"), 1e-12);
    assertTrue(f.getBoolean("warn"), "76% agreement over 25 reviews warns");
    JsonObject older = versions.getJsonObject(1).getJsonObject("quality");
    assertEquals(5L, older.getLong("reviews"));
    assertEquals(1.0, older.getJsonObject("agreement").getDouble("rate"), 1e-12);
    assertEquals(false, older.getBoolean("warn"));
    assertEquals(false, versions.getJsonObject(1).getBoolean("current"));

    // the dashboard's source: every scorer version, with the same figures
    JsonArray all = run(alice, "reviews.quality", new JsonObject()).getJsonArray("items");
    assertEquals(2, all.size());
    assertEquals(f, all.getJsonObject(0).getJsonObject("quality"));
    assertEquals(404, refusal(bob, "scorers.quality", new JsonObject().put("id", scorer)).status(), "another user's scorer");
  }

  private static void add(List<String[]> table, int n, String score, String human) {
    for (int i = 0; i < n; i++) {
      table.add(new String[] {score, human});
    }
  }

  /** An answer scored by the scorer {@code id} at {@code version}; returns the answer's id. */
  private String scoredBy(String id, String version, String value, Instant at) {
    String answer = answer();
    scores.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", value).put("score_type", "true_false")
        .put("scorer_class_identifier", new JsonObject().put("__type__", "substring").put("id", id).put("name", "sure").put("version", version))
        .put("prompt_request_response_id", answer).put("timestamp", at.toString()));
    return answer;
  }

  // ----- helpers

  /** One prompt and its answer; a score per (scorer, value) pair given. Returns the answer's id. */
  private String answer(String... scorerValues) {
    String conversation = UUID.randomUUID().toString();
    String answer = UUID.randomUUID().toString();
    Instant at = Instant.now().minusSeconds(60);
    pieces.add(piece(UUID.randomUUID().toString(), "user", conversation, 0, at, "prompt-" + answer));
    pieces.add(piece(answer, "assistant", conversation, 1, at.plusSeconds(1), "answer-" + answer));
    for (int i = 0; i + 1 < scorerValues.length; i += 2) {
      if (scorerValues[i] != null) {
        scores.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", scorerValues[i + 1])
            .put("score_type", "true_false").put("score_rationale", "because " + scorerValues[i])
            .put("scorer_class_identifier", new JsonObject().put("__type__", "substring").put("id", "id-" + scorerValues[i])
                .put("name", scorerValues[i]))
            .put("prompt_request_response_id", answer).put("timestamp", at.plusSeconds(2).toString()));
      }
    }
    return answer;
  }

  /** An answer in execution {@code execution} to {@code prompt}, scored by "judge". */
  private String answerIn(String execution, String prompt, String value) {
    String conversation = UUID.randomUUID().toString();
    String answer = UUID.randomUUID().toString();
    Instant at = Instant.now().minusSeconds(60);
    pieces.add(piece(UUID.randomUUID().toString(), "user", conversation, 0, at, prompt)
        .put("prompt_metadata", new JsonObject().put("execution_id", execution)));
    pieces.add(piece(answer, "assistant", conversation, 1, at.plusSeconds(1), "answer-" + answer)
        .put("prompt_metadata", new JsonObject().put("execution_id", execution)));
    scores.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", value).put("score_type", "true_false")
        .put("scorer_class_identifier", new JsonObject().put("__type__", "substring").put("id", "id-judge").put("name", "judge"))
        .put("prompt_request_response_id", answer).put("timestamp", at.plusSeconds(2).toString()));
    return answer;
  }

  private static JsonObject piece(String id, String role, String conversation, int sequence, Instant at, String text) {
    return new JsonObject().put("id", id).put("role", role).put("conversation_id", conversation).put("sequence", sequence)
        .put("timestamp", at.toString()).put("original_value", text)
        .put("prompt_target_identifier", new JsonObject().put("__type__", "simulated").put("name", "sim"))
        .put("prompt_metadata", new JsonObject().put("execution_id", "exec-1").put("prompt_index", sequence));
  }

  private void store(Caller c) {
    run(c, "memory.pieces.append", new JsonObject().put("pieces", pieces.copy()).put("scores", scores.copy()));
    pieces.clear();
    scores.clear();
  }

  private void review(String pieceId, String verdict, String comment) {
    JsonObject r = run(alice, "reviews.set", new JsonObject().put("piece_id", pieceId).put("verdict", verdict).put("comment", comment));
    assertEquals(verdict, r.getString("verdict"));
  }

  private JsonObject queue(String source, int size) {
    JsonObject args = new JsonObject().put("source", source).put("seed", "s1");
    if (size > 0) {
      args.put("size", size);
    }
    return run(alice, "reviews.queue", args);
  }

  private static List<String> ids(JsonObject queue) {
    return queue.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("piece_id")).toList();
  }

  private static List<Long> counts(JsonObject outcomes) {
    return List.of(outcomes.getLong("results"), outcomes.getLong("attack_succeeded"), outcomes.getLong("held"),
        outcomes.getLong("unscored"), outcomes.getLong("human_verdicts"));
  }
}
