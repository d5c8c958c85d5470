package dev.gauntlet.memory;

/** The analytical SQL run over a user's memory, named for what each statement answers. */
final class MemoryQueries {

  /**
   * Whether a score marks the attack a success. A scorer may say so in its metadata
   * ({@code "attack_success"}: a refusal scorer's true means the target held); otherwise a true
   * true/false score, or a float_scale score of at least 0.5. {@code %1$s} is the table alias.
   */
  private static final String SUCCESS = """
      coalesce(CASE WHEN %1$sscore_metadata LIKE '%%"attack_success"%%' AND json_valid(%1$sscore_metadata)
                    THEN TRY_CAST(json_extract_string(%1$sscore_metadata, '$.attack_success') AS BOOLEAN) END,
               CASE WHEN %1$sscore_type = 'float_scale'
                    THEN lower(%1$sscore_value) = 'true' OR TRY_CAST(%1$sscore_value AS DOUBLE) >= 0.5
                    ELSE lower(%1$sscore_value) = 'true' END)""";

  static String success(String alias) {
    return SUCCESS.formatted(alias.isEmpty() ? "" : alias + ".");
  }

  /** An execution's committed prompts: done, answered, failed, and attack successes. */
  static final String EXECUTION_COUNTS = """
      SELECT count(*), count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status <> 'succeeded'),
             count(*) FILTER (WHERE attack_success)
      FROM execution_results WHERE execution_id = ?""";

  /** Every piece with its scores, for exports; the caller adds AND-ed conditions at FILTER. */
  static final String EXPORT_ROWS = """
      SELECT p.conversation_id, p.sequence, p.role, p.timestamp, p.original_value, p.converted_value, p.response_error,
             p.prompt_target_identifier ->> 'name' AS generator, p.prompt_metadata ->> 'execution_id' AS execution_id,
             CAST(p.labels AS VARCHAR) AS labels, CAST(p.converter_identifiers AS VARCHAR) AS converters,
             (SELECT string_agg(coalesce(s.scorer_class_identifier ->> 'name', s.scorer_class_identifier ->> '__type__')
                                || '=' || s.score_value, '; ' ORDER BY s.timestamp)
              FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS scores,
             (SELECT bool_or(/*SUCCESS*/)
              FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS attack_success
      FROM PromptMemoryEntries p
      WHERE true /*FILTER*/
      ORDER BY p.timestamp, p.conversation_id, p.sequence""".replace("/*SUCCESS*/", success("s"));

  /** The user prompts of conversations in which an answer scored an attack success. */
  static final String SUCCESSFUL_PROMPTS = """
      SELECT DISTINCT u.original_value FROM PromptMemoryEntries u
      WHERE u.role = 'user' AND u.conversation_id IN (
        SELECT p.conversation_id FROM ScoreEntries s JOIN PromptMemoryEntries p ON p.id = s.prompt_request_response_id
        WHERE /*SUCCESS*/
          AND (CAST(? AS VARCHAR) IS NULL OR (p.prompt_metadata ->> 'execution_id') = ?))
      LIMIT 200000""".replace("/*SUCCESS*/", success("s"));

  /** The roles whose pieces are answers: each is a row of the dashboard's detailed results. */
  static final String RESPONSE_ROLES = "('assistant', 'simulated_assistant')";

  /** A name out of an identifier column: its "name", else its "__type__", else 'unknown' (see {@link DashboardIndex#name}). */
  static String nameOf(String column) {
    return "coalesce(nullif(" + column + " ->> 'name', ''), nullif(" + column + " ->> '__type__', ''), 'unknown')";
  }

  /** The execution a piece belongs to ('' for none), as {@link DashboardIndex#executionOf} reads it. */
  static String executionOf(String alias) {
    return "coalesce(" + alias + "prompt_metadata ->> 'execution_id', '')";
  }

