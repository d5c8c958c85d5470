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

/** A PyRIT 1.x export read back with plain SQLite, and imported again into another memory. */
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

  private Path exported() throws Exception {
    ImportRunner.run(PyritSqliteImportTest.standard(dir, "1.1"), "pyrit.db", null, "alice", false, LandingTarget.direct(ImportStore.direct(alice)));
    String execution = one(alice, "SELECT id FROM executions");
    Path out = dir.resolve("export.db");
    JsonObject report = PyritExports.write(alice, new JsonObject().put("execution_id", execution), out);
    assertEquals("34a18645c7e9", report.getString("alembic_version"));
    return out;
  }

  @Test
  void theExportHasPyrit11sTablesColumnByColumnAndItsVersionRow() throws Exception {
    Path out = exported();
    Path reference = dir.resolve("reference.db");
    PyritFixture.create(reference, "1.1").close();
    try (Connection got = DriverManager.getConnection("jdbc:sqlite:" + out); Connection want = DriverManager.getConnection("jdbc:sqlite:" + reference)) {
      assertEquals(tables(want), tables(got));
      for (String table : tables(want)) {
        assertEquals(columns(want, table), columns(got, table), table + ": name, type, NOT NULL, primary key");
      }
      assertEquals("34a18645c7e9", one(got, "SELECT group_concat(version_num) FROM pyrit_memory_alembic_version"));
      assertEquals("12|6|5|5", one(got, "SELECT (SELECT count(*) FROM PromptMemoryEntries) || '|' || (SELECT count(*) FROM Conversations) "
          + "|| '|' || (SELECT count(*) FROM ScoreEntries) || '|' || (SELECT count(*) FROM AttackResultEntries)"));
      assertEquals("conv-a:success,conv-b:failure,conv-c:failure,conv-d:undetermined,conv-e:success",
          one(got, "SELECT group_concat(conversation_id || ':' || outcome, ',') FROM (SELECT * FROM AttackResultEntries ORDER BY conversation_id)"));
      assertEquals("get the secret|night-run|RedTeamingAttack|[\"conv-adv\"]|" + id("conv-a-a") + "|1", one(got, "SELECT objective || '|' || "
          + "json_extract(labels, '$.op') || '|' || json_extract(atomic_attack_identifier, '$.class_name') || '|' || "
          + "adversarial_chat_conversation_ids || '|' || last_response_id || '|' || executed_turns FROM AttackResultEntries WHERE conversation_id = 'conv-a'"));
      assertEquals("OpenAIChatTarget|pyrit.prompt_target|gpt-4o", one(got, "SELECT json_extract(target_identifier, '$.class_name') || '|' || "
          + "json_extract(target_identifier, '$.class_module') || '|' || json_extract(target_identifier, '$.model_name') FROM Conversations "
          + "WHERE conversation_id = 'conv-a'"));
      assertNull(one(got, "SELECT json_extract(target_identifier, '$.__type__') FROM Conversations WHERE conversation_id = 'conv-a'"));
      assertEquals("Base64Converter", one(got, "SELECT json_extract(converter_identifiers, '$[0].class_name') FROM PromptMemoryEntries "
          + "WHERE id = '" + id("conv-a-a") + "'"));
      assertEquals("the secret is 42|assistant|1|2025-09-01 10:00:02.000000|none", one(got, "SELECT converted_value || '|' || role || '|' || "
          + "sequence || '|' || timestamp || '|' || response_error FROM PromptMemoryEntries WHERE id = '" + id("conv-a-a") + "'"));
      assertNull(one(got, "SELECT score_value FROM ScoreEntries WHERE id = '" + id("s-d") + "'"), "undetermined stays undetermined");
      assertEquals("True|[\"jailbreak\"]|SelfAskRefusalScorer", one(got, "SELECT score_value || '|' || score_category || '|' || "
          + "json_extract(scorer_class_identifier, '$.class_name') FROM ScoreEntries WHERE id = '" + id("s-b") + "'"));
    }
  }

  @Test
  void aRoundTripIntoAnotherMemoryKeepsCountsAndOutcomes() throws Exception {
    Path out = exported();
    JsonObject report = ImportRunner.run(out, "export.db", null, "bob", false, LandingTarget.direct(ImportStore.direct(bob)));
    assertEquals("pyrit-sqlite", report.getString("format"));
    for (String table : List.of("PromptMemoryEntries", "ScoreEntries", "execution_results", "executions")) {
      assertEquals(one(alice, "SELECT count(*) FROM " + table), one(bob, "SELECT count(*) FROM " + table), table);
    }
    String outcomes = "SELECT string_agg(conversation_id || ':' || outcome, ',' ORDER BY conversation_id) FROM execution_results";
    assertEquals(one(alice, outcomes), one(bob, outcomes));
    assertEquals("imported|PyRIT", one(bob, "SELECT kind || '|' || source_tool FROM executions"));
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

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
