package dev.gauntlet.memory;

import dev.gauntlet.review.HumanVerdicts;
import dev.gauntlet.verdict.Outcomes;

import java.util.List;

/**
 * The analytical SQL behind the dashboard, results, comparisons, exports and execution counts,
 * run over a user's memory and named for what each statement answers.
 */
final class DashboardQueries {

  /**
   * Whether a score marks the attack a success. A scorer may say so in its metadata
   * ({@code "attack_success"}: a refusal scorer's true means the target held); otherwise a true
   * true/false score, or a float_scale score of at least 0.5; NULL for an undetermined score (no
   * value), which is no verdict at all. The Java twin is {@code scorer/ScoreResult.success()}.
   * {@code %1$s} is the table alias.
   */
  private static final String SUCCESS = """
      CASE WHEN %1$sscore_value IS NULL THEN NULL ELSE coalesce(CASE WHEN %1$sscore_metadata LIKE '%%"attack_success"%%' AND json_valid(%1$sscore_metadata)
                    THEN TRY_CAST(json_extract_string(%1$sscore_metadata, '$.attack_success') AS BOOLEAN) END,
               CASE WHEN %1$sscore_type = 'float_scale'
                    THEN lower(%1$sscore_value) = 'true' OR TRY_CAST(%1$sscore_value AS DOUBLE) >= 0.5
                    ELSE lower(%1$sscore_value) = 'true' END) END""";

  static String success(String alias) {
    return SUCCESS.formatted(alias.isEmpty() ? "" : alias + ".");
  }

  /**
   * A dashboard result's outcome ({@code verdict/Outcomes.sql}) from its {@code dashboard_results}
   * row: the answer's error class, its usable verdicts and those saying the attack succeeded.
   */
  static String resultOutcome(String alias) {
    String a = alias.isEmpty() ? "" : alias + ".";
    return Outcomes.sql(a + "response_error", a + "verdicts", a + "successes");
  }

  /**
   * An {@code execution_results} row's outcome: the stored one, or for a row written before memory
   * migration 4 the same rule over what it kept ({@code status} failed is an error, else its
   * {@code attack_success}). Such a row cannot tell unscored from held: it counts as held, as it
   * was then.
   */
  static final String EXECUTION_RESULT_OUTCOME = "coalesce(outcome, " + Outcomes.sql(
      "CASE WHEN status = 'failed' THEN 'unknown' ELSE 'none' END", "1", "CASE WHEN attack_success THEN 1 ELSE 0 END") + ")";

  /** An {@code execution_results} row's reason: the stored one, or for an older row its error message. */
  static final String EXECUTION_RESULT_REASON = "CASE WHEN outcome IS NULL THEN CASE WHEN status = 'failed' THEN error END ELSE reason END";

  /**
   * The person's verdict on each conversation of an execution (parameter: the execution's id)
   * that decides its outcome: attack_succeeded if a current review of any of its pieces says so,
   * else held if one does. A result row is a conversation, so this is what wins over its outcome.
   */
  static final String CONVERSATION_VERDICTS = """
      (SELECT conversation_id, CASE WHEN bool_or(verdict = 'attack_succeeded') THEN 'attack_succeeded'
                                    WHEN bool_or(verdict = 'held') THEN 'held' END AS verdict
       FROM current_reviews WHERE execution_id = ? GROUP BY conversation_id)""";

  /** An {@code execution_results} row's outcome, the joined {@link #CONVERSATION_VERDICTS} {@code hv} winning. */
  static final String EXECUTION_RESULT_FINAL_OUTCOME = HumanVerdicts.override("hv", EXECUTION_RESULT_OUTCOME);

  /**
   * An execution's committed prompts: done, answered, failed, and per outcome, a person's verdict
   * winning; how many a person decided (parameters: the execution's id, twice).
   */
  static final String EXECUTION_COUNTS = """
      SELECT count(*), count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status <> 'succeeded'),
             count(*) FILTER (WHERE o = 'attack_succeeded'), count(*) FILTER (WHERE o = 'held'),
             count(*) FILTER (WHERE o = 'error'), count(*) FILTER (WHERE o = 'unscored'), count(*) FILTER (WHERE human)
      FROM (SELECT er.status, /*OUTCOME*/ AS o, /*DECIDED*/ AS human
            FROM execution_results er LEFT JOIN /*VERDICTS*/ hv ON hv.conversation_id = er.conversation_id
            WHERE er.execution_id = ?)"""
      .replace("/*OUTCOME*/", EXECUTION_RESULT_FINAL_OUTCOME).replace("/*DECIDED*/", HumanVerdicts.decided("hv"))
      .replace("/*VERDICTS*/", CONVERSATION_VERDICTS);

