package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * PyRIT's SQLite memory ({@code pyrit.db}) as Gauntlet reads and writes it: the Alembic
 * revisions Gauntlet knows by name ({@link Revision}, facts from PyRIT's
 * {@code pyrit/memory/alembic/versions/}, see docs/pyrit-layouts.md), the layout the export writes
 * ({@link #EXPORT}), and the identifier JSON of 1.x ({@code class_name}, {@code class_module}, …)
 * beside Gauntlet's PyRIT-0.x style ({@code __type__}, {@code __module__}, {@code name}).
 */
public final class PyritSqlite {

  public static final String VERSION_TABLE = "pyrit_memory_alembic_version";

  /**
   * A revision of PyRIT's memory schema, as its version table records it: the migration's date,
   * what it changes in the tables Gauntlet reads, and the release line it belongs to (told by the
   * migration dates against PyRIT's release dates; no wheel was opened to confirm it).
   */
  public record Revision(String id, String date, String release, String change) {

    /** "1.0 development, revision b2f4c6a8d1e3": what an import names. */
    public String label() {
      return release + ", revision " + id;
    }
  }

  /** The revisions whose migration files were read; an import of any other is told by its columns. */
  public static final List<Revision> KNOWN = List.of(
      new Revision("3b8f2c1a9d07", "2026-04-01", "0.13 schema (pre-Alembic baseline)",
          "PyRIT 0.13.0's tables as released: labels, target and attack identifiers on every piece, score_value NOT NULL"),
      new Revision("ab8f2c1a9d07", "2026-04-01", "0.13 schema (pre-Alembic baseline)",
          "the same baseline under the id its first version carried"),
      new Revision("e373726d391b", "2026-04-23", "1.0 development (first Alembic revision)",
          "ScenarioResultEntries.display_group_map_json"),
      new Revision("4f9db4b0a77f", "2026-05-08", "1.0 development",
          "AttackResultEntries error_message, error_type, error_traceback, retry_events_json, total_retries"),
      new Revision("a1b2c3d4e5f6", "2026-05-08", "1.0 development",
          "the same error and retry columns under an earlier id"),
      new Revision("9c8b7a6d5e4f", "2026-05-18", "1.0 development",
          "AttackResultEntries attribution_parent_id, attribution_data (scenario linkage)"),
      new Revision("b2f4c6a8d1e3", "2026-05-20", "1.0 development",
          "Conversations (target_identifier per conversation); PromptMemoryEntries loses prompt_target_identifier, attack_identifier"),
      new Revision("c3d5e7f9a1b2", "2026-06-11", "1.0 development", "AttackResultEntries.targeted_harm_categories"),
      new Revision("d4e5f6a7b8c9", "2026-06-16", "1.0 development", "no change (kept for databases stamped with it)"),
      new Revision("e5f7a9c1b3d2", "2026-07-10", "1.0 development", "identifier tables (TargetIdentifiers, …) beside the identifier JSON"),
      new Revision("a1c3e5d7f9b0", "2026-01-01 (a placeholder date)", "1.0 development", "Conversations.retries"),
      new Revision("24b44ef076b6", "2026-07-14", "1.0 (v1 boundary)",
          "drops ScoreEntries.task, ScenarioResultEntries.attack_results_json, PromptMemoryEntries.labels"),
      new Revision("5a1d3c7e9f04", "2026-08-20", "1.1 development",
          "ScoreEntries.status (NOT NULL), scorable, scorable_content_id; score_value becomes nullable"),
      new Revision("1b3d5f7a9c2e", "2026-09-03", "1.1 development", "ScoreEntries.scored_expectation replaces objective"),
      new Revision("a4c6e8f0b2d1", "2026-09-04", "1.1 development",
          "AttackResultEntries operator, operation (out of labels); history indexes"),
      new Revision("aca1eba410d9", "2026-09-24", "1.1 development", "none (merge)"),
      new Revision("34a18645c7e9", "2026-09-28", "1.1/1.2 development", "AttackIdentifiers.use_score_as_feedback"),
      new Revision("6ea3eb4b61c3", "2026-10-01", "1.2 development", "Conversations.attack_result_id"),
      new Revision("901e6c7bf9d4", "2026-10-03", "1.2 development", "attack analytics indexes"));

  public static Optional<Revision> ofRevision(String revision) {
    return KNOWN.stream().filter(r -> r.id().equals(revision)).findFirst();
  }

  /**
   * The revision the export writes: e373726d391b, the latest whose every table and column is
   * established from PyRIT's public migrations (the root revision plus one column). Every PyRIT
   * with Alembic has it in its history, so its own migrations carry the file forward on open
   * (b2f4c6a8d1e3 builds Conversations from the pieces' targets). Its score_value is NOT NULL:
   * the export leaves undetermined scores out and counts them.
   */
  public static final Revision EXPORT = ofRevision("e373726d391b").orElseThrow();

  /**
   * The layout at {@link #EXPORT}, as Alembic creates it on SQLite from the two migrations: a
   * frozen CustomUUID is CHAR(36), sa.Uuid CHAR(32), String and Unicode VARCHAR, DateTime DATETIME,
   * JSON JSON; the tables in the order the root migration creates them, no index.
   */
  static final List<String> DDL_EXPORT = List.of(
      """
      CREATE TABLE "PromptMemoryEntries" (
        id CHAR(36) NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL, sequence INTEGER NOT NULL,
        timestamp DATETIME NOT NULL, labels JSON NOT NULL, prompt_metadata JSON NOT NULL, targeted_harm_categories JSON,
        converter_identifiers JSON, prompt_target_identifier JSON NOT NULL, attack_identifier JSON NOT NULL, response_error VARCHAR,
        original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL, original_value_sha256 VARCHAR,
        converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR, converted_value_sha256 VARCHAR,
        original_prompt_id CHAR(36) NOT NULL, pyrit_version VARCHAR, PRIMARY KEY (id))""",
      """
      CREATE TABLE "ScenarioResultEntries" (
        id CHAR(36) NOT NULL, scenario_name VARCHAR NOT NULL, scenario_description VARCHAR, scenario_version INTEGER NOT NULL,
        pyrit_version VARCHAR NOT NULL, scenario_init_data JSON, objective_target_identifier JSON NOT NULL,
        objective_scorer_identifier JSON, scenario_run_state VARCHAR NOT NULL, attack_results_json VARCHAR NOT NULL, labels JSON,
        number_tries INTEGER NOT NULL, completion_time DATETIME NOT NULL, timestamp DATETIME NOT NULL, display_group_map_json VARCHAR,
        PRIMARY KEY (id))""",
      """
      CREATE TABLE "SeedPromptEntries" (
        id CHAR(36) NOT NULL, value VARCHAR NOT NULL, value_sha256 VARCHAR, data_type VARCHAR NOT NULL, name VARCHAR,
        dataset_name VARCHAR, harm_categories JSON, description VARCHAR, authors JSON, groups JSON, source VARCHAR,
        date_added DATETIME NOT NULL, added_by VARCHAR NOT NULL, prompt_metadata JSON, parameters JSON, prompt_group_id CHAR(36),
        sequence INTEGER, role VARCHAR, seed_type VARCHAR NOT NULL, PRIMARY KEY (id))""",
      """
      CREATE TABLE "EmbeddingData" (id CHAR(32) NOT NULL, embedding JSON, embedding_type_name VARCHAR, PRIMARY KEY (id),
        FOREIGN KEY(id) REFERENCES "PromptMemoryEntries" (id))""",
      """
      CREATE TABLE "ScoreEntries" (
        id CHAR(36) NOT NULL, score_value VARCHAR NOT NULL, score_value_description VARCHAR, score_type VARCHAR NOT NULL,
        score_category JSON, score_rationale VARCHAR, score_metadata JSON NOT NULL, scorer_class_identifier JSON NOT NULL,
        prompt_request_response_id CHAR(36), timestamp DATETIME NOT NULL, task VARCHAR, objective VARCHAR, pyrit_version VARCHAR,
        PRIMARY KEY (id), FOREIGN KEY(prompt_request_response_id) REFERENCES "PromptMemoryEntries" (id))""",
      """
      CREATE TABLE "AttackResultEntries" (
        id CHAR(36) NOT NULL, conversation_id VARCHAR NOT NULL, objective VARCHAR NOT NULL, attack_identifier JSON NOT NULL,
        atomic_attack_identifier JSON, objective_sha256 VARCHAR, last_response_id CHAR(36), last_score_id CHAR(36),
        executed_turns INTEGER NOT NULL, execution_time_ms INTEGER NOT NULL, outcome VARCHAR NOT NULL, outcome_reason VARCHAR,
        attack_metadata JSON, pruned_conversation_ids JSON, adversarial_chat_conversation_ids JSON, timestamp DATETIME NOT NULL,
        pyrit_version VARCHAR, PRIMARY KEY (id), FOREIGN KEY(last_response_id) REFERENCES "PromptMemoryEntries" (id),
        FOREIGN KEY(last_score_id) REFERENCES "ScoreEntries" (id))""",
      "CREATE TABLE " + VERSION_TABLE + " (version_num VARCHAR(32) NOT NULL, CONSTRAINT " + VERSION_TABLE
          + "_pkc PRIMARY KEY (version_num))");

  private PyritSqlite() {}

  /** A PyRIT memory opened read-only: an import never changes the file it reads. */
  public static Connection openReadOnly(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /**
   * A 1.x identifier ({@code class_name}, {@code class_module}, …) from Gauntlet's or PyRIT 0.x's
   * ({@code __type__}, {@code __module__}, …): the class keys renamed, every other key kept.
   */
  public static JsonObject to1x(JsonObject id) {
    if (id == null) {
      return null;
    }
    JsonObject out = new JsonObject();
    out.put("class_name", id.getValue("class_name", id.getValue("__type__")));
    out.put("class_module", id.getValue("class_module", id.getValue("__module__")));
    id.forEach(e -> {
      if (!e.getKey().equals("__type__") && !e.getKey().equals("__module__") && !out.containsKey(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  /**
   * Gauntlet's form of a 1.x identifier: every key kept, with {@code __type__}, {@code __module__}
   * and {@code name} added where absent, which Gauntlet's dashboard and results group by.
   */
  public static JsonObject from1x(JsonObject id) {
    if (id == null) {
      return null;
    }
    JsonObject out = id.copy();
    Object className = id.getValue("class_name");
    if (className != null) {
      out.put("__type__", out.getValue("__type__", className));
      out.put("__module__", out.getValue("__module__", id.getValue("class_module")));
      if (!out.containsKey("name")) {
        Object model = id.getValue("model_name");
        out.put("name", model instanceof String m && !m.isEmpty() ? className + " (" + m + ")" : className);
      }
    }
    return out;
  }
}
