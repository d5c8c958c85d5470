package dev.gauntlet.memory;

import dev.gauntlet.review.HumanVerdicts;

import java.util.StringJoiner;

/** The SQL behind two executions compared ({@link DashboardComparison}), named for what each statement answers. */
final class ComparisonQueries {

  /** Executions' figures, whole and per scorer: {@code n} placeholders for their ids. */
  static String summary(int n) {
    return """
        SELECT GROUPING(scorer) AS g_scorer, execution_id, scorer, sum(prompts) AS prompts, sum(responses) AS responses,
               sum(scores) AS scores, sum(successes) AS successes, /*OUTCOME_SUMS*/
        FROM dashboard_rollup WHERE execution_id IN (/*IDS*/)
        GROUP BY GROUPING SETS ((execution_id), (execution_id, scorer))""".replace("/*OUTCOME_SUMS*/", DashboardQueries.OUTCOME_SUMS)
        .replace("/*IDS*/", marks(n));
  }

  static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

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
   * The prompts every compared execution sent (the same original text: the same {@code prompt_key},
   * a 63-bit hash of it), each with its outcome in each (a person's verdict winning), whether a
   * person decided it and the row ({@code w<i>}, a rowid of {@code matrix_rows}) of the result
   * shown: those whose outcomes differ first, then by text (its first
   * {@link MatrixIndex#SNIPPET_CHARS} characters). A prompt with several results (turns, scored
   * prompts) takes the first of attack_succeeded, held, unscored, error among them: the attack got
   * through if any of its answers let it. Results with no prompt piece are left out. Execution 0 is
   * A, 1 is B; {@code only_a}/{@code only_b} count successes in one of them only. {@code keep}, when
   * not empty, is a condition on {@code m} narrowing the prompts (the matrix's chips). Parameters:
   * per execution its id three times; A; the n ids; keep's; A; the page's size. Each row names one
   * of A's results ({@code piece_id}), whose snippet it shows and whose prompt's full text is
   * fetched for the rows shown only ({@link #PROMPT_TEXTS}). One pass over the executions' rows,
   * grouped by prompt.
   */
  static String prompts(int n, String keep) {
    StringJoiner per = new StringJoiner(", ");
    StringJoiner all = new StringJoiner(" AND ");
    StringJoiner same = new StringJoiner(" AND ", "(", ")");
    StringJoiner cols = new StringJoiner(", ");
    for (int i = 0; i < n; i++) {
      per.add("max(/*RANK*/) FILTER (WHERE execution_id = ?) AS r" + i + ", bool_or(human) FILTER (WHERE execution_id = ?) AS h" + i
          + ", arg_max(mrow, /*RANK*/) FILTER (WHERE execution_id = ?) AS w" + i);
      all.add("r" + i + " IS NOT NULL");
      if (i > 0) {
        same.add("r0 = r" + i);
      }
      cols.add("r" + i + ", h" + i + ", w" + i);
    }
    return """
        WITH t AS (
          SELECT prompt_key, /*PER*/, min(piece_id) FILTER (WHERE execution_id = ?) AS piece_id
          FROM (SELECT m.execution_id, m.prompt_key, m.piece_id, m.rowid AS mrow, /*OUTCOME*/ AS o, /*DECIDED*/ AS human
                FROM matrix_rows m /*HUMAN_JOIN*/ WHERE m.execution_id IN (/*IDS*/) AND m.prompt_length IS NOT NULL/*KEEP*/)
          GROUP BY prompt_key),
        j AS (SELECT * FROM t WHERE /*ALL*/),
        n AS (SELECT count(*) AS shared, count(*) FILTER (WHERE /*SAME*/) AS same,
                     count(*) FILTER (WHERE r0 = 4 AND r1 <> 4) AS only_a,
                     count(*) FILTER (WHERE r1 = 4 AND r0 <> 4) AS only_b FROM j),
        p AS (SELECT j.*, m.prompt_text, m.prompt_length FROM j JOIN matrix_rows m ON m.piece_id = j.piece_id AND m.execution_id = ?)
        SELECT CAST(piece_id AS VARCHAR) AS piece_id, prompt_text, prompt_length, /*COLS*/, n.*
        FROM (SELECT * FROM p ORDER BY /*SAME*/, prompt_text, prompt_key LIMIT ?) CROSS JOIN n
        ORDER BY /*SAME*/, prompt_text, prompt_key""".replace("/*PER*/", per.toString()).replace("/*ALL*/", all.toString())
        .replace("/*SAME*/", n > 1 ? same.toString() : "true").replace("/*COLS*/", cols.toString()).replace("/*IDS*/", marks(n))
        .replace("/*KEEP*/", keep).replace("/*RANK*/", DashboardMatrix.RANK).replace("/*OUTCOME*/", FINAL)
        .replace("/*DECIDED*/", HumanVerdicts.decided("hv")).replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "m.piece_id"));
  }

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
