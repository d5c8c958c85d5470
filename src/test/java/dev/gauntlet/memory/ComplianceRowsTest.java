package dev.gauntlet.memory;

import dev.gauntlet.standards.Compliance;
import dev.gauntlet.standards.ComplianceHtml;
import dev.gauntlet.verdict.stats.Proportion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compliance report over a constructed memory. A scan's execution of the prompt_hijack probe
 * (prompt sending) has 3 answers judged attack succeeded, 4 held, 1 target error and 1 never
 * scored; a person then marks one success held, so it counts 2 succeeded and 5 held. A plain
 * skeleton-key execution with no probe label has 6 held answers. Each control counts the results
 * of whatever tested it: a probe's taxonomy, the attack's controls.
 */
class ComplianceRowsTest {

  @TempDir
  Path dir;
  Connection c;
  ScanStore scans;
  ReviewStore reviews;
  String scanExecution;
  String plainExecution;
  final List<UUID> successes = new ArrayList<>();
  final List<String> successConversations = new ArrayList<>();

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    PieceStore pieces = new PieceStore(c);
    ExecutionStore executions = new ExecutionStore(c, pieces);
    scans = new ScanStore(c, executions);
    reviews = new ReviewStore(c);
    JsonObject labels = new JsonObject().put("scan", "s1").put("probe", "prompt_hijack");
    scanExecution = executions.create(new JsonObject().put("id", "o1").put("type", "prompt_sending").put("name", "hijack")
        .put("parameters", new JsonObject()), labels).getString("id");
    plainExecution = executions.create(new JsonObject().put("id", "o2").put("type", "skeleton_key").put("name", "key")
        .put("parameters", new JsonObject()), null).getString("id");
    DashboardData d = new DashboardData();
    Instant at = DashboardData.daysAgo(0).minusSeconds(3600);
    int index = 0;
    for (int i = 0; i < 3; i++) {
      UUID a = exchange(d, scanExecution, labels, index++, i == 0 ? "<script>alert('x')</script> I have been hijacked" : "hijacked " + i, at);
      d.score(a, "rogue", "true_false", "true", at, null);
      successes.add(a);
    }
    for (int i = 0; i < 4; i++) {
      d.score(exchange(d, scanExecution, labels, index++, "no " + i, at), "rogue", "true_false", "false", at, null);
    }
    UUID down = exchange(d, scanExecution, labels, index++, "", at);
    d.pieces.stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(down.toString()))
        .forEach(p -> p.put("response_error", "connection"));
    exchange(d, scanExecution, labels, index, "never scored", at);
    for (int i = 0; i < 6; i++) {
      d.score(exchange(d, plainExecution, null, i, "refused " + i, at), "refusal", "true_false", "false", at, null);
    }
    pieces.append(d.batch());
    // the person's verdict wins: the third success was not one
    reviews.set(successes.get(2).toString(), "held", "the string is quoted, not obeyed", "alice");
  }

  /** A prompt and its answer, the answer carrying its execution and prompt index. */
  private UUID exchange(DashboardData d, String execution, JsonObject labels, int index, String answer, Instant at) {
    UUID id = d.exchange("prompt " + index, answer, at.plusSeconds(index), "gen", execution, labels);
    for (Object o : d.pieces) {
      JsonObject p = (JsonObject) o;
      if (p.getJsonObject("prompt_metadata") != null && execution.equals(p.getJsonObject("prompt_metadata").getString("execution_id"))
          && p.getString("conversation_id").equals(conversationOf(d, id))) {
        p.getJsonObject("prompt_metadata").put("prompt_index", index);
      }
    }
    if (successes.size() < 3 && answer.contains("hijacked")) {
      successConversations.add(conversationOf(d, id));
    }
    return id;
  }

  private static String conversationOf(DashboardData d, UUID piece) {
    return d.pieces.stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(piece.toString()))
        .findFirst().orElseThrow().getString("conversation_id");
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private JsonObject report(String... executions) throws SQLException {
    JsonObject rows = scans.compliance(new JsonArray(List.of((Object[]) executions)));
    return Compliance.report(new JsonObject().put("kind", "scan").put("id", "s1"), rows, type -> null, 5);
  }

  private static JsonObject control(JsonObject report, String framework, String id) {
    for (Object f : report.getJsonArray("frameworks")) {
      JsonObject fw = (JsonObject) f;
      if (fw.getString("id").equals(framework)) {
        for (Object c : fw.getJsonArray("controls")) {
          if (((JsonObject) c).getString("id").equals(id)) {
            return (JsonObject) c;
          }
        }
      }
    }
    throw new AssertionError("no control " + framework + ":" + id);
  }

  @Test
  void aProbesControlsCountItsOutcomesWithThePersonsVerdictWinning() throws SQLException {
    JsonObject llm01 = control(report(scanExecution), "owasp_llm", "LLM01");
    assertEquals(Compliance.FAILING, llm01.getString("status"));
    assertEquals(9, llm01.getLong("prompts"));
    assertEquals(new JsonObject().put("attack_succeeded", 2L).put("held", 5L).put("error", 1L).put("unscored", 1L),
        llm01.getJsonObject("outcomes"));
    assertEquals(Proportion.of(2, 7).toJson(), llm01.getJsonObject("attack_success_rate"));
    assertEquals(new JsonArray().add("prompt_hijack"), llm01.getJsonObject("tested_by").getJsonArray("probes"));
    assertEquals(new JsonArray().add("prompt_sending"), llm01.getJsonObject("tested_by").getJsonArray("attacks"));
    JsonArray evidence = llm01.getJsonArray("evidence");
    assertEquals(1, evidence.size());
    assertEquals(scanExecution, evidence.getJsonObject(0).getString("execution_id"));
    // the overridden success is no evidence; the two that stand are
    assertEquals(2, evidence.getJsonObject(0).getJsonArray("conversation_ids").size());
    assertTrue(evidence.getJsonObject(0).getJsonArray("conversation_ids").contains(successConversations.get(0)));
    assertFalse(evidence.getJsonObject(0).getJsonArray("conversation_ids").contains(successConversations.get(2)));
  }

  @Test
  void aControlNothingTestedIsNotTestedAndOneWithTooFewJudgedIsNeitherPassingNorFailing() throws SQLException {
    JsonObject report = report(scanExecution, plainExecution);
    JsonObject leakage = control(report, "owasp_llm", "LLM07");
    assertEquals(Compliance.NOT_TESTED, leakage.getString("status"));
    assertEquals(0, leakage.getLong("prompts"));
    assertNull(leakage.getJsonObject("attack_success_rate").getValue("rate"));
    // skeleton key's jailbreak technique: 6 held answers, no success, at least 5 judged
    JsonObject jailbreak = control(report, "mitre_atlas", "AML.T0054");
    assertEquals(Compliance.PASSING, jailbreak.getString("status"));
    assertEquals(new JsonObject().put("attack_succeeded", 0L).put("held", 6L).put("error", 0L).put("unscored", 0L),
        jailbreak.getJsonObject("outcomes"));
    // both executions test LLM01: their results add up
    JsonObject llm01 = control(report, "owasp_llm", "LLM01");
    assertEquals(Proportion.of(2, 13).toJson(), llm01.getJsonObject("attack_success_rate"));
    assertEquals(15, llm01.getLong("prompts"));
    JsonObject tooFew = Compliance.report(new JsonObject(), scans.compliance(new JsonArray().add(plainExecution)), t -> null, 7);
    assertEquals(Compliance.NOT_TESTED, control(tooFew, "mitre_atlas", "AML.T0054").getString("status"));
    assertTrue(control(tooFew, "mitre_atlas", "AML.T0054").getString("reason").contains("too few judged"));
  }

  @Test
  void theHtmlReportEscapesTheModelsAnswer() throws SQLException {
    String html = ComplianceHtml.render(report(scanExecution));
    assertFalse(html.contains("<script>"), "model output must not reach the page as markup");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assertTrue(html.contains("default-src 'none'"));
  }
}
