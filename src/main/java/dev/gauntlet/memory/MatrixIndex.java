package dev.gauntlet.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Keeps {@code matrix_rows} beside the dashboard's results index: per result, what never changes
 * once its pieces are written (its prompt's key (a 63-bit hash of its text), harm categories,
 * converter chain, probe, attack, snippets and a lower-cased search text), with the index's keys
 * and its automatic outcome, copied again when new scores change it, so a matrix read scans this
 * one table. A person's verdict is joined at read time (reviews are few and change any time).
 *
 * <p>DuckDB's fts extension cannot be loaded (Gauntlet loads no extension at run time, and it is
 * not bundled), so search is {@code contains} over {@link #SEARCH_CHARS} characters of each
 * text, lower-cased once here: a bounded scan of one column, after the other filters.
 *
 * <p>It catches up after the dashboard's index, when that index's version moved: results not yet
 * here are added (their pieces read through rowid ranges, like the results page), and rows whose
 * result went away (a rebuild) are dropped.
 *
 * <p>Beside it, {@code matrix_heat} (memory migration 14) counts those rows per minute × execution
 * × generator × labels × scorers × harm categories × probe × chain × attack × automatic outcome,
 * with each group's first and last time, so the heat map sums a few thousand rows instead of
 * scanning every result. Each catch-up counts again, from {@code matrix_rows}, exactly the
 * (execution, minute) groups whose rows it added, changed or dropped, in the same transaction, so
 * the counts always equal a count of {@code matrix_rows}.
 */
final class MatrixIndex {

  /** Characters of each text (prompt, converted prompt, answer) a search sees. */
  static final int SEARCH_CHARS = 20_000;
  /** Characters of a prompt or an answer kept as its snippet. */
  static final int SNIPPET_CHARS = 300;
  /** Results added per statement, so a large backlog stays within DuckDB's memory limit. */
  static final long BATCH_ROWS = 50_000;
  static final String UNCATEGORIZED = ComparisonQueries.UNCATEGORIZED;
  static final String NO_CONVERTERS = ComparisonQueries.NO_CONVERTERS;

  static final String CREATE_TABLE = """
      CREATE TABLE IF NOT EXISTS matrix_rows (
        piece_id UUID NOT NULL, prompt_key BIGINT NOT NULL, prompt_index INTEGER, categories VARCHAR[] NOT NULL,
        chain VARCHAR NOT NULL, probe VARCHAR NOT NULL, attack VARCHAR NOT NULL, prompt_text VARCHAR, prompt_length BIGINT,
        answer_text VARCHAR, answer_length BIGINT, search VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL,
        timestamp TIMESTAMP NOT NULL, execution_id VARCHAR NOT NULL, generator VARCHAR NOT NULL, labels VARCHAR NOT NULL,
        scorers VARCHAR NOT NULL, auto VARCHAR NOT NULL)""";

  static final String CREATE_HEAT = """
      CREATE TABLE IF NOT EXISTS matrix_heat (
        minute TIMESTAMP NOT NULL, execution_id VARCHAR NOT NULL, generator VARCHAR NOT NULL, labels VARCHAR NOT NULL,
        scorers VARCHAR NOT NULL, categories VARCHAR[] NOT NULL, probe VARCHAR NOT NULL, chain VARCHAR NOT NULL,
        attack VARCHAR NOT NULL, auto VARCHAR NOT NULL, results BIGINT NOT NULL, first TIMESTAMP NOT NULL, last TIMESTAMP NOT NULL)""";

  /** {@code matrix_rows} counted as {@code matrix_heat} counts them (the caller adds a WHERE on {@code m}). */
  private static final String HEAT_OF = """
      SELECT date_trunc('minute', m.timestamp), m.execution_id, m.generator, m.labels, m.scorers, m.categories, m.probe, m.chain,
             m.attack, m.auto, count(*), min(m.timestamp), max(m.timestamp)
      FROM matrix_rows m /*WHERE*/
      GROUP BY ALL""";

  /** The heat counts of every row (memory migration 14 fills the table with it). */
  static final String FILL_HEAT = "INSERT INTO matrix_heat " + HEAT_OF.replace("/*WHERE*/", "");

  /** The (execution, minute) groups a catch-up touched, whose counts it takes again. */
  private static final String TOUCHED = "CREATE OR REPLACE TEMP TABLE matrix_touched (execution_id VARCHAR, minute TIMESTAMP)";

  private static final String TOUCHED_ONLY = """
      EXISTS (SELECT 1 FROM temp.matrix_touched t WHERE t.execution_id = /*A*/execution_id AND t.minute = date_trunc('minute', /*A*/timestamp))""";

  /** The touched groups' counts taken again from {@code matrix_rows}: emptied, then counted. */
  private static final List<String> RECOUNT = List.of(
      "DELETE FROM matrix_heat h WHERE EXISTS (SELECT 1 FROM temp.matrix_touched t WHERE t.execution_id = h.execution_id AND t.minute = h.minute)",
      "INSERT INTO matrix_heat " + HEAT_OF.replace("/*WHERE*/", "WHERE " + TOUCHED_ONLY.replace("/*A*/", "m.")),
      "DROP TABLE temp.matrix_touched");

  /** The results the matrix does not have yet, with the rowids that bound their pieces' scan. */
  private static final String NEW_RESULTS = """
      CREATE OR REPLACE TEMP TABLE matrix_new AS
      SELECT r.piece_id, r.prompt_id, r.role, r.execution_id, r.piece_row, coalesce(r.prompt_row, r.piece_row) AS prompt_row,
             r.conversation_id, r.timestamp, r.generator, r.labels, r.scorers, /*OUTCOME*/ AS auto
      FROM dashboard_results r WHERE NOT EXISTS (SELECT 1 FROM matrix_rows m WHERE m.piece_id = r.piece_id)"""
      .replace("/*OUTCOME*/", DashboardQueries.resultOutcome("r"));

  /**
   * Results whose automatic outcome or scorers changed since they were copied (scores arrive after
   * their answer, a re-score adds some): copied again, so a read needs no join with the index.
   */
  private static final List<String> REFRESH = List.of("""
      CREATE OR REPLACE TEMP TABLE matrix_changed AS
      SELECT m.piece_id, r.o, r.scorers, m.execution_id, m.timestamp
      FROM matrix_rows m JOIN (SELECT piece_id, scorers, /*OUTCOME*/ AS o FROM dashboard_results) r ON m.piece_id = r.piece_id
      WHERE m.auto <> r.o OR m.scorers <> r.scorers""".replace("/*OUTCOME*/", DashboardQueries.resultOutcome("")),
      "UPDATE matrix_rows m SET auto = c.o, scorers = c.scorers FROM temp.matrix_changed c WHERE m.piece_id = c.piece_id",
      "INSERT INTO temp.matrix_touched SELECT DISTINCT execution_id, date_trunc('minute', timestamp) FROM temp.matrix_changed",
      "DROP TABLE temp.matrix_changed");

  /** The converters' names in order, joined by " → " (as compare names a chain). */
  private static final String CHAIN = """
      coalesce(nullif(array_to_string(list_transform(json_extract(pr.converter_identifiers, '$[*]'),
          lambda x: coalesce(nullif(x ->> 'name', ''), x ->> '__type__', '?')), ' → '), ''), '/*NONE*/')"""
      .replace("/*NONE*/", NO_CONVERTERS);

  /**
   * One batch of new results (parameters: the batch's piece rowids, then the bounds of both pieces'
   * rowids). Texts are cut with {@code substring}, which gives what {@code left} gives at a
   * fraction of its cost.
   */
  private static final String ADD = """
      INSERT INTO matrix_rows
      SELECT n.piece_id, CAST(hash(coalesce(pr.original_value, '')) >> 1 AS BIGINT), TRY_CAST(pr.prompt_metadata ->> 'prompt_index' AS INTEGER),
             CASE WHEN coalesce(json_array_length(ep.harm_categories), 0) > 0
                  THEN json_extract_string(ep.harm_categories, '$[*]') ELSE ['/*UNCATEGORIZED*/'] END,
             /*CHAIN*/, coalesce(p.labels ->> 'probe', ''),
             coalesce(nullif(p.orchestrator_identifier ->> '__type__', ''), nullif(p.orchestrator_identifier ->> 'name', ''), ''),
             substring(pr.original_value, 1, /*SNIPPET*/), length(pr.original_value),
             CASE WHEN n.role IN /*RESPONSES*/ THEN substring(coalesce(p.converted_value, p.original_value), 1, /*SNIPPET*/) END,
             CASE WHEN n.role IN /*RESPONSES*/ THEN length(coalesce(p.converted_value, p.original_value)) END,
             lower(substring(coalesce(pr.original_value, ''), 1, /*SEARCH*/) || chr(10)
                   || CASE WHEN pr.converted_value IS DISTINCT FROM pr.original_value THEN substring(coalesce(pr.converted_value, ''), 1, /*SEARCH*/) ELSE '' END
                   || chr(10) || CASE WHEN n.role IN /*RESPONSES*/ THEN substring(coalesce(p.converted_value, ''), 1, /*SEARCH*/) ELSE '' END),
             n.conversation_id, n.timestamp, n.execution_id, n.generator, n.labels, n.scorers, n.auto
      FROM temp.matrix_new n
      JOIN PromptMemoryEntries p ON p.id = n.piece_id AND p.rowid BETWEEN ? AND ?
      LEFT JOIN PromptMemoryEntries pr ON pr.id = n.prompt_id AND pr.rowid BETWEEN ? AND ?
      LEFT JOIN execution_prompts ep ON ep.execution_id = n.execution_id
           AND ep.prompt_index = TRY_CAST(pr.prompt_metadata ->> 'prompt_index' AS INTEGER)
      WHERE n.piece_row >= ? AND n.piece_row < ?"""
      .replace("/*CHAIN*/", CHAIN).replace("/*UNCATEGORIZED*/", UNCATEGORIZED).replace("/*RESPONSES*/", DashboardQueries.RESPONSE_ROLES)
      .replace("/*SNIPPET*/", Integer.toString(SNIPPET_CHARS)).replace("/*SEARCH*/", Integer.toString(SEARCH_CHARS));

  private final Connection c;
  private final DashboardIndex dashboard;
  private long seen = Long.MIN_VALUE;

  MatrixIndex(Connection c, DashboardIndex dashboard) {
    this.c = c;
    this.dashboard = dashboard;
  }

  /** Grows whenever {@code matrix_rows} may have changed: caches of what it holds last one version. */
  long version() {
    return seen;
  }

  /** Brings {@code matrix_rows} up to the dashboard's index (which the caller has caught up). */
  void catchUp() throws SQLException {
    if (seen == dashboard.version()) {
      return;
    }
    Appends.inTransaction(c, () -> {
      try (Statement s = c.createStatement()) {
        s.execute(TOUCHED);
        for (String sql : REFRESH) {
          s.execute(sql);
        }
        s.execute(NEW_RESULTS);
        s.execute("INSERT INTO temp.matrix_touched SELECT DISTINCT execution_id, date_trunc('minute', timestamp) FROM temp.matrix_new");
      }
      long[] bounds = new long[2];
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(piece_row), max(piece_row) FROM temp.matrix_new")) {
        rs.next();
        bounds[0] = rs.getLong(1);
        bounds[1] = rs.wasNull() ? -1 : rs.getLong(2);
      }
      for (long from = bounds[0]; from <= bounds[1]; from += BATCH_ROWS) {
        add(from, Math.min(bounds[1] + 1, from + BATCH_ROWS));
      }
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE temp.matrix_new");
      }
      try (Statement s = c.createStatement()) {
        if (count("matrix_rows") > count("dashboard_results")) {
          s.execute("INSERT INTO temp.matrix_touched SELECT DISTINCT execution_id, date_trunc('minute', timestamp) FROM matrix_rows "
              + "WHERE piece_id NOT IN (SELECT piece_id FROM dashboard_results)");
          s.execute("DELETE FROM matrix_rows WHERE piece_id NOT IN (SELECT piece_id FROM dashboard_results)");
        }
        if (count("temp.matrix_touched") > 0) {
          for (String sql : RECOUNT) {
            s.execute(sql);
          }
        } else {
          s.execute("DROP TABLE temp.matrix_touched");
        }
      }
    });
    seen = dashboard.version();
  }

  private void add(long from, long to) throws SQLException {
    long[] rows = new long[4];
    try (PreparedStatement ps = c.prepareStatement("SELECT min(piece_row), max(piece_row), min(prompt_row), max(prompt_row) "
        + "FROM temp.matrix_new WHERE piece_row >= ? AND piece_row < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        for (int i = 0; i < 4; i++) {
          rows[i] = rs.getLong(i + 1);
        }
        if (rs.wasNull()) {
          return;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(ADD)) {
      ps.setLong(1, rows[0]);
      ps.setLong(2, rows[1]);
      ps.setLong(3, rows[2]);
      ps.setLong(4, rows[3]);
      ps.setLong(5, from);
      ps.setLong(6, to);
      ps.execute();
    }
  }

  private long count(String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