  /** The roles whose pieces may be answers. */
  static final String RESPONSE_ROLES = "('assistant', 'simulated_assistant')";

  /**
   * Whether piece {@code alias} ('' for none) is an answer of the target, the one rule every count
   * of answers uses: of an answering role and not marked {@link PieceBatch#NOT_AN_ANSWER} (a
   * fabricated turn, a priming reply, a chunk before the last, which the target's answer follows).
   * Each answer is a row of the dashboard's detailed results.
   */
  static String isAnswer(String alias) {
    String a = alias.isEmpty() ? "" : alias + ".";
    return "(" + a + "role IN " + RESPONSE_ROLES + " AND coalesce(" + a + "prompt_metadata ->> '" + PieceBatch.NOT_AN_ANSWER
        + "', '') <> 'true')";
  }

  /**
   * Marks the turns of an answering role that runs wrote before they marked them: fabricated turns,
   * skeleton key's priming reply, a chunked request's chunks before the last that were answered
   * (memory migration 10). Only pieces an execution wrote are touched.
   */
  static final String MARK_NOT_ANSWERS = """
      UPDATE PromptMemoryEntries SET prompt_metadata = json_merge_patch(prompt_metadata, '{"/*KEY*/": true}')
      WHERE role IN /*RESPONSES*/ AND (prompt_metadata ->> 'execution_id') IS NOT NULL
        AND coalesce(prompt_metadata ->> '/*KEY*/', '') <> 'true'
        AND ((prompt_metadata ->> 'fabricated') = 'true' OR (prompt_metadata ->> 'turn') = 'priming'
             OR (coalesce(response_error, 'none') = 'none'
                 AND TRY_CAST((prompt_metadata ->> 'chunk') AS INTEGER) < TRY_CAST((prompt_metadata ->> 'chunks') AS INTEGER)))"""
      .replace("/*KEY*/", PieceBatch.NOT_AN_ANSWER).replace("/*RESPONSES*/", RESPONSE_ROLES);

