package dev.gauntlet.memory;

import dev.gauntlet.review.HumanVerdicts;

import static dev.gauntlet.memory.DashboardQueries.resultOutcome;

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

  /**
   * Two executions' results per outcome (a person's verdict winning), per harm category of their
   * prompt and per converter chain of their prompt. A result's prompt is the piece it answers; the
   * prompt's index in its execution (its metadata) finds its harm categories among the prompts the
   * execution froze at launch (memory migration 7); a prompt with several categories counts in
   * each, one with none (an objective, an execution from before) under {@link #UNCATEGORIZED}. The
   * chain is the converters' names in order ({@code converter_identifiers}), joined by " → ".
   */
  static final String GROUPS = """
      WITH res AS (
        SELECT r.execution_id, /*OUTCOME*/ AS o, p.converter_identifiers AS conv,
               TRY_CAST(p.prompt_metadata ->> 'prompt_index' AS INTEGER) AS idx
        FROM dashboard_results r LEFT JOIN PromptMemoryEntries p ON p.id = r.prompt_id /*HUMAN_JOIN*/
        WHERE r.execution_id IN (?, ?)),
      tagged AS (
        SELECT res.execution_id, res.o,
               CASE WHEN coalesce(json_array_length(ep.harm_categories), 0) > 0
                    THEN json_extract_string(ep.harm_categories, '$[*]') ELSE ['/*UNCATEGORIZED*/'] END AS categories,
               coalesce(nullif(array_to_string(list_transform(json_extract(res.conv, '$[*]'),
                   lambda x: coalesce(nullif(x ->> 'name', ''), x ->> '__type__', '?')), ' → '), ''), '/*NO_CONVERTERS*/') AS chain
        FROM res LEFT JOIN execution_prompts ep ON ep.execution_id = res.execution_id AND ep.prompt_index = res.idx),
      by_category AS (SELECT execution_id, o, unnest(categories) AS grp FROM tagged)
      SELECT 'harm_category' AS kind, grp, execution_id, /*COUNTS*/ FROM by_category GROUP BY ALL
      UNION ALL
      SELECT 'converter_chain' AS kind, chain AS grp, execution_id, /*COUNTS*/ FROM tagged GROUP BY ALL"""
      .replace("/*COUNTS*/", "count(*) FILTER (WHERE o = 'attack_succeeded') AS attack_succeeded, count(*) FILTER (WHERE o = 'held') AS held, "
          + "count(*) FILTER (WHERE o = 'error') AS errors, count(*) FILTER (WHERE o = 'unscored') AS unscored")
      .replace("/*UNCATEGORIZED*/", UNCATEGORIZED).replace("/*NO_CONVERTERS*/", NO_CONVERTERS)
      .replace("/*OUTCOME*/", HumanVerdicts.override("hv", resultOutcome("r")))
      .replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "r.piece_id"));

  /**
   * The prompts two executions both sent (same original text), each with its outcome in either (a
   * person's verdict winning) and whether a person decided it: those whose outcome differs first.
   * A prompt with several results (turns, scored prompts) takes the first of attack_succeeded,
   * held, unscored, error among them: the attack got through if any of its answers let it.
   */
  static final String PROMPTS = """
      WITH t AS (
        SELECT r.execution_id, p.original_value AS prompt,
               CASE max(CASE r.o WHEN 'attack_succeeded' THEN 4 WHEN 'held' THEN 3 WHEN 'unscored' THEN 2 ELSE 1 END)
                 WHEN 4 THEN 'attack_succeeded' WHEN 3 THEN 'held' WHEN 2 THEN 'unscored' ELSE 'error' END AS outcome,
               bool_or(r.human) AS by_human
        FROM (SELECT r.execution_id, r.prompt_id, /*OUTCOME*/ AS o, /*DECIDED*/ AS human
              FROM dashboard_results r /*HUMAN_JOIN*/ WHERE r.execution_id IN (?, ?)) r
        JOIN PromptMemoryEntries p ON p.id = r.prompt_id
        GROUP BY ALL),
      j AS (
        SELECT a.prompt, a.outcome AS a_outcome, a.by_human AS a_by_human, b.outcome AS b_outcome, b.by_human AS b_by_human
        FROM t a JOIN t b ON a.prompt = b.prompt AND a.execution_id = ? AND b.execution_id = ?)
      SELECT left(prompt, 1000) AS prompt, a_outcome, a_by_human, b_outcome, b_by_human, count(*) OVER () AS shared,
             count(*) FILTER (WHERE a_outcome = b_outcome) OVER () AS same,
             count(*) FILTER (WHERE a_outcome = 'attack_succeeded' AND b_outcome <> 'attack_succeeded') OVER () AS only_a,
             count(*) FILTER (WHERE b_outcome = 'attack_succeeded' AND a_outcome <> 'attack_succeeded') OVER () AS only_b
      FROM j
      ORDER BY a_outcome = b_outcome, prompt
      LIMIT ?""".replace("/*OUTCOME*/", HumanVerdicts.override("hv", resultOutcome("r")))
      .replace("/*DECIDED*/", HumanVerdicts.decided("hv")).replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "r.piece_id"));

  private ComparisonQueries() {}
}
