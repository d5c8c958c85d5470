package dev.gauntlet.memory;

import dev.gauntlet.review.HumanVerdicts;

/** The SQL behind two executions compared ({@link DashboardComparison}), named for what each statement answers. */
final class ComparisonQueries {

  /** Two executions' figures, whole and per scorer. */
  static final String SUMMARY = """
      SELECT GROUPING(scorer) AS g_scorer, execution_id, scorer, sum(prompts) AS prompts, sum(responses) AS responses,
             sum(scores) AS scores, sum(successes) AS successes, /*OUTCOME_SUMS*/
      FROM dashboard_rollup WHERE execution_id IN (?, ?)
      GROUP BY GROUPING SETS ((execution_id), (execution_id, scorer))""".replace("/*OUTCOME_SUMS*/", DashboardQueries.OUTCOME_SUMS);

  /** The group a result falls in when its prompt has no harm category. */
  static final String UNCATEGORIZED = "uncategorized";
  /** The converter chain of a prompt sent as written. */
  static final String NO_CONVERTERS = "no converters";

  /** A result's outcome in {@code matrix_rows m}, a person's verdict ({@code hv}) winning. */
  private static final String FINAL = HumanVerdicts.override("hv", "m.auto");

  /**
   * Two executions' results per outcome (a person's verdict winning), per harm category of their
   * prompt and per converter chain of their prompt, summed from the heat map's pre-counted groups
   * ({@code matrix_heat}, {@link MatrixHeatmap#HEAT_WITH_REVIEWS}), which count {@code matrix_rows}.
   * A result's prompt is the piece it answers; the prompt's index in its execution (its metadata)
   * found its harm categories among the prompts the execution froze at launch (memory migration 9);
   * a prompt with several categories counts in each, one with none (an objective, an execution
   * from before) under {@link #UNCATEGORIZED}. The chain is the converters' names in order
   * ({@code converter_identifiers}), joined by " → ".
   */
  static final String GROUPS = """
      WITH res AS (SELECT execution_id, categories, chain, o, n FROM (/*HEAT*/) WHERE execution_id IN (?, ?))
      SELECT 'harm_category' AS kind, grp, execution_id, /*COUNTS*/
      FROM (SELECT execution_id, o, n, unnest(categories) AS grp FROM res) GROUP BY ALL
      UNION ALL
      SELECT 'converter_chain' AS kind, chain AS grp, execution_id, /*COUNTS*/ FROM res GROUP BY ALL"""
      .replace("/*COUNTS*/", MatrixHeatmap.HEAT_COUNTS).replace("/*HEAT*/", MatrixHeatmap.HEAT_WITH_REVIEWS);

  /** {@link #GROUPS} for a memory with no review, where no person's verdict can move a result. */
  static final String GROUPS_UNREVIEWED = GROUPS.replace(MatrixHeatmap.HEAT_WITH_REVIEWS, MatrixHeatmap.HEAT);

  /**
   * The prompts two executions both sent (the same original text: the same {@code prompt_key},
   * a 63-bit hash of it), each with its outcome in either (a person's verdict winning) and whether
   * a person decided it: those whose outcome differs first, then by text (its first
   * {@link MatrixIndex#SNIPPET_CHARS} characters). A prompt with several results (turns, scored
   * prompts) takes the first of attack_succeeded, held, unscored, error among them: the attack got
   * through if any of its answers let it. Results with no prompt piece are left out. Parameters:
   * A, B, A, B, A; A, B; A; the page's size. Each row names one of A's results ({@code piece_id}),
   * whose snippet it shows and whose prompt's full text is fetched for the rows shown only
   * ({@link #PROMPT_TEXTS}). One pass over both executions' rows, grouped by prompt, rather than a
   * join of two groupings: the texts are read for the prompts both sent only.
   */
  static final String PROMPTS = """
      WITH t AS (
        SELECT prompt_key,
               max(/*RANK*/) FILTER (WHERE execution_id = ?) AS a_rank, max(/*RANK*/) FILTER (WHERE execution_id = ?) AS b_rank,
               bool_or(human) FILTER (WHERE execution_id = ?) AS a_by_human, bool_or(human) FILTER (WHERE execution_id = ?) AS b_by_human,
               min(piece_id) FILTER (WHERE execution_id = ?) AS piece_id
        FROM (SELECT m.execution_id, m.prompt_key, m.piece_id, /*OUTCOME*/ AS o, /*DECIDED*/ AS human
              FROM matrix_rows m /*HUMAN_JOIN*/ WHERE m.execution_id IN (?, ?) AND m.prompt_length IS NOT NULL)
        GROUP BY prompt_key),
      j AS (SELECT * FROM t WHERE a_rank IS NOT NULL AND b_rank IS NOT NULL),
      n AS (SELECT count(*) AS shared, count(*) FILTER (WHERE a_rank = b_rank) AS same,
                   count(*) FILTER (WHERE a_rank = 4 AND b_rank <> 4) AS only_a,
                   count(*) FILTER (WHERE b_rank = 4 AND a_rank <> 4) AS only_b FROM j),
      p AS (SELECT j.*, m.prompt_text, m.prompt_length FROM j JOIN matrix_rows m ON m.piece_id = j.piece_id AND m.execution_id = ?)
      SELECT CAST(piece_id AS VARCHAR) AS piece_id, prompt_text, prompt_length, a_rank, a_by_human, b_rank, b_by_human, n.*
      FROM (SELECT * FROM p ORDER BY a_rank = b_rank, prompt_text, prompt_key LIMIT ?) CROSS JOIN n
      ORDER BY a_rank = b_rank, prompt_text, prompt_key""".replace("/*RANK*/", DashboardMatrix.RANK).replace("/*OUTCOME*/", FINAL)
      .replace("/*DECIDED*/", HumanVerdicts.decided("hv")).replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "m.piece_id"));

  /**
   * The first {@link #PROMPT_CHARS} characters of the prompts some results answer (the caller puts
   * the results' piece ids, each parsed as a UUID, at IDS; the rowids of their prompts bound the
   * scan of the pieces).
   */
  static final String PROMPT_TEXTS = """
      WITH r AS (SELECT piece_id, prompt_id, prompt_row FROM dashboard_results WHERE piece_id IN (/*IDS*/))
      SELECT CAST(r.piece_id AS VARCHAR) AS piece_id, left(p.original_value, /*CHARS*/) AS prompt
      FROM r JOIN PromptMemoryEntries p ON p.id = r.prompt_id
      WHERE p.rowid BETWEEN (SELECT min(prompt_row) FROM r) AND (SELECT max(prompt_row) FROM r)""";

  /** Characters of a compared prompt shown. */
  static final int PROMPT_CHARS = 1000;

  private ComparisonQueries() {}
}
