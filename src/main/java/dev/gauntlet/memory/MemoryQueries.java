package dev.gauntlet.memory;

/** The analytical SQL run over a user's memory, named for what each statement answers. */
final class MemoryQueries {

  /** Scores per scorer × generator × day since a moment, with attack successes. */
  static final String SCORE_SUMMARY = """
      SELECT coalesce(s.scorer_class_identifier ->> 'name', s.scorer_class_identifier ->> '__type__', 'unknown') AS scorer,
             coalesce(p.prompt_target_identifier ->> 'name', p.prompt_target_identifier ->> '__type__', 'unknown') AS generator,
             CAST(s.timestamp AS DATE) AS day,
             count(*) AS scores,
             count(*) FILTER (WHERE lower(s.score_value) = 'true'
                              OR (s.score_type = 'float_scale' AND TRY_CAST(s.score_value AS DOUBLE) >= 0.5)) AS successes
      FROM ScoreEntries s JOIN PromptMemoryEntries p ON p.id = s.prompt_request_response_id
      WHERE s.timestamp >= ?
      GROUP BY ALL
      ORDER BY day, scorer, generator""";

  private MemoryQueries() {}
}
