package dev.gauntlet.imports;

import dev.gauntlet.memory.Consolidation;
import dev.gauntlet.memory.ImportStore;
import dev.gauntlet.memory.PyritExports;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.gauntlet.imports.PyritFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A PyRIT export read back with plain SQLite against the layout of the revision it names, and imported again into another memory. */
class PyritExportTest {

  @TempDir
  Path dir;
  Connection alice;
  Connection bob;

  @BeforeEach
  void open() throws SQLException {
    alice = Consolidation.openTarget(dir.resolve("alice.db"));
    bob = Consolidation.openTarget(dir.resolve("bob.db"));
  }

  @AfterEach
  void close() throws SQLException {
    alice.close();
    bob.close();
  }

  private JsonObject report;

  private Path exported() throws Exception {
    ImportRunner.run(PyritSqliteImportTest.standard(dir, PyritFixture.UNDETERMINED), "pyrit.db", null, "alice", false,
        LandingTarget.direct(ImportStore.direct(alice)));
    String execution = one(alice, "SELECT id FROM executions");
    Path out = dir.resolve("export.db");
    report = PyritExports.write(alice, new JsonObject().put("execution_id", execution), out);
    assertEquals(PyritFixture.EXPORTED, report.getString("alembic_version"));
    return out;
  }

  @Test
  void theExportIsRevisionB2f4c6a8d1e3ColumnByColumnWithItsVersionRow() throws Exception {
    Path out = exported();
    Path reference = dir.resolve("reference.db");
    PyritFixture.create(reference, PyritFixture.EXPORTED).close();
    try (Connection got = DriverManager.getConnection("jdbc:sqlite:" + out); Connection want = DriverManager.getConnection("jdbc:sqlite:" + reference)) {
      assertEquals(List.of("AttackResultEntries", "Conversations", "EmbeddingData", "PromptMemoryEntries", "ScenarioResultEntries", "ScoreEntries",
          "SeedPromptEntries", "pyrit_memory_alembic_version"), tables(got), "the root's six tables, Conversations and Alembic's");
      assertEquals(tables(want), tables(got));
      for (String table : tables(want)) {
        assertEquals(columns(want, table), columns(got, table), table + ": name, type, NOT NULL, primary key");
        assertEquals(keys(want, table), keys(got, table), table + ": foreign keys");
      }
      assertEquals("ix_AttackResultEntries_attribution_parent_id", one(got, "SELECT group_concat(name) FROM sqlite_master "
          + "WHERE type = 'index' AND sql IS NOT NULL"), "the one index the migrations create up to there (9c8b7a6d5e4f)");
      // facts of the migrations themselves, beside the fixture written from them
      assertEquals("score_value VARCHAR NOT NULL", column(got, "ScoreEntries", "score_value"), "nullable only from 5a1d3c7e9f04");
      assertEquals("labels JSON NOT NULL", column(got, "PromptMemoryEntries", "labels"), "dropped only by 24b44ef076b6");
      assertNull(column(got, "PromptMemoryEntries", "prompt_target_identifier"), "dropped by b2f4c6a8d1e3");
      assertNull(column(got, "AttackResultEntries", "attack_identifier"), "dropped by f1a2b3c4d5e6");
      assertEquals("labels JSON", column(got, "AttackResultEntries", "labels"), "108a72344872");
      assertEquals("conversation_id VARCHAR(36) NOT NULL PK", column(got, "Conversations", "conversation_id"));
      assertEquals("display_group_map_json VARCHAR", column(got, "ScenarioResultEntries", "display_group_map_json"), "e373726d391b's column");
      assertEquals("id CHAR(32) NOT NULL PK", column(got, "EmbeddingData", "id"), "sa.Uuid on SQLite");
      assertEquals("b2f4c6a8d1e3", one(got, "SELECT group_concat(version_num) FROM pyrit_memory_alembic_version"));

      assertEquals("12|6|4|5", one(got, "SELECT (SELECT count(*) FROM PromptMemoryEntries) || '|' || (SELECT count(*) FROM Conversations) "
          + "|| '|' || (SELECT count(*) FROM ScoreEntries) || '|' || (SELECT count(*) FROM AttackResultEntries)"));
      assertEquals(1, report.getJsonObject("skipped").getInteger("ScoreEntries"), "the undetermined score is counted, not written");
      assertEquals(4, report.getJsonObject("tables").getInteger("ScoreEntries"));
      assertNull(one(got, "SELECT id FROM ScoreEntries WHERE id = '" + id("s-d") + "'"), "no value is made up for it");
      assertEquals("conv-a:success,conv-b:failure,conv-c:failure,conv-d:undetermined,conv-e:success",
          one(got, "SELECT group_concat(conversation_id || ':' || outcome, ',') FROM (SELECT * FROM AttackResultEntries ORDER BY conversation_id)"));
      assertEquals("get the secret|night-run|RedTeamingAttack|[\"conv-adv\"]|" + id("conv-a-a") + "|1", one(got, "SELECT objective || '|' || "
          + "json_extract(labels, '$.op') || '|' || json_extract(atomic_attack_identifier, '$.class_name') || '|' || "
          + "adversarial_chat_conversation_ids || '|' || last_response_id || '|' || executed_turns FROM AttackResultEntries WHERE conversation_id = 'conv-a'"));
      assertEquals("OpenAIChatTarget|pyrit.prompt_target|gpt-4o", one(got, "SELECT json_extract(target_identifier, '$.class_name') || '|' || "
          + "json_extract(target_identifier, '$.class_module') || '|' || json_extract(target_identifier, '$.model_name') FROM Conversations "
          + "WHERE conversation_id = 'conv-a'"));
      assertNull(one(got, "SELECT json_extract(target_identifier, '$.__type__') FROM Conversations WHERE conversation_id = 'conv-a'"));
      String answer = " FROM PromptMemoryEntries WHERE id = '" + id("conv-a-a") + "'";
      assertEquals("night-run", one(got, "SELECT json_extract(labels, '$.op')" + answer), "labels stay on the piece at this revision");
      assertEquals("Base64Converter", one(got, "SELECT json_extract(converter_identifiers, '$[0].class_name')" + answer));
      assertEquals("the secret is 42|assistant|1|2025-09-01 10:00:02.000000|none", one(got, "SELECT converted_value || '|' || role || '|' || "
          + "sequence || '|' || timestamp || '|' || response_error" + answer));
      assertEquals("0", one(got, "SELECT count(*) FROM PromptMemoryEntries WHERE json_type(labels) IS NOT 'object' "
          + "OR json_type(prompt_metadata) IS NOT 'object'"), "NOT NULL JSON columns hold objects");
      assertEquals("True|[\"jailbreak\"]|SelfAskRefusalScorer|get the secret|get the secret", one(got, "SELECT score_value || '|' || "
          + "score_category || '|' || json_extract(scorer_class_identifier, '$.class_name') || '|' || task || '|' || objective "
          + "FROM ScoreEntries WHERE id = '" + id("s-b") + "'"));
    }
  }

