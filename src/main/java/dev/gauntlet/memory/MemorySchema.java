package dev.gauntlet.memory;

import dev.gauntlet.schema.Migration;
import dev.gauntlet.schema.SchemaMigrator;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A user memory's tables and ordered migrations, applied by {@link SchemaMigrator}. PyRIT's three
 * tables keep PyRIT's names and columns so PyRIT and ViolentUTF files open directly; statements
 * use IF NOT EXISTS so a file PyRIT created gains Gauntlet's configuration tables without losing
 * a row.
 *
 * <p>PromptMemoryEntries and ScoreEntries carry no PRIMARY KEY index: DuckDB's ART index cuts
 * appends from ~300k to ~30k rows/s as a table grows. Ids stay unique because the writer
 * checks every batch against {@link IdFilter} before appending.
 */
final class MemorySchema {

  private static String configTable(String name) {
    return "CREATE TABLE IF NOT EXISTS " + name + " (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "
        + "type VARCHAR NOT NULL, parameters JSON NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)";
  }

  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "configuration and PyRIT memory tables", List.of(
          configTable("generators"),
          configTable("converters"),
          configTable("scorers"),
          configTable("orchestrators"),
          """
          CREATE TABLE IF NOT EXISTS datasets (
            id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR,
            prompt_count INTEGER NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)""",
          // a dataset's prompts are SeedPromptEntries rows, ordered here
          """
          CREATE TABLE IF NOT EXISTS dataset_prompts (
            dataset_id VARCHAR NOT NULL, sequence INTEGER NOT NULL, seed_prompt_id UUID NOT NULL,
            PRIMARY KEY (dataset_id, sequence))""",
          // an execution keeps a snapshot of its orchestrator, so editing it later changes no run
          """
          CREATE TABLE IF NOT EXISTS executions (
            id VARCHAR PRIMARY KEY, orchestrator_id VARCHAR NOT NULL, orchestrator JSON NOT NULL,
            status VARCHAR NOT NULL, total INTEGER NOT NULL DEFAULT 0, labels JSON, error VARCHAR,
            created_at TIMESTAMP NOT NULL, started_at TIMESTAMP, finished_at TIMESTAMP, updated_at TIMESTAMP NOT NULL)""",
          // one row per committed prompt, written with its pieces: what resume and progress count
          """
          CREATE TABLE IF NOT EXISTS execution_results (
            execution_id VARCHAR NOT NULL, prompt_index INTEGER NOT NULL, conversation_id VARCHAR,
            status VARCHAR NOT NULL, attack_success BOOLEAN NOT NULL, error VARCHAR, completed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (execution_id, prompt_index))""",
          """
          CREATE TABLE IF NOT EXISTS PromptMemoryEntries (
            id UUID NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL,
            sequence INTEGER NOT NULL, timestamp TIMESTAMP NOT NULL,
            labels JSON, prompt_metadata JSON, converter_identifiers JSON,
            prompt_target_identifier JSON, orchestrator_identifier JSON, response_error VARCHAR,
            original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL, original_value_sha256 VARCHAR,
            converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR, converted_value_sha256 VARCHAR,
            original_prompt_id UUID NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS ScoreEntries (
            id UUID NOT NULL, score_value VARCHAR NOT NULL, score_value_description VARCHAR,
            score_type VARCHAR NOT NULL, score_category VARCHAR, score_rationale VARCHAR, score_metadata VARCHAR,
            scorer_class_identifier JSON, prompt_request_response_id UUID, timestamp TIMESTAMP NOT NULL, task VARCHAR)""",
          """
          CREATE TABLE IF NOT EXISTS SeedPromptEntries (
            id UUID NOT NULL, value VARCHAR NOT NULL, value_sha256 VARCHAR, data_type VARCHAR NOT NULL,
            name VARCHAR, dataset_name VARCHAR, harm_categories JSON, description VARCHAR,
            authors JSON, groups JSON, source VARCHAR, date_added TIMESTAMP NOT NULL, added_by VARCHAR,
            prompt_metadata JSON, parameters JSON, prompt_group_id UUID, sequence INTEGER)""")),
      // what the dashboard reads, brought up to date by DashboardIndex before each dashboard read;
      // filled here from the rows a file already holds
      new Migration(2, "dashboard rollup and results index", List.of(
          """
          CREATE TABLE IF NOT EXISTS dashboard_rollup (
            day DATE NOT NULL, execution_id VARCHAR NOT NULL, generator VARCHAR NOT NULL, labels VARCHAR NOT NULL,
            scorer VARCHAR NOT NULL, prompts BIGINT NOT NULL, responses BIGINT NOT NULL, scores BIGINT NOT NULL,
            successes BIGINT NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS dashboard_results (
            piece_id UUID NOT NULL, role VARCHAR NOT NULL, prompt_id UUID, conversation_id VARCHAR NOT NULL,
            timestamp TIMESTAMP NOT NULL, execution_id VARCHAR NOT NULL, generator VARCHAR NOT NULL, labels VARCHAR NOT NULL,
            scorers VARCHAR NOT NULL, score_count INTEGER NOT NULL, successes INTEGER NOT NULL,
            piece_row BIGINT NOT NULL, prompt_row BIGINT, score_rows_from BIGINT, score_rows_to BIGINT)""",
          "CREATE TABLE IF NOT EXISTS dashboard_state (pieces_next BIGINT NOT NULL, scores_next BIGINT NOT NULL, "
              + "pieces BIGINT NOT NULL, scores BIGINT NOT NULL)",
          "DELETE FROM dashboard_results",
          "DELETE FROM dashboard_rollup",
          "DELETE FROM dashboard_state",
          // frozen as shipped: the live queries have since gained migration 4's columns
          FrozenMigrationSql.V2_REBUILD_RESULTS,
          FrozenMigrationSql.V2_REBUILD_ROLLUP,
          FrozenMigrationSql.V2_REBUILD_STATE)),
      // an execution keeps what it was launched with: every configuration it refers to, as stored
      // (secrets sealed), and the prompts it sends, copied from its dataset, so editing or deleting
      // them later changes no run and no prompt index. Executions from before have neither and
      // resume from the stored configurations. No PRIMARY KEY on the prompts: they are written once,
      // in the transaction that creates the execution, and an ART index would slow that copy.
      new Migration(3, "execution snapshots and frozen prompts", List.of(
          "CREATE TABLE IF NOT EXISTS execution_snapshots (execution_id VARCHAR PRIMARY KEY, configs JSON NOT NULL)",
          "CREATE TABLE IF NOT EXISTS execution_prompts (execution_id VARCHAR NOT NULL, prompt_index INTEGER NOT NULL, "
              + "value VARCHAR NOT NULL)")),
      // a prompt's outcome (verdict/Outcomes): an undetermined score has no value (PyRIT 1.1's
      // meaning) rather than a false one; a result row keeps its outcome, reason and error class
      // (rows from before have none: DashboardQueries.EXECUTION_RESULT_OUTCOME maps them); the
      // dashboard's index keeps each result's error class and usable verdicts, and the rollup
      // counts usable verdicts per scorer and results per outcome. Both are rebuilt with the
      // queries of this version. A later change to those queries must freeze this migration's
      // copies, as migration 2's are (FrozenMigrationSql).
      new Migration(4, "prompt outcomes and undetermined scores", List.of(
          "ALTER TABLE ScoreEntries ALTER COLUMN score_value DROP NOT NULL",
          "ALTER TABLE execution_results ADD COLUMN IF NOT EXISTS outcome VARCHAR",
          "ALTER TABLE execution_results ADD COLUMN IF NOT EXISTS reason VARCHAR",
          "ALTER TABLE execution_results ADD COLUMN IF NOT EXISTS error_class VARCHAR",
          "ALTER TABLE dashboard_results ADD COLUMN IF NOT EXISTS response_error VARCHAR",
          "ALTER TABLE dashboard_results ADD COLUMN IF NOT EXISTS verdicts INTEGER DEFAULT 0",
          "ALTER TABLE dashboard_rollup ADD COLUMN IF NOT EXISTS verdicts BIGINT DEFAULT 0",
          "ALTER TABLE dashboard_rollup ADD COLUMN IF NOT EXISTS attack_succeeded BIGINT DEFAULT 0",
          "ALTER TABLE dashboard_rollup ADD COLUMN IF NOT EXISTS held BIGINT DEFAULT 0",
          "ALTER TABLE dashboard_rollup ADD COLUMN IF NOT EXISTS errors BIGINT DEFAULT 0",
          "ALTER TABLE dashboard_rollup ADD COLUMN IF NOT EXISTS unscored BIGINT DEFAULT 0",
          "DELETE FROM dashboard_results",
          "DELETE FROM dashboard_rollup",
          "DELETE FROM dashboard_state",
          // frozen as shipped: the live queries have since learnt which pieces are answers (migration 10)
          FrozenMigrationSql.V4_REBUILD_RESULTS,
          FrozenMigrationSql.V4_REBUILD_ROLLUP,
          FrozenMigrationSql.V4_REBUILD_STATE)),
      // re-scoring an execution's stored answers with other scorers (see RescoreStore): the job with
      // the scorer configurations it resolved at launch and the answers it scores, frozen in order, so
      // {@code done} (the answers committed) is where a resume starts. No index on the answers, as above.
      new Migration(5, "re-scoring jobs", List.of(RescoreStore.CREATE_JOBS, RescoreStore.CREATE_ANSWERS)),
      // human verdicts on results (ReviewStore): every review kept, the latest of a piece current
      new Migration(6, "human reviews", List.of(ReviewStore.CREATE_TABLE, ReviewStore.CREATE_CURRENT)),
      // scans (ScanStore): a set of probes run as ordinary executions, which carry its id as a label
      new Migration(7, "scans", List.of(ScanStore.CREATE_TABLE)),
      // a frozen prompt keeps the system prompt its dataset prompt asked to be sent with (a probe's
      // planted canary or context, in the seed's prompt_metadata), so a resume sends the same
      new Migration(8, "a frozen prompt's own system prompt", List.of(
          "ALTER TABLE execution_prompts ADD COLUMN IF NOT EXISTS system_prompt VARCHAR")),
      // a frozen prompt keeps its harm categories, so compare can test each category's rate;
      // prompts frozen before have none (their results count as uncategorized)
      new Migration(9, "harm categories of frozen prompts", List.of(
          "ALTER TABLE execution_prompts ADD COLUMN IF NOT EXISTS harm_categories JSON")),
      // a frozen prompt keeps the tools its dataset prompt offers the target (a probe's tool
      // definitions, in the seed's prompt_metadata), so a resume offers the same. And turns of an
      // answering role that the target never gave as its answer (fabricated turns, a priming reply,
      // a chunk before the last) are marked not_an_answer, as runs now write them, and the
      // dashboard is rebuilt without them (DashboardQueries.isAnswer). A later change to those
      // queries must freeze this migration's copies, as migration 4's are.
      new Migration(10, "tools of frozen prompts; turns that are not answers", List.of(
          "ALTER TABLE execution_prompts ADD COLUMN IF NOT EXISTS tools JSON",
          DashboardQueries.MARK_NOT_ANSWERS,
          "DELETE FROM dashboard_results",
          "DELETE FROM dashboard_rollup",
          "DELETE FROM dashboard_state",
          DashboardQueries.REBUILD_RESULTS,
          DashboardQueries.REBUILD_ROLLUP,
          DashboardQueries.REBUILD_STATE)),
      // an execution is run by Gauntlet or imported from another tool's file (dev.gauntlet.imports):
      // an imported one has no snapshot and no frozen prompts, and keeps where it came from
      new Migration(11, "imported executions", List.of(
          "ALTER TABLE executions ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'gauntlet'",
          "UPDATE executions SET kind = 'gauntlet' WHERE kind IS NULL",
          "ALTER TABLE executions ADD COLUMN IF NOT EXISTS source_tool VARCHAR",
          "ALTER TABLE executions ADD COLUMN IF NOT EXISTS source_version VARCHAR",
          "ALTER TABLE executions ADD COLUMN IF NOT EXISTS source_file VARCHAR",
          "ALTER TABLE executions ADD COLUMN IF NOT EXISTS imported_at TIMESTAMP")),
      // the results matrix's side table (MatrixIndex): per result, what never changes once written
      // (its prompt's key, categories, converter chain, probe, attack, snippets, search text);
      // filled by the first matrix read after this
      new Migration(12, "results matrix", List.of(MatrixIndex.CREATE_TABLE)),
      // the name a configuration had when it was deleted while others still referred to it, so
      // that they can say what is gone (ConfigNames)
      new Migration(13, "names of deleted configurations", List.of(ConfigNames.CREATE_DELETED)),
      // the heat map's counts of matrix_rows per minute and key (MatrixIndex), kept by each catch-up
      new Migration(14, "results matrix heat counts", List.of(MatrixIndex.CREATE_HEAT, MatrixIndex.FILL_HEAT)));

  static final List<String> PYRIT_TABLES = List.of("PromptMemoryEntries", "ScoreEntries", "SeedPromptEntries");
  static final List<String> ALL_TABLES = List.of("generators", "datasets", "dataset_prompts", "converters", "scorers",
      "orchestrators", "executions", "execution_results", "execution_snapshots", "execution_prompts", "rescore_jobs", "PromptMemoryEntries", "ScoreEntries", "SeedPromptEntries");

  private static final SchemaMigrator MIGRATOR = new SchemaMigrator("memory", SchemaMigrator.VersionTable.DUCKDB, MIGRATIONS);

  private MemorySchema() {}

  static int currentVersion(Connection c) throws SQLException {
    return SchemaMigrator.currentVersion(c);
  }

  /** Brings a memory file to the latest version, each migration in its own transaction. */
  static void migrate(Connection c) throws SQLException {
    MIGRATOR.migrate(c);
  }
}