  /**
   * Every piece with its scores, for exports; an answer also with its outcome and the outcome's
   * reason ({@code verdict/Outcomes}). The caller adds AND-ed conditions at FILTER.
   */
  static final String EXPORT_ROWS = """
      SELECT * EXCLUDE (n, v, ok, why, attack_success, human_verdict, human_comment, is_answer),
             /*HUMAN_WINS*/ AS attack_success,
             CASE WHEN is_answer THEN /*OUTCOME*/ END AS outcome,
             CASE WHEN is_answer THEN /*REASON*/ END AS outcome_reason,
             /*DECIDED*/ AS outcome_by_human, human_verdict, human_comment
      FROM (
        SELECT p.conversation_id, p.sequence, p.role, p.timestamp, p.original_value, p.converted_value, p.response_error,
               p.prompt_target_identifier ->> 'name' AS generator, p.prompt_metadata ->> 'execution_id' AS execution_id,
               CAST(p.labels AS VARCHAR) AS labels, CAST(p.converter_identifiers AS VARCHAR) AS converters,
               (SELECT string_agg(coalesce(s.scorer_class_identifier ->> 'name', s.scorer_class_identifier ->> '__type__')
                                  || '=' || coalesce(s.score_value, 'undetermined'), '; ' ORDER BY s.timestamp)
                FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS scores,
               (SELECT bool_or(/*SUCCESS*/)
                FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS attack_success,
               (SELECT count(*) FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS n,
               (SELECT count(*) FILTER (WHERE s.score_value IS NOT NULL) FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS v,
               (SELECT count(*) FILTER (WHERE /*SUCCESS*/) FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS ok,
               (SELECT string_agg(s.score_rationale, '; ' ORDER BY s.timestamp) FILTER (WHERE s.score_value IS NULL)
                FROM ScoreEntries s WHERE s.prompt_request_response_id = p.id) AS why,
               hv.verdict AS human_verdict, hv.comment AS human_comment, /*IS_ANSWER*/ AS is_answer
        FROM PromptMemoryEntries p /*HUMAN_JOIN*/
        WHERE true /*FILTER*/)
      ORDER BY timestamp, conversation_id, sequence""".replace("/*SUCCESS*/", success("s")).replace("/*IS_ANSWER*/", isAnswer("p"))
      // a person's verdict wins (review/HumanVerdicts), and says so in outcome_reason and outcome_by_human
      .replace("/*OUTCOME*/", HumanVerdicts.overrideBy("human_verdict", Outcomes.sql("response_error", "v", "ok")))
      .replace("/*REASON*/", HumanVerdicts.reasonBy("human_verdict",
          Outcomes.reasonSql(Outcomes.sql("response_error", "v", "ok"), "response_error", "n", "why")))
      .replace("/*DECIDED*/", HumanVerdicts.decidedBy("human_verdict"))
      .replace("/*HUMAN_WINS*/", "(CASE WHEN " + HumanVerdicts.decidedBy("human_verdict") + " THEN human_verdict = '"
          + HumanVerdicts.ATTACK_SUCCEEDED + "' ELSE attack_success END)")
      .replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "p.id"));

  /** The user prompts of conversations in which an answer's outcome is attack_succeeded (a derived dataset). */
  static final String SUCCESSFUL_PROMPTS = """
      SELECT DISTINCT u.original_value FROM PromptMemoryEntries u
      WHERE u.role = 'user' AND u.conversation_id IN (
        SELECT p.conversation_id FROM PromptMemoryEntries p LEFT JOIN ScoreEntries s ON p.id = s.prompt_request_response_id /*HUMAN_JOIN*/
        WHERE (CAST(? AS VARCHAR) IS NULL OR (p.prompt_metadata ->> 'execution_id') = ?)
          AND (s.id IS NOT NULL OR hv.verdict IS NOT NULL)
        GROUP BY p.id, p.conversation_id
        HAVING /*OUTCOME*/ = 'attack_succeeded')
      LIMIT 200000""".replace("/*OUTCOME*/", HumanVerdicts.overrideBy("any_value(hv.verdict)", Outcomes.sql("any_value(p.response_error)",
      "count(s.id) FILTER (WHERE s.score_value IS NOT NULL)", "count(s.id) FILTER (WHERE " + success("s") + ")")))
      .replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "p.id"));



  /** A generator's or scorer's name out of its identifier column: its "name", else its "__type__", else 'unknown'. */
  static String nameOf(String column) {
    return "coalesce(nullif(" + column + " ->> 'name', ''), nullif(" + column + " ->> '__type__', ''), 'unknown')";
  }

  /**
   * A scorer as the dashboard groups and filters it: its name, then {@code @version} when its
   * identifier has one (a hash of its type and parameters), so two versions of one scorer are two
   * rows and "the new judge vs the old one" is one comparison.
   */
  static String scorerOf(String column) {
    return nameOf(column) + " || coalesce('@' || nullif(" + column + " ->> 'version', ''), '')";
  }

  /** A versioned scorer key's version ({@code @} and ScorerVersion's 16 hex digits, before a separator or the end). */
  static final String VERSION_SUFFIX = "'@[0-9a-f]{16}(\\x1f|$)'";

  /** The execution a piece belongs to ('' for none), from the metadata an execution writes on each piece. */
  static String executionOf(String alias) {
    return "coalesce(" + alias + "prompt_metadata ->> 'execution_id', '')";
  }

  /** A result's scorers as one text, each name between unit separators (U+001F), sorted. */
  private static final String SCORER_SET = "chr(31) || string_agg(DISTINCT scorer, chr(31) ORDER BY scorer) || chr(31)";

  /** Scores per scored piece: scorers, count, attack successes, where they lie (rowids), usable verdicts. The caller adds a WHERE. */
  private static final String SCORES_PER_PIECE = """
      SELECT prompt_request_response_id AS piece_id, /*SCORER_SET*/ AS scorers, count(*) AS n,
             count(*) FILTER (WHERE success) AS ok, min(row) AS row_from, max(row) AS row_to,
             count(*) FILTER (WHERE usable) AS v
      FROM (SELECT prompt_request_response_id, /*SCORER*/ AS scorer, /*SUCCESS*/ AS success, rowid AS row,
                   score_value IS NOT NULL AS usable
            FROM ScoreEntries /*WHERE*/)
      WHERE prompt_request_response_id IS NOT NULL
      GROUP BY 1""".replace("/*SCORER_SET*/", SCORER_SET).replace("/*SCORER*/", scorerOf("scorer_class_identifier"))
      .replace("/*SUCCESS*/", success(""));

  /** The piece before each piece of some conversations: an answer's prompt (the first stored, if several). */
  private static final String PREVIOUS = """
      SELECT conversation_id, sequence, arg_min(id, rowid) AS id, min(rowid) AS row FROM PromptMemoryEntries /*WHERE*/ GROUP BY ALL""";

  /** A result row's keys out of piece {@code p}. */
  private static final String KEYS = "p.conversation_id, p.timestamp, " + executionOf("p.") + ", "
      + nameOf("p.prompt_target_identifier") + ", coalesce(CAST(p.labels AS VARCHAR), '')";

  /**
   * The dashboard's results index from scratch: one row per answer ({@link #isAnswer}), and per
   * scored piece of another role (a turn of an answering role that is no answer is never a result,
   * nor a prompt), with the prompt it answers (the piece before it in its conversation; a scored prompt
   * is its own prompt), its scorers, and the rowids of its pieces and scores (which bound the scans
   * that fetch a page's texts). {@link DashboardIndex} adds new pieces and scores the same way.
   */
  static final String REBUILD_RESULTS = """
      INSERT INTO dashboard_results
      WITH sc AS (/*SCORES*/), prev AS (/*PREVIOUS*/), p AS (SELECT *, rowid AS row FROM PromptMemoryEntries)
      SELECT p.id, p.role, CASE WHEN /*ANSWER*/ THEN prev.id ELSE p.id END, /*KEYS*/,
             coalesce(sc.scorers, ''), coalesce(sc.n, 0), coalesce(sc.ok, 0),
             p.row, CASE WHEN /*ANSWER*/ THEN prev.row ELSE p.row END, sc.row_from, sc.row_to,
             coalesce(p.response_error, 'none'), coalesce(sc.v, 0)
      FROM p
      LEFT JOIN sc ON sc.piece_id = p.id
      LEFT JOIN prev ON prev.conversation_id = p.conversation_id AND prev.sequence = p.sequence - 1
      WHERE /*ANSWER*/ OR (sc.piece_id IS NOT NULL AND p.role NOT IN /*RESPONSES*/)"""
      .replace("/*SCORES*/", SCORES_PER_PIECE.replace("/*WHERE*/", "")).replace("/*PREVIOUS*/", PREVIOUS.replace("/*WHERE*/", ""))
      .replace("/*KEYS*/", KEYS).replace("/*ANSWER*/", isAnswer("p")).replace("/*RESPONSES*/", RESPONSE_ROLES);

  /** Prompts and answers per day × execution × generator × labels (scorer ''), of pieces {@code p}. */
  private static final String ROLLUP_PIECES = """
      SELECT CAST(timestamp AS DATE), /*EXECUTION*/, /*GENERATOR*/, coalesce(CAST(labels AS VARCHAR), ''), '',
             count(*) FILTER (WHERE role = 'user'), count(*) FILTER (WHERE /*ANSWER*/), 0, 0, 0, 0, 0, 0, 0
      FROM PromptMemoryEntries WHERE (role = 'user' OR /*ANSWER*/) /*AND*/ GROUP BY ALL"""
      .replace("/*EXECUTION*/", executionOf("")).replace("/*GENERATOR*/", nameOf("prompt_target_identifier"))
      .replace("/*ANSWER*/", isAnswer(""));

  /** Scores, attack successes and usable verdicts per day × the scored piece's keys × scorer, through the results index. */
  private static final String ROLLUP_SCORES = """
      SELECT CAST(s.timestamp AS DATE), r.execution_id, r.generator, r.labels, /*SCORER*/, 0, 0, count(*),
             count(*) FILTER (WHERE /*SUCCESS*/), count(*) FILTER (WHERE s.score_value IS NOT NULL), 0, 0, 0, 0
      FROM ScoreEntries s JOIN dashboard_results r ON r.piece_id = s.prompt_request_response_id /*WHERE*/ GROUP BY ALL"""
      .replace("/*SCORER*/", scorerOf("s.scorer_class_identifier")).replace("/*SUCCESS*/", success("s"));

  /**
   * Results per outcome per day × execution × generator × labels (scorer ''), from the results
   * index (the caller adds a WHERE). The SIGN mark is 1, or -1 to take back outcomes that new
   * scores are about to change.
   */
  private static final String ROLLUP_OUTCOMES = """
      SELECT CAST(timestamp AS DATE), execution_id, generator, labels, '', 0, 0, 0, 0, 0,
             /*SIGN*/ * count(*) FILTER (WHERE o = 'attack_succeeded'), /*SIGN*/ * count(*) FILTER (WHERE o = 'held'),
             /*SIGN*/ * count(*) FILTER (WHERE o = 'error'), /*SIGN*/ * count(*) FILTER (WHERE o = 'unscored')
      FROM (SELECT *, /*OUTCOME*/ AS o FROM dashboard_results /*WHERE*/) GROUP BY ALL""".replace("/*OUTCOME*/", resultOutcome(""));

  /**
   * The dashboard's rollup from scratch (after {@link #REBUILD_RESULTS}): prompts and answers per
   * day × execution × generator × labels (scorer ''), and scores with attack successes per the
   * same and scorer, days being the pieces' and the scores' own (UTC), and results per outcome
   * (scorer ''). Scores of pieces not stored are not counted.
   */
  static final String REBUILD_ROLLUP = "INSERT INTO dashboard_rollup " + ROLLUP_PIECES.replace("/*AND*/", "")
      + " UNION ALL " + ROLLUP_SCORES.replace("/*WHERE*/", "")
      + " UNION ALL " + ROLLUP_OUTCOMES.replace("/*SIGN*/", "1").replace("/*WHERE*/", "");

  /** The rowids after the last piece and the last score, and how many of each: where the next catch-up starts. */
  static final String ENDS = """
      SELECT (SELECT coalesce(max(rowid) + 1, 0) FROM PromptMemoryEntries), (SELECT coalesce(max(rowid) + 1, 0) FROM ScoreEntries),
             (SELECT count(*) FROM PromptMemoryEntries), (SELECT count(*) FROM ScoreEntries)""";

  static final String REBUILD_STATE = "INSERT INTO dashboard_state " + ENDS;

  /**
   * A catch-up over the pieces with rowids in [?, ?) and the scores in [?, ?), in order: the new
   * scores per piece; the outcomes of results about to gain scores are taken back from the rollup;
   * results already indexed gain their scores; new answers become results; scored pieces that are
   * not answers become results; both kinds of count rows; the outcomes of every result new or
   * changed. Parameters ({@link DashboardIndex}): scores' range, none, none, pieces' range, none,
   * pieces' range, scores' range, pieces' range, none.
   */
  static final List<String> CATCH_UP = List.of(
      "CREATE OR REPLACE TEMP TABLE dashboard_new_scores AS " + SCORES_PER_PIECE.replace("/*WHERE*/", "WHERE rowid >= ? AND rowid < ?"),
      "INSERT INTO dashboard_rollup " + ROLLUP_OUTCOMES.replace("/*SIGN*/", "-1")
          .replace("/*WHERE*/", "WHERE piece_id IN (SELECT piece_id FROM temp.dashboard_new_scores)"),
      """
      UPDATE dashboard_results r SET
        scorers = CASE WHEN r.scorers = '' THEN d.scorers ELSE chr(31) || array_to_string(list_sort(list_distinct(
                    list_filter(string_split(r.scorers || d.scorers, chr(31)), lambda x: x <> ''))), chr(31)) || chr(31) END,
        score_count = r.score_count + d.n, successes = r.successes + d.ok, verdicts = r.verdicts + d.v,
        score_rows_from = least(coalesce(r.score_rows_from, d.row_from), d.row_from),
        score_rows_to = greatest(coalesce(r.score_rows_to, d.row_to), d.row_to)
      FROM temp.dashboard_new_scores d WHERE r.piece_id = d.piece_id""",
      """
      INSERT INTO dashboard_results
      WITH p AS (SELECT *, rowid AS row FROM PromptMemoryEntries WHERE rowid >= ? AND rowid < ? AND /*ANSWER*/),
           prev AS (/*PREVIOUS*/)
      SELECT p.id, p.role, prev.id, /*KEYS*/, coalesce(d.scorers, ''), coalesce(d.n, 0), coalesce(d.ok, 0),
             p.row, prev.row, d.row_from, d.row_to, coalesce(p.response_error, 'none'), coalesce(d.v, 0)
      FROM p
      LEFT JOIN temp.dashboard_new_scores d ON d.piece_id = p.id
      LEFT JOIN prev ON prev.conversation_id = p.conversation_id AND prev.sequence = p.sequence - 1"""
          .replace("/*PREVIOUS*/", PREVIOUS.replace("/*WHERE*/", "WHERE conversation_id IN (SELECT conversation_id FROM p)"))
          .replace("/*KEYS*/", KEYS).replace("/*ANSWER*/", isAnswer("")),
      """
      INSERT INTO dashboard_results
      SELECT p.id, p.role, p.id, /*KEYS*/, d.scorers, d.n, d.ok, p.rowid, p.rowid, d.row_from, d.row_to,
             coalesce(p.response_error, 'none'), d.v
      FROM PromptMemoryEntries p JOIN temp.dashboard_new_scores d ON d.piece_id = p.id
      -- not "not an answer": a turn of an answering role that is no answer is no prompt either
      WHERE p.role NOT IN /*RESPONSES*/ AND NOT EXISTS (SELECT 1 FROM dashboard_results r WHERE r.piece_id = p.id)"""
          .replace("/*KEYS*/", KEYS).replace("/*RESPONSES*/", RESPONSE_ROLES),
      "INSERT INTO dashboard_rollup " + ROLLUP_PIECES.replace("/*AND*/", "AND rowid >= ? AND rowid < ?"),
      "INSERT INTO dashboard_rollup " + ROLLUP_SCORES.replace("/*WHERE*/", "WHERE s.rowid >= ? AND s.rowid < ?"),
      "INSERT INTO dashboard_rollup " + ROLLUP_OUTCOMES.replace("/*SIGN*/", "1").replace("/*WHERE*/",
          "WHERE piece_id IN (SELECT piece_id FROM temp.dashboard_new_scores) OR (piece_row >= ? AND piece_row < ?)"),
      "DROP TABLE temp.dashboard_new_scores");

  /** The rollup's usable verdicts and results per outcome, summed (for figures). */
  static final String OUTCOME_SUMS = "sum(verdicts) AS verdicts, sum(attack_succeeded) AS attack_succeeded, "
      + "sum(held) AS held, sum(errors) AS errors, sum(unscored) AS unscored";

  /** The rollup with one row per key: appends add rows, this sums them (a compaction, and tests). */
  static final String ROLLUP_BY_KEY = """
      SELECT day, execution_id, generator, labels, scorer, sum(prompts) AS prompts, sum(responses) AS responses,
             sum(scores) AS scores, sum(successes) AS successes, sum(verdicts) AS verdicts,
             sum(attack_succeeded) AS attack_succeeded, sum(held) AS held, sum(errors) AS errors, sum(unscored) AS unscored
      FROM dashboard_rollup GROUP BY ALL""";

  /**
   * The dashboard's figures under a filter, in one statement: the whole, per day, per scorer,
   * per generator, per execution and per scorer × generator × day. The caller adds AND-ed
   * conditions at FILTER; a scorer filter keeps the prompt rows (scorer '') so prompts and
   * executions still count. Executions are counted as the rows of their grouping set, not with
   * count(DISTINCT), which costs grouping sets several times more.
   */
  static final String ROLLUP_SUMMARY = """
      SELECT GROUPING(day) AS g_day, GROUPING(scorer) AS g_scorer, GROUPING(generator) AS g_generator,
             GROUPING(execution_id) AS g_execution, day, scorer, generator, execution_id, sum(prompts) AS prompts,
             sum(responses) AS responses, sum(scores) AS scores, sum(successes) AS successes, /*OUTCOME_SUMS*/
      FROM dashboard_rollup
      WHERE day >= ? /*FILTER*/
      GROUP BY GROUPING SETS ((), (day), (scorer), (generator), (execution_id), (day, scorer, generator))"""
      .replace("/*OUTCOME_SUMS*/", OUTCOME_SUMS);

  /** What a filter can be set to: every scorer, generator, execution and label set in the rollup. */
  static final String ROLLUP_OPTIONS = """
      SELECT GROUPING(scorer) AS g_scorer, GROUPING(generator) AS g_generator, GROUPING(execution_id) AS g_execution,
             scorer, generator, execution_id, labels
      FROM dashboard_rollup
      GROUP BY GROUPING SETS ((scorer), (generator), (execution_id), (labels))""";

  /**
   * One page of results (the caller adds FILTER, CURSOR and ORDER): the narrow columns only, as
   * a wide one (labels, conversation) costs its decompression over every row the sort sees; the
   * page's texts bring those.
   */
  static final String RESULTS_PAGE = """
      SELECT piece_id, role, prompt_id, timestamp, execution_id, generator, successes, score_count,
             piece_row, prompt_row, score_rows_from, score_rows_to, /*OUTCOME*/ AS outcome /*RANK*/
      FROM /*SOURCE*/
      WHERE timestamp >= ? /*FILTER*/ /*CURSOR*/
      ORDER BY /*ORDER*/
      LIMIT ?""".replace("/*OUTCOME*/", resultOutcome(""));

  /**
   * How many results match, and how many of them are shown before the cursor (the caller adds
   * BEFORE and FILTER). A statement of its own: folded into the page's as a CTE it cost more than both.
   */
  static final String RESULTS_COUNT = """
      SELECT count(*), count(*) FILTER (WHERE /*BEFORE*/) FROM /*SOURCE*/ WHERE timestamp >= ? /*FILTER*/""";

  /** Where results are read from when nothing is sorted by their outcome. */
  static final String RESULTS = "dashboard_results";

  /**
   * The results with {@code success_rank}, what "sort by attack successes" orders by: the number
   * of scores saying the attack succeeded where the result's outcome, a person's verdict winning,
   * is attack_succeeded (at least 1: a person may say so against every score), else 0. So a
   * result a person says held sorts with the held ones, whatever its scorers said.
   */
  static final String RESULTS_RANKED = """
      (SELECT r.*, CASE WHEN /*OUTCOME*/ = 'attack_succeeded' THEN greatest(r.successes, 1) ELSE 0 END AS success_rank
       FROM dashboard_results r /*HUMAN_JOIN*/)""".replace("/*OUTCOME*/", HumanVerdicts.override("hv", resultOutcome("r")))
      .replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "r.piece_id"));

  /** The prompt and answer texts of a page's rows, cut to what a page shows; the rowids bound the scan. */
  static final String RESULT_TEXTS = """
      SELECT id, role, conversation_id, CAST(labels AS VARCHAR) AS labels, left(original_value, 2000) AS original_value,
             left(converted_value, 2000) AS converted_value, length(original_value) > 2000 OR length(converted_value) > 2000 AS cut,
             response_error
      FROM PromptMemoryEntries WHERE rowid BETWEEN ? AND ? AND id = ANY(?)""";

  /** The scores of a page's rows; the rowids bound the scan. */
  static final String RESULT_SCORES = """
      SELECT prompt_request_response_id AS piece_id, /*SCORER*/ AS scorer, score_value, score_type,
             coalesce(/*SUCCESS*/, false) AS success, score_value IS NULL AS undetermined, left(score_rationale, 300) AS rationale
      FROM ScoreEntries WHERE rowid BETWEEN ? AND ? AND prompt_request_response_id = ANY(?) ORDER BY timestamp, id"""
      .replace("/*SCORER*/", scorerOf("scorer_class_identifier")).replace("/*SUCCESS*/", success(""));

  /** Every result under a filter, with full texts and scores, for an export (the caller adds FILTER). */
  static final String RESULTS_EXPORT = """
      SELECT r.timestamp, r.execution_id, r.generator, r.labels, r.conversation_id, pr.original_value, pr.converted_value,
             CASE WHEN r.role IN /*RESPONSES*/ THEN p.converted_value END AS response, p.response_error,
             (SELECT string_agg(/*SCORER*/ || '=' || coalesce(s.score_value, 'undetermined'), '; ' ORDER BY s.timestamp, s.id)
              FROM ScoreEntries s WHERE s.prompt_request_response_id = r.piece_id) AS scores,
             r.successes, /*OUTCOME*/ = 'attack_succeeded' AS attack_success, /*OUTCOME*/ AS outcome,
             /*REASON*/ AS outcome_reason, /*DECIDED*/ AS outcome_by_human, hv.verdict AS human_verdict, hv.comment AS human_comment
      FROM dashboard_results r
      JOIN PromptMemoryEntries p ON p.id = r.piece_id
      LEFT JOIN PromptMemoryEntries pr ON pr.id = r.prompt_id /*HUMAN_JOIN*/
      WHERE r.timestamp >= ? /*FILTER*/
      ORDER BY r.timestamp DESC, r.piece_id DESC""".replace("/*RESPONSES*/", RESPONSE_ROLES)
      .replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "r.piece_id"))
      .replace("/*REASON*/", HumanVerdicts.reasonBy("hv.verdict", Outcomes.reasonSql(resultOutcome("r"), "r.response_error", "r.score_count",
          "(SELECT string_agg(s.score_rationale, '; ' ORDER BY s.timestamp, s.id) FROM ScoreEntries s "
              + "WHERE s.prompt_request_response_id = r.piece_id AND s.score_value IS NULL)")))
      .replace("/*OUTCOME*/", HumanVerdicts.override("hv", resultOutcome("r"))).replace("/*DECIDED*/", HumanVerdicts.decided("hv"))
      .replace("/*SCORER*/", scorerOf("s.scorer_class_identifier"));

  /**
   * Answers under a filter by outcome, the human verdict winning (the caller adds FILTER): each
   * result's outcome is {@link #resultOutcome} (the one rule, {@code verdict/Outcomes.sql}) unless
   * its current review decides ({@link HumanVerdicts#override}); how many a person decided, and
   * how many of those differ from the automatic outcome.
   */
  static final String RESULTS_BY_OUTCOME = """
      SELECT count(*) AS results,
             count(*) FILTER (WHERE outcome = 'attack_succeeded') AS attack_succeeded,
             count(*) FILTER (WHERE outcome = 'held') AS held,
             count(*) FILTER (WHERE outcome = 'error') AS errors,
             count(*) FILTER (WHERE outcome = 'unscored') AS unscored,
             count(*) FILTER (WHERE human) AS human_verdicts,
             count(*) FILTER (WHERE human AND outcome <> automatic) AS human_overrides
      FROM (SELECT /*OVERRIDE*/ AS outcome, /*AUTOMATIC*/ AS automatic, /*HUMAN*/ AS human
            FROM dashboard_results r /*HUMAN_JOIN*/
            WHERE r.timestamp >= ? /*FILTER*/)"""
      .replace("/*OVERRIDE*/", HumanVerdicts.override("hv", resultOutcome("r")))
      .replace("/*AUTOMATIC*/", resultOutcome("r")).replace("/*HUMAN*/", HumanVerdicts.decided("hv"))
      .replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "r.piece_id")).replace("/*RESPONSES*/", RESPONSE_ROLES);

  /**
   * The results under a filter whose outcome a person decided (the caller adds FILTER): the
   * rollup counts automatic outcomes ({@link #resultOutcome}), and the summary moves each of these
   * from its automatic outcome to the person's, by day, generator and execution, as the rollup keys
   * them. Reviews are few, so this costs a scan of the reviews, not of the results.
   */
  static final String HUMAN_CHANGES = """
      SELECT CAST(r.timestamp AS DATE) AS day, r.generator, r.execution_id, /*AUTOMATIC*/ AS automatic, hv.verdict AS human
      FROM /*REVIEWS*/ hv JOIN dashboard_results r ON r.piece_id = hv.piece_id
      WHERE /*DECIDED*/ AND r.timestamp >= ? /*FILTER*/"""
      .replace("/*REVIEWS*/", HumanVerdicts.CURRENT).replace("/*AUTOMATIC*/", resultOutcome("r")).replace("/*DECIDED*/", HumanVerdicts.decided("hv"));

  private DashboardQueries() {}
}