  /**
   * The dashboard's results index from scratch: one row per answer, and per other piece that was
   * scored, with the prompt it answers (the piece before it in its conversation; a scored prompt
   * is its own prompt) and its scorers. What {@link DashboardIndex} keeps up to date at each append.
   */
  static final String REBUILD_RESULTS = """
      INSERT INTO dashboard_results
      WITH sc AS (
        SELECT prompt_request_response_id AS piece_id, list(DISTINCT scorer ORDER BY scorer) AS scorers,
               count(*) AS score_count, count(*) FILTER (WHERE success) AS successes
        FROM (SELECT prompt_request_response_id, /*SCORER*/ AS scorer, /*SUCCESS*/ AS success FROM ScoreEntries)
        GROUP BY 1),
      prev AS (SELECT conversation_id, sequence, min(id) AS id FROM PromptMemoryEntries GROUP BY ALL)
      SELECT p.id, p.role, CASE WHEN p.role IN /*RESPONSES*/ THEN prev.id ELSE p.id END, p.conversation_id, p.timestamp,
             /*EXECUTION*/, /*GENERATOR*/, coalesce(CAST(p.labels AS VARCHAR), ''),
             coalesce(sc.scorers, []), coalesce(sc.score_count, 0), coalesce(sc.successes, 0)
      FROM PromptMemoryEntries p
      LEFT JOIN sc ON sc.piece_id = p.id
      LEFT JOIN prev ON prev.conversation_id = p.conversation_id AND prev.sequence = p.sequence - 1
      WHERE p.role IN /*RESPONSES*/ OR sc.piece_id IS NOT NULL"""
      .replace("/*SCORER*/", nameOf("scorer_class_identifier")).replace("/*SUCCESS*/", success(""))
      .replace("/*RESPONSES*/", RESPONSE_ROLES).replace("/*EXECUTION*/", executionOf("p."))
      .replace("/*GENERATOR*/", nameOf("p.prompt_target_identifier"));

  /**
   * The dashboard's rollup from scratch: prompts and answers per day × execution × generator ×
   * labels (scorer ''), and scores with attack successes per the same and scorer, days being
   * the pieces' and the scores' own (UTC). Scores of pieces not stored are not counted.
   */
  static final String REBUILD_ROLLUP = """
      INSERT INTO dashboard_rollup
      WITH p AS (
        SELECT id, role, CAST(timestamp AS DATE) AS day, /*EXECUTION*/ AS execution_id, /*GENERATOR*/ AS generator,
               coalesce(CAST(labels AS VARCHAR), '') AS labels
        FROM PromptMemoryEntries)
      SELECT day, execution_id, generator, labels, '' AS scorer, count(*) FILTER (WHERE role = 'user'),
             count(*) FILTER (WHERE role IN /*RESPONSES*/), 0, 0
      FROM p WHERE role = 'user' OR role IN /*RESPONSES*/ GROUP BY ALL
      UNION ALL
      SELECT CAST(s.timestamp AS DATE), p.execution_id, p.generator, p.labels, /*SCORER*/, 0, 0, count(*),
             count(*) FILTER (WHERE /*SUCCESS*/)
      FROM ScoreEntries s JOIN p ON p.id = s.prompt_request_response_id GROUP BY ALL"""
      .replace("/*SCORER*/", nameOf("s.scorer_class_identifier")).replace("/*SUCCESS*/", success("s"))
      .replace("/*RESPONSES*/", RESPONSE_ROLES).replace("/*EXECUTION*/", executionOf(""))
      .replace("/*GENERATOR*/", nameOf("prompt_target_identifier"));

  /** Adds a batch's rollup deltas (staged in a temporary table) to the rollup. */
  static final String MERGE_ROLLUP = """
      MERGE INTO dashboard_rollup r USING temp.dashboard_rollup_delta d
        ON r.day = d.day AND r.execution_id = d.execution_id AND r.generator = d.generator AND r.labels = d.labels
           AND r.scorer = d.scorer
      WHEN MATCHED THEN UPDATE SET prompts = r.prompts + d.prompts, responses = r.responses + d.responses,
           scores = r.scores + d.scores, successes = r.successes + d.successes
      WHEN NOT MATCHED THEN INSERT VALUES (d.day, d.execution_id, d.generator, d.labels, d.scorer, d.prompts, d.responses,
           d.scores, d.successes)""";

  /**
   * The dashboard's figures under a filter, at once: the whole, per day, per scorer, per
   * generator, and per scorer × generator × day. The caller adds AND-ed conditions at FILTER;
   * a scorer filter keeps the prompt rows (scorer '') so prompts and executions still count.
   */
  static final String ROLLUP_SUMMARY = """
      SELECT GROUPING(day) AS g_day, GROUPING(scorer) AS g_scorer, GROUPING(generator) AS g_generator,
             day, scorer, generator, sum(prompts) AS prompts, sum(responses) AS responses, sum(scores) AS scores,
             sum(successes) AS successes, count(DISTINCT nullif(execution_id, '')) AS executions
      FROM dashboard_rollup
      WHERE day >= ? /*FILTER*/
      GROUP BY GROUPING SETS ((), (day), (scorer), (generator), (day, scorer, generator))""";

