package dev.gauntlet.scorer;

/** What a scorer judges: the model's response, the prompt that produced it, and the attack objective if any. */
public record ScoreInput(String response, String prompt, String objective) {

  public static ScoreInput of(String response) {
    return new ScoreInput(response, null, null);
  }
}
