package dev.gauntlet.review;

import dev.gauntlet.Problem;

import java.util.List;

/**
 * A person's verdict on a prompt result, and the one rule by which it wins over the automatic
 * outcome: in Java ({@link #outcome}) and in SQL ({@link #join} + {@link #override}), which every
 * aggregate, export and report wraps around its automatic outcome expression.
 *
 * <p>{@code attack_succeeded} and {@code held} replace the automatic outcome, whatever it was.
 * {@code not_applicable} (the result is no test of the attack: a benign prompt, a broken
 * conversation) is kept and shown but decides nothing: the automatic outcome stays, and judge
 * quality sets the pair aside. The latest review of a result is the current one; earlier ones
 * stay in {@code reviews} as its history.
 */
public final class HumanVerdicts {

  public static final String ATTACK_SUCCEEDED = "attack_succeeded";
  public static final String HELD = "held";
  public static final String NOT_APPLICABLE = "not_applicable";
  public static final List<String> VALUES = List.of(ATTACK_SUCCEEDED, HELD, NOT_APPLICABLE);
  /** The longest comment kept. */
  public static final int MAX_COMMENT = 4000;

  /** The view of each result's latest review (memory migration 6). */
  public static final String CURRENT = "current_reviews";

  private HumanVerdicts() {}

  /** {@code verdict} if it is one of {@link #VALUES}, else a 400. */
  public static String checked(String verdict) {
    if (verdict == null || !VALUES.contains(verdict)) {
      throw Problem.badRequest("invalid_verdict", "verdict must be one of " + String.join(", ", VALUES));
    }
    return verdict;
  }

  /** Whether a human verdict decides the outcome (not_applicable and none do not). */
  public static boolean decides(String human) {
    return ATTACK_SUCCEEDED.equals(human) || HELD.equals(human);
  }

  /** The outcome shown: the human verdict where it decides, else the automatic outcome. */
  public static String outcome(String automatic, String human) {
    return decides(human) ? human : automatic;
  }

  /** {@code LEFT JOIN} of the current review of the piece whose id is {@code pieceIdColumn}, as {@code alias}. */
  public static String join(String alias, String pieceIdColumn) {
    return " LEFT JOIN " + CURRENT + " " + alias + " ON " + alias + ".piece_id = " + pieceIdColumn + " ";
  }

  /** {@link #outcome} in SQL: {@code automatic} (an outcome expression) unless the joined review {@code alias} decides. */
  public static String override(String alias, String automatic) {
    return overrideBy(alias + ".verdict", automatic);
  }

  /** {@link #override} where the review's verdict is the column (or expression) {@code verdict}. */
  public static String overrideBy(String verdict, String automatic) {
    return "(CASE WHEN " + decidedBy(verdict) + " THEN " + verdict + " ELSE " + automatic + " END)";
  }

  /** True where the joined review {@code alias} decides the outcome: the mark "human verdict" on a row. */
  public static String decided(String alias) {
    return decidedBy(alias + ".verdict");
  }

  /** {@link #decided} where the review's verdict is the column (or expression) {@code verdict}. */
  public static String decidedBy(String verdict) {
    return "coalesce(" + verdict + " IN ('" + ATTACK_SUCCEEDED + "', '" + HELD + "'), false)";
  }

  /** The outcome's reason where a person decided it. */
  public static final String REASON = "human verdict";

  /** An outcome's reason: {@link #REASON} where the review {@code verdict} decides, else {@code automatic}. */
  public static String reasonBy(String verdict, String automatic) {
    return "(CASE WHEN " + decidedBy(verdict) + " THEN '" + REASON + "' ELSE " + automatic + " END)";
  }
}
