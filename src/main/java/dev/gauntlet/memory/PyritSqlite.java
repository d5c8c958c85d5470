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
 * PyRIT 1.x's SQLite memory ({@code pyrit.db}) as Gauntlet reads and writes it: the Alembic
 * revisions of the layouts it knows, the 1.1 layout it writes (table and column names, SQLite
 * types as SQLAlchemy declares PyRIT's columns, nullability: facts from PyRIT's
 * {@code memory_models.py}), and the identifier JSON of 1.x ({@code class_name}, {@code class_module},
 * …) beside Gauntlet's PyRIT-0.x style ({@code __type__}, {@code __module__}, {@code name}).
 */
public final class PyritSqlite {

  public static final String VERSION_TABLE = "pyrit_memory_alembic_version";

  /** A layout PyRIT 1.x writes, named by the Alembic revision its version table records. */
  public enum Layout {
    /** PyRIT's first versioned memory: labels, target and attack identifiers on every piece. */
    V1_0("1.0", "e373726d391b"),
    /** Targets on Conversations; labels and the attack identifier on attack results; undetermined scores have no value. */
    V1_1("1.1", "34a18645c7e9");

    private final String label;
    private final String revision;

    Layout(String label, String revision) {
      this.label = label;
      this.revision = revision;
    }

    public String label() {
      return label;
    }

    public String revision() {
      return revision;
    }

    public static Optional<Layout> ofRevision(String revision) {
      for (Layout l : values()) {
        if (l.revision.equals(revision)) {
          return Optional.of(l);
        }
      }
      return Optional.empty();
    }
  }

  /** The 1.1 layout, as {@link PyritExport} creates it. */
  static final List<String> DDL_1_1 = List.of(
      """
      CREATE TABLE "PromptMemoryEntries" (
        id CHAR(36) NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL, sequence INTEGER NOT NULL,
        timestamp DATETIME NOT NULL, prompt_metadata JSON, converter_identifiers JSON, response_error VARCHAR,
        original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL, original_value_sha256 VARCHAR,
        converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR, converted_value_sha256 VARCHAR,
        original_prompt_id CHAR(36) NOT NULL, pyrit_version VARCHAR, PRIMARY KEY (id))""",
      "CREATE INDEX idx_conversation_id ON \"PromptMemoryEntries\" (conversation_id)",
      """
      CREATE TABLE "Conversations" (
        conversation_id VARCHAR(36) NOT NULL, target_identifier JSON, retries JSON, pyrit_version VARCHAR,
        PRIMARY KEY (conversation_id))""",
      """
      CREATE TABLE "EmbeddingData" (id CHAR(32) NOT NULL, embedding JSON, embedding_type_name VARCHAR, PRIMARY KEY (id),
        FOREIGN KEY(id) REFERENCES "PromptMemoryEntries" (id))""",
      """
      CREATE TABLE "ScoreEntries" (
        id CHAR(36) NOT NULL, score_value VARCHAR, score_value_description VARCHAR, score_type VARCHAR NOT NULL,
        score_category JSON, score_rationale VARCHAR, score_metadata JSON, scorer_class_identifier JSON,
        prompt_request_response_id CHAR(36), timestamp DATETIME NOT NULL, objective VARCHAR, pyrit_version VARCHAR,
        PRIMARY KEY (id), FOREIGN KEY(prompt_request_response_id) REFERENCES "PromptMemoryEntries" (id))""",
      """
      CREATE TABLE "SeedPromptEntries" (
        id CHAR(36) NOT NULL, value VARCHAR NOT NULL, value_sha256 VARCHAR, data_type VARCHAR NOT NULL, name VARCHAR,
        dataset_name VARCHAR, harm_categories JSON, description VARCHAR, authors JSON, groups JSON, source VARCHAR,
        date_added DATETIME NOT NULL, added_by VARCHAR NOT NULL, prompt_metadata JSON, parameters JSON, prompt_group_id CHAR(36),
        sequence INTEGER, role VARCHAR, seed_type VARCHAR NOT NULL, PRIMARY KEY (id))""",
      """
      CREATE TABLE "AttackResultEntries" (
        id CHAR(36) NOT NULL, conversation_id VARCHAR(36) NOT NULL, objective VARCHAR NOT NULL, atomic_attack_identifier JSON,
        objective_sha256 VARCHAR, last_response_id CHAR(36), last_score_id CHAR(36), executed_turns INTEGER NOT NULL,
        execution_time_ms INTEGER NOT NULL, outcome VARCHAR NOT NULL, outcome_reason VARCHAR, attack_metadata JSON, labels JSON,
        targeted_harm_categories JSON, pruned_conversation_ids JSON, adversarial_chat_conversation_ids JSON,
        timestamp DATETIME NOT NULL, pyrit_version VARCHAR, error_message VARCHAR, error_type VARCHAR, error_traceback VARCHAR,
        retry_events_json VARCHAR, total_retries INTEGER, PRIMARY KEY (id),
        FOREIGN KEY(last_response_id) REFERENCES "PromptMemoryEntries" (id), FOREIGN KEY(last_score_id) REFERENCES "ScoreEntries" (id))""",
      "CREATE INDEX \"ix_AttackResultEntries_conversation_id\" ON \"AttackResultEntries\" (conversation_id)",
      """
      CREATE TABLE "ScenarioResultEntries" (
        id CHAR(36) NOT NULL, scenario_name VARCHAR NOT NULL, scenario_description VARCHAR, scenario_version INTEGER NOT NULL,
        pyrit_version VARCHAR NOT NULL, scenario_identifier JSON NOT NULL, objective_target_identifier JSON NOT NULL,
        objective_scorer_identifier JSON, scenario_run_state VARCHAR NOT NULL, labels JSON, number_tries INTEGER NOT NULL,
        completion_time DATETIME NOT NULL, timestamp DATETIME NOT NULL, error_message VARCHAR, error_type VARCHAR, PRIMARY KEY (id))""",
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
