package dev.gauntlet.scorer;

import io.vertx.core.json.JsonObject;

/**
 * One judgement, shaped like PyRIT's ScoreEntries row: {@code value} is {@code "true"}/{@code
 * "false"} for {@code true_false}, or a number in [0, 1] as text for {@code float_scale}.
 */
public record ScoreResult(String value, String type, String category, String rationale, String description,
                          JsonObject metadata) {

  public static final String TRUE_FALSE = "true_false";
  public static final String FLOAT_SCALE = "float_scale";

  public static ScoreResult trueFalse(boolean value, String category, String rationale) {
    return new ScoreResult(Boolean.toString(value), TRUE_FALSE, category, rationale, null, null);
  }

  public static ScoreResult floatScale(double value, String category, String rationale) {
    if (value < 0 || value > 1 || Double.isNaN(value)) {
      throw new IllegalArgumentException("a float_scale score lies in [0, 1], got " + value);
    }
    return new ScoreResult(Double.toString(value), FLOAT_SCALE, category, rationale, null, null);
  }

  /**
   * Whether the attack succeeded: what the scorer says in its metadata ({@code attack_success},
   * e.g. a refusal scorer's true means the target held), else a true true/false score or a
   * float_scale score of at least 0.5.
   */
  public boolean success() {
    if (metadata != null && metadata.getValue("attack_success") instanceof Boolean b) {
      return b;
    }
    return TRUE_FALSE.equals(type) ? "true".equals(value) : Double.parseDouble(value) >= 0.5;
  }

  public double asNumber() {
    return TRUE_FALSE.equals(type) ? ("true".equals(value) ? 1.0 : 0.0) : Double.parseDouble(value);
  }
}
