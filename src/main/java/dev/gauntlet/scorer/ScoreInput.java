package dev.gauntlet.scorer;

import io.vertx.core.json.JsonArray;

/**
 * What a scorer judges: the model's response, the prompt that produced it, the attack objective if
 * any, and the tools the model called with it ({@code generator/ToolCalls}: name and arguments
 * each; null when it called none).
 */
public record ScoreInput(String response, String prompt, String objective, JsonArray toolCalls) {

  public ScoreInput(String response, String prompt, String objective) {
    this(response, prompt, objective, null);
  }

  public static ScoreInput of(String response) {
    return new ScoreInput(response, null, null);
  }
}
