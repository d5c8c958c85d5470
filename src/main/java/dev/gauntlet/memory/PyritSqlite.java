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
   * what it changes in the tables Gauntlet reads, and the release it is the head of ("PyRIT 1.0.0",
   * from PyRIT's git history) or the development line it belongs to.
   */
  public record Revision(String id, String date, String release, String change) {

    /** "1.0 development, revision b2f4c6a8d1e3": what an import names. */
    public String label() {
      return release + ", revision " + id;
    }
  }

  /** The revisions whose migration files were read; an import of any other is told by its columns. */
  public static final List<Revision> KNOWN = List.of(
      new Revision("ab8f2c1a9d07", "2026-04-01", "0.13 schema (pre-Alembic baseline)",
          "PyRIT 0.13.0's tables as released: labels, target and attack identifiers on every piece, score_value NOT NULL"),
      new Revision("3b8f2c1a9d07", "2026-04-01", "0.13 schema (pre-Alembic baseline)",
          "the same baseline under the id later copies of PyRIT give it"),
      new Revision("e373726d391b", "2026-04-23", "0.14 development", "ScenarioResultEntries.display_group_map_json"),
      new Revision("108a72344872", "2026-04-27", "0.14 development", "AttackResultEntries.labels"),
      new Revision("7a1b2c3d4e5f", "2026-05-13", "0.14 development",
          "AttackResultEntries error_message, error_type, error_traceback, retry_events_json, total_retries; "
              + "ScenarioResultEntries error columns"),
      new Revision("9c8b7a6d5e4f", "2026-05-18", "PyRIT 0.14.0",
          "AttackResultEntries attribution_parent_id, attribution_data; ScenarioResultEntries.scenario_metadata"),
      new Revision("f1a2b3c4d5e6", "2026-06-05", "1.0 development",
          "drops AttackResultEntries.attack_identifier and PromptMemoryEntries.targeted_harm_categories"),
      new Revision("b2f4c6a8d1e3", "2026-05-20", "1.0 development",
          "Conversations (target_identifier per conversation); PromptMemoryEntries loses prompt_target_identifier, attack_identifier"),
      new Revision("c3d5e7f9a1b2", "2026-06-11", "1.0 development", "AttackResultEntries.targeted_harm_categories"),
      new Revision("d4e5f6a7b8c9", "2026-06-16", "1.x", "no change (kept for databases stamped with it)"),
      new Revision("d4e6f8a0b2c4", "2026-07-02", "1.0 development",
          "ScenarioResultEntries.scenario_init_data renamed scenario_identifier (NOT NULL)"),
      new Revision("e5f7a9c1b3d2", "2026-07-10", "1.0 development", "identifier tables (TargetIdentifiers, …) beside the identifier JSON"),
      new Revision("24b44ef076b6", "2026-07-14", "1.0 development",
          "drops ScoreEntries.task, ScenarioResultEntries.attack_results_json, PromptMemoryEntries.labels"),
      new Revision("a1c3e5d7f9b0", "2026-01-01 (a placeholder date)", "1.0 development", "Conversations.retries"),
      new Revision("3f6e8a0c2d4b", "2026-07-15", "PyRIT 1.0.0", "none (merge of the v1 clean-up and Conversations.retries)"),
      new Revision("4c9a6e1f2b7d", "2026-07-24", "1.1 development", "initializer settings table"),
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
   * The revision the export writes: b2f4c6a8d1e3, the first with Conversations, in the history
   * PyRIT 1.0.0 shipped (its head is 3f6e8a0c2d4b, which descends from it), so every 1.x opens the
   * file and its own migrations carry it to its head. A later revision would add the identifier
   * tables of e5f7a9c1b3d2 and more, whose rows Gauntlet has nothing to fill with. Its score_value
   * is NOT NULL: the export leaves undetermined scores out and counts them.
   */
  public static final Revision EXPORT = ofRevision("b2f4c6a8d1e3").orElseThrow();

  /**
   * The layout at {@link #EXPORT}, as Alembic leaves it on SQLite after the migrations from the root
   * (ab8f2c1a9d07/3b8f2c1a9d07, e373726d391b, 108a72344872, 7a1b2c3d4e5f, 9c8b7a6d5e4f, f1a2b3c4d5e6,
   * b2f4c6a8d1e3): CustomUUID is CHAR(36), sa.Uuid CHAR(32), String and Unicode VARCHAR, DateTime
   * DATETIME, JSON JSON; an added column comes last, a dropped one goes; one index (9c8b7a6d5e4f's).
   */
  static final List<String> DDL_EXPORT = List.of(
      """
      CREATE TABLE "PromptMemoryEntries" (
        id CHAR(36) NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL, sequence INTEGER NOT NULL,
        timestamp DATETIME NOT NULL, labels JSON NOT NULL, prompt_metadata JSON NOT NULL, converter_identifiers JSON,
        response_error VARCHAR, original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL,
        original_value_sha256 VARCHAR, converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR,
        converted_value_sha256 VARCHAR, original_prompt_id CHAR(36) NOT NULL, pyrit_version VARCHAR, PRIMARY KEY (id))""",
      """
      CREATE TABLE "ScenarioResultEntries" (
        id CHAR(36) NOT NULL, scenario_name VARCHAR NOT NULL, scenario_description VARCHAR, scenario_version INTEGER NOT NULL,
        pyrit_version VARCHAR NOT NULL, scenario_init_data JSON, objective_target_identifier JSON NOT NULL,
        objective_scorer_identifier JSON, scenario_run_state VARCHAR NOT NULL, attack_results_json VARCHAR NOT NULL, labels JSON,
        number_tries INTEGER NOT NULL, completion_time DATETIME NOT NULL, timestamp DATETIME NOT NULL, display_group_map_json VARCHAR,
        error_message VARCHAR, error_type VARCHAR, scenario_metadata JSON, PRIMARY KEY (id))""",
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
        id CHAR(36) NOT NULL, conversation_id VARCHAR NOT NULL, objective VARCHAR NOT NULL, atomic_attack_identifier JSON,
        objective_sha256 VARCHAR, last_response_id CHAR(36), last_score_id CHAR(36), executed_turns INTEGER NOT NULL,
        execution_time_ms INTEGER NOT NULL, outcome VARCHAR NOT NULL, outcome_reason VARCHAR, attack_metadata JSON,
        pruned_conversation_ids JSON, adversarial_chat_conversation_ids JSON, timestamp DATETIME NOT NULL, pyrit_version VARCHAR,
        labels JSON, error_message VARCHAR, error_type VARCHAR, error_traceback VARCHAR, retry_events_json VARCHAR,
        total_retries INTEGER, attribution_parent_id CHAR(36), attribution_data JSON, PRIMARY KEY (id),
        FOREIGN KEY(last_response_id) REFERENCES "PromptMemoryEntries" (id), FOREIGN KEY(last_score_id) REFERENCES "ScoreEntries" (id),
        CONSTRAINT fk_attack_results_attribution_parent FOREIGN KEY(attribution_parent_id) REFERENCES "ScenarioResultEntries" (id)
          ON DELETE SET NULL)""",
      "CREATE INDEX \"ix_AttackResultEntries_attribution_parent_id\" ON \"AttackResultEntries\" (attribution_parent_id)",
      """
      CREATE TABLE "Conversations" (conversation_id VARCHAR(36) NOT NULL, target_identifier JSON, pyrit_version VARCHAR,
        PRIMARY KEY (conversation_id))""",
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
