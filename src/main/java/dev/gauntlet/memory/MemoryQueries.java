package dev.gauntlet.memory;

/** The analytical SQL run over a user's memory, named for what each statement answers. */
final class MemoryQueries {

  /**
   * Scores per scorer × generator × day since a moment, with attack successes.
   *
   * <p>Each side is reduced to small values before the join: the identifier columns hold a few
   * distinct JSON texts, which DuckDB stores dictionary-encoded and evaluates {@code ->>} on
   * once per distinct text, but only until a join flattens them into one parse per row. The
   * success test calls TRY_CAST only for float_scale scores. Same rows and counts as joining
   * first; about half the time over a million scores.
   */
  static final String SCORE_SUMMARY = """
      WITH s AS (
        SELECT prompt_request_response_id AS piece_id,
               coalesce(scorer_class_identifier ->> 'name', scorer_class_identifier ->> '__type__', 'unknown') AS scorer,
               CAST(timestamp AS DATE) AS day,
               CASE WHEN score_type = 'float_scale'
                    THEN lower(score_value) = 'true' OR TRY_CAST(score_value AS DOUBLE) >= 0.5
                    ELSE lower(score_value) = 'true' END AS success
        FROM ScoreEntries
        WHERE timestamp >= ?),
      p AS (
        SELECT id,
               coalesce(prompt_target_identifier ->> 'name', prompt_target_identifier ->> '__type__', 'unknown') AS generator
        FROM PromptMemoryEntries)
      SELECT s.scorer, p.generator, s.day, count(*) AS scores, count(*) FILTER (WHERE s.success) AS successes
      FROM s JOIN p ON p.id = s.piece_id
      GROUP BY ALL
      ORDER BY day, scorer, generator""";

  private MemoryQueries() {}
}