  /** What a filter can be set to: every scorer, generator, execution and label set in the rollup. */
  static final String ROLLUP_OPTIONS = """
      SELECT GROUPING(scorer) AS g_scorer, GROUPING(generator) AS g_generator, GROUPING(execution_id) AS g_execution,
             scorer, generator, execution_id, labels
      FROM dashboard_rollup
      GROUP BY GROUPING SETS ((scorer), (generator), (execution_id), (labels))""";

  /** One page of results (the caller adds FILTER, CURSOR and ORDER) with the key columns. */
  static final String RESULTS_PAGE = """
      SELECT piece_id, role, prompt_id, conversation_id, timestamp, execution_id, generator, labels, score_count, successes
      FROM dashboard_results
      WHERE timestamp >= ? /*FILTER*/ /*CURSOR*/
      ORDER BY /*ORDER*/
      LIMIT ?""";

  /** How many results match, and how many of them come before a row (the caller adds FILTER and BEFORE). */
  static final String RESULTS_COUNT = """
      SELECT count(*), count(*) FILTER (WHERE /*BEFORE*/) FROM dashboard_results WHERE timestamp >= ? /*FILTER*/""";

  /** The prompt and answer texts of a page's rows, cut to what a page shows. */
  static final String RESULT_TEXTS = """
      SELECT id, role, left(original_value, 2000) AS original_value, left(converted_value, 2000) AS converted_value,
             length(original_value) > 2000 OR length(converted_value) > 2000 AS cut, response_error
      FROM PromptMemoryEntries WHERE id = ANY(?)""";

  /** The scores of a page's rows. */
  static final String RESULT_SCORES = """
      SELECT prompt_request_response_id AS piece_id, /*SCORER*/ AS scorer, score_value, score_type, /*SUCCESS*/ AS success,
             left(score_rationale, 300) AS rationale
      FROM ScoreEntries WHERE prompt_request_response_id = ANY(?) ORDER BY timestamp, id"""
      .replace("/*SCORER*/", nameOf("scorer_class_identifier")).replace("/*SUCCESS*/", success(""));

  /** Every result under a filter, with full texts and scores, for an export (the caller adds FILTER). */
  static final String RESULTS_EXPORT = """
      SELECT r.timestamp, r.execution_id, r.generator, r.labels, r.conversation_id, pr.original_value, pr.converted_value,
             CASE WHEN r.role IN /*RESPONSES*/ THEN p.converted_value END AS response, p.response_error,
             (SELECT string_agg(/*SCORER*/ || '=' || s.score_value, '; ' ORDER BY s.timestamp, s.id)
              FROM ScoreEntries s WHERE s.prompt_request_response_id = r.piece_id) AS scores,
             r.successes, r.successes > 0 AS attack_success
      FROM dashboard_results r
      JOIN PromptMemoryEntries p ON p.id = r.piece_id
      LEFT JOIN PromptMemoryEntries pr ON pr.id = r.prompt_id
      WHERE r.timestamp >= ? /*FILTER*/
      ORDER BY r.timestamp DESC, r.piece_id DESC""".replace("/*RESPONSES*/", RESPONSE_ROLES)
      .replace("/*SCORER*/", nameOf("s.scorer_class_identifier"));

  /** Two executions' figures, whole and per scorer. */
  static final String COMPARE_SUMMARY = """
      SELECT GROUPING(scorer) AS g_scorer, execution_id, scorer, sum(prompts) AS prompts, sum(responses) AS responses,
             sum(scores) AS scores, sum(successes) AS successes
      FROM dashboard_rollup WHERE execution_id IN (?, ?)
      GROUP BY GROUPING SETS ((execution_id), (execution_id, scorer))""";

  /**
   * The prompts two executions both sent (same original text), each with whether any of its
   * answers marked an attack success in either: those whose outcome differs first.
   */
  static final String COMPARE_PROMPTS = """
      WITH t AS (
        SELECT r.execution_id, p.original_value AS prompt, bool_or(r.successes > 0) AS success
        FROM dashboard_results r JOIN PromptMemoryEntries p ON p.id = r.prompt_id
        WHERE r.execution_id IN (?, ?)
        GROUP BY ALL),
      j AS (
        SELECT a.prompt, a.success AS a_success, b.success AS b_success
        FROM t a JOIN t b ON a.prompt = b.prompt AND a.execution_id = ? AND b.execution_id = ?)
      SELECT left(prompt, 1000) AS prompt, a_success, b_success, count(*) OVER () AS shared,
             count(*) FILTER (WHERE a_success AND NOT b_success) OVER () AS only_a,
             count(*) FILTER (WHERE b_success AND NOT a_success) OVER () AS only_b
      FROM j
      ORDER BY a_success = b_success, prompt
      LIMIT ?""";

  private MemoryQueries() {}
}
