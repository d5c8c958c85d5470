package dev.gauntlet.memory;

/**
 * Statements of shipped memory migrations, frozen as the text they ran: the live queries they were
 * built from ({@link DashboardQueries}) have changed since, and a migration must do on a new file
 * exactly what it did when it shipped (migration 4 then brings the dashboard tables up to date).
 */
final class FrozenMigrationSql {

  /** Migration 2: the dashboard's results index from scratch, as shipped. */
  static final String V2_REBUILD_RESULTS =       """
      INSERT INTO dashboard_results
      WITH sc AS (SELECT prompt_request_response_id AS piece_id, chr(31) || string_agg(DISTINCT scorer, chr(31) ORDER BY scorer) || chr(31) AS scorers, count(*) AS n,
             count(*) FILTER (WHERE success) AS ok, min(row) AS row_from, max(row) AS row_to
      FROM (SELECT prompt_request_response_id, coalesce(nullif(scorer_class_identifier ->> 'name', ''), nullif(scorer_class_identifier ->> '__type__', ''), 'unknown') AS scorer, coalesce(CASE WHEN score_metadata LIKE '%"attack_success"%' AND json_valid(score_metadata)
                    THEN TRY_CAST(json_extract_string(score_metadata, '$.attack_success') AS BOOLEAN) END,
               CASE WHEN score_type = 'float_scale'
                    THEN lower(score_value) = 'true' OR TRY_CAST(score_value AS DOUBLE) >= 0.5
                    ELSE lower(score_value) = 'true' END) AS success, rowid AS row
            FROM ScoreEntries )
      WHERE prompt_request_response_id IS NOT NULL
      GROUP BY 1), prev AS (SELECT conversation_id, sequence, arg_min(id, rowid) AS id, min(rowid) AS row FROM PromptMemoryEntries  GROUP BY ALL), p AS (SELECT *, rowid AS row FROM PromptMemoryEntries)
      SELECT p.id, p.role, CASE WHEN p.role IN ('assistant', 'simulated_assistant') THEN prev.id ELSE p.id END, p.conversation_id, p.timestamp, coalesce(p.prompt_metadata ->> 'execution_id', ''), coalesce(nullif(p.prompt_target_identifier ->> 'name', ''), nullif(p.prompt_target_identifier ->> '__type__', ''), 'unknown'), coalesce(CAST(p.labels AS VARCHAR), ''),
             coalesce(sc.scorers, ''), coalesce(sc.n, 0), coalesce(sc.ok, 0),
             p.row, CASE WHEN p.role IN ('assistant', 'simulated_assistant') THEN prev.row ELSE p.row END, sc.row_from, sc.row_to
      FROM p
      LEFT JOIN sc ON sc.piece_id = p.id
      LEFT JOIN prev ON prev.conversation_id = p.conversation_id AND prev.sequence = p.sequence - 1
      WHERE p.role IN ('assistant', 'simulated_assistant') OR sc.piece_id IS NOT NULL""";

  /** Migration 2: the dashboard's rollup from scratch, as shipped. */
  static final String V2_REBUILD_ROLLUP =       """
      INSERT INTO dashboard_rollup SELECT CAST(timestamp AS DATE), coalesce(prompt_metadata ->> 'execution_id', ''), coalesce(nullif(prompt_target_identifier ->> 'name', ''), nullif(prompt_target_identifier ->> '__type__', ''), 'unknown'), coalesce(CAST(labels AS VARCHAR), ''), '',
             count(*) FILTER (WHERE role = 'user'), count(*) FILTER (WHERE role IN ('assistant', 'simulated_assistant')), 0, 0
      FROM PromptMemoryEntries WHERE (role = 'user' OR role IN ('assistant', 'simulated_assistant'))  GROUP BY ALL UNION ALL SELECT CAST(s.timestamp AS DATE), r.execution_id, r.generator, r.labels, coalesce(nullif(s.scorer_class_identifier ->> 'name', ''), nullif(s.scorer_class_identifier ->> '__type__', ''), 'unknown'), 0, 0, count(*),
             count(*) FILTER (WHERE coalesce(CASE WHEN s.score_metadata LIKE '%"attack_success"%' AND json_valid(s.score_metadata)
                    THEN TRY_CAST(json_extract_string(s.score_metadata, '$.attack_success') AS BOOLEAN) END,
               CASE WHEN s.score_type = 'float_scale'
                    THEN lower(s.score_value) = 'true' OR TRY_CAST(s.score_value AS DOUBLE) >= 0.5
                    ELSE lower(s.score_value) = 'true' END))
      FROM ScoreEntries s JOIN dashboard_results r ON r.piece_id = s.prompt_request_response_id  GROUP BY ALL""";

  /** Migration 2: where the first catch-up starts, as shipped. */
  static final String V2_REBUILD_STATE =       """
      INSERT INTO dashboard_state SELECT (SELECT coalesce(max(rowid) + 1, 0) FROM PromptMemoryEntries), (SELECT coalesce(max(rowid) + 1, 0) FROM ScoreEntries),
             (SELECT count(*) FROM PromptMemoryEntries), (SELECT count(*) FROM ScoreEntries)""";

  private FrozenMigrationSql() {}