  @Test
  void aRoundTripIntoAnotherMemoryKeepsCountsAndOutcomes() throws Exception {
    Path out = exported();
    JsonObject back = ImportRunner.run(out, "export.db", null, "bob", false, LandingTarget.direct(ImportStore.direct(bob)));
    assertEquals("pyrit-sqlite", back.getString("format"));
    assertEquals("b2f4c6a8d1e3|true", back.getJsonObject("layout").getString("alembic_version") + "|" + back.getJsonObject("layout").getBoolean("known"));
    for (String table : List.of("PromptMemoryEntries", "execution_results", "executions")) {
      assertEquals(one(alice, "SELECT count(*) FROM " + table), one(bob, "SELECT count(*) FROM " + table), table);
    }
    assertEquals(Long.parseLong(one(alice, "SELECT count(*) FROM ScoreEntries")) - 1, Long.parseLong(one(bob, "SELECT count(*) FROM ScoreEntries")),
        "all scores but the undetermined one, which the export counted as skipped");
    String outcomes = "SELECT string_agg(conversation_id || ':' || outcome, ',' ORDER BY conversation_id) FROM execution_results";
    assertEquals(one(alice, outcomes), one(bob, outcomes));
    assertEquals("imported|PyRIT|RedTeamingAttack", one(bob, "SELECT kind || '|' || source_tool || '|' || (orchestrator ->> 'source_type') FROM executions"));
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static List<String> columns(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, type, \"notnull\", pk FROM pragma_table_info('" + table + "')")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2) + (rs.getInt(3) == 1 ? " NOT NULL" : "") + (rs.getInt(4) > 0 ? " PK" : ""));
      }
    }
    return out;
  }

  private static String column(Connection c, String table, String column) throws SQLException {
    return columns(c, table).stream().filter(d -> d.startsWith(column + " ")).findFirst().orElse(null);
  }

  private static List<String> keys(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('"
        + table + "') ORDER BY \"from\"")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " -> " + rs.getString(2) + "." + rs.getString(3));
      }
    }
    return out;
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