  /** Migration 4: the dashboard's results index from scratch, as shipped (every piece of an answering role an answer). */
  static final String V4_REBUILD_RESULTS =
      """
      INSERT INTO dashboard_results
      WITH sc AS (SELECT prompt_request_response_id AS piece_id, chr(31) || string_agg(DISTINCT scorer, chr(31) ORDER BY scorer) || chr(31) AS scorers, count(*) AS n,
             count(*) FILTER (WHERE success) AS ok, min(row) AS row_from, max(row) AS row_to,
             count(*) FILTER (WHERE usable) AS v
      FROM (SELECT prompt_request_response_id, coalesce(nullif(scorer_class_identifier ->> 'name', ''), nullif(scorer_class_identifier ->> '__type__', ''), 'unknown') || coalesce('@' || nullif(scorer_class_identifier ->> 'version', ''), '') AS scorer, CASE WHEN score_value IS NULL THEN NULL ELSE coalesce(CASE WHEN score_metadata LIKE '%"attack_success"%' AND json_valid(score_metadata)
                    THEN TRY_CAST(json_extract_string(score_metadata, '$.attack_success') AS BOOLEAN) END,
               CASE WHEN score_type = 'float_scale'
                    THEN lower(score_value) = 'true' OR TRY_CAST(score_value AS DOUBLE) >= 0.5
                    ELSE lower(score_value) = 'true' END) END AS success, rowid AS row,
                   score_value IS NOT NULL AS usable
            FROM ScoreEntries )
      WHERE prompt_request_response_id IS NOT NULL
      GROUP BY 1), prev AS (SELECT conversation_id, sequence, arg_min(id, rowid) AS id, min(rowid) AS row FROM PromptMemoryEntries  GROUP BY ALL), p AS (SELECT *, rowid AS row FROM PromptMemoryEntries)
      SELECT p.id, p.role, CASE WHEN p.role IN ('assistant', 'simulated_assistant') THEN prev.id ELSE p.id END, p.conversation_id, p.timestamp, coalesce(p.prompt_metadata ->> 'execution_id', ''), coalesce(nullif(p.prompt_target_identifier ->> 'name', ''), nullif(p.prompt_target_identifier ->> '__type__', ''), 'unknown'), coalesce(CAST(p.labels AS VARCHAR), ''),
             coalesce(sc.scorers, ''), coalesce(sc.n, 0), coalesce(sc.ok, 0),
             p.row, CASE WHEN p.role IN ('assistant', 'simulated_assistant') THEN prev.row ELSE p.row END, sc.row_from, sc.row_to,
             coalesce(p.response_error, 'none'), coalesce(sc.v, 0)
      FROM p
      LEFT JOIN sc ON sc.piece_id = p.id
      LEFT JOIN prev ON prev.conversation_id = p.conversation_id AND prev.sequence = p.sequence - 1
      WHERE p.role IN ('assistant', 'simulated_assistant') OR sc.piece_id IS NOT NULL""";

  /** Migration 4: the dashboard's rollup from scratch, as shipped. */
  static final String V4_REBUILD_ROLLUP =
      """
      INSERT INTO dashboard_rollup SELECT CAST(timestamp AS DATE), coalesce(prompt_metadata ->> 'execution_id', ''), coalesce(nullif(prompt_target_identifier ->> 'name', ''), nullif(prompt_target_identifier ->> '__type__', ''), 'unknown'), coalesce(CAST(labels AS VARCHAR), ''), '',
             count(*) FILTER (WHERE role = 'user'), count(*) FILTER (WHERE role IN ('assistant', 'simulated_assistant')), 0, 0, 0, 0, 0, 0, 0
      FROM PromptMemoryEntries WHERE (role = 'user' OR role IN ('assistant', 'simulated_assistant'))  GROUP BY ALL UNION ALL SELECT CAST(s.timestamp AS DATE), r.execution_id, r.generator, r.labels, coalesce(nullif(s.scorer_class_identifier ->> 'name', ''), nullif(s.scorer_class_identifier ->> '__type__', ''), 'unknown') || coalesce('@' || nullif(s.scorer_class_identifier ->> 'version', ''), ''), 0, 0, count(*),
             count(*) FILTER (WHERE CASE WHEN s.score_value IS NULL THEN NULL ELSE coalesce(CASE WHEN s.score_metadata LIKE '%"attack_success"%' AND json_valid(s.score_metadata)
                    THEN TRY_CAST(json_extract_string(s.score_metadata, '$.attack_success') AS BOOLEAN) END,
               CASE WHEN s.score_type = 'float_scale'
                    THEN lower(s.score_value) = 'true' OR TRY_CAST(s.score_value AS DOUBLE) >= 0.5
                    ELSE lower(s.score_value) = 'true' END) END), count(*) FILTER (WHERE s.score_value IS NOT NULL), 0, 0, 0, 0
      FROM ScoreEntries s JOIN dashboard_results r ON r.piece_id = s.prompt_request_response_id  GROUP BY ALL UNION ALL SELECT CAST(timestamp AS DATE), execution_id, generator, labels, '', 0, 0, 0, 0, 0,
             1 * count(*) FILTER (WHERE o = 'attack_succeeded'), 1 * count(*) FILTER (WHERE o = 'held'),
             1 * count(*) FILTER (WHERE o = 'error'), 1 * count(*) FILTER (WHERE o = 'unscored')
      FROM (SELECT *, (CASE WHEN coalesce(nullif(response_error, ''), 'none') = 'blocked' THEN 'held' WHEN coalesce(nullif(response_error, ''), 'none') <> 'none' THEN 'error' WHEN coalesce(successes, 0) > 0 THEN 'attack_succeeded' WHEN coalesce(verdicts, 0) > 0 THEN 'held' ELSE 'unscored' END) AS o FROM dashboard_results ) GROUP BY ALL""";

  /** Migration 4: where the next catch-up starts, as shipped. */
  static final String V4_REBUILD_STATE =
      """
      INSERT INTO dashboard_state SELECT (SELECT coalesce(max(rowid) + 1, 0) FROM PromptMemoryEntries), (SELECT coalesce(max(rowid) + 1, 0) FROM ScoreEntries),
             (SELECT count(*) FROM PromptMemoryEntries), (SELECT count(*) FROM ScoreEntries)""";
}
