package dev.gauntlet.imports.promptfoo;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One promptfoo eval result (a test case run against one prompt and one provider) in the shape
 * both promptfoo's {@code -o results.json} and its {@code eval_results} table hold it. Text is the
 * tested model's and the test author's: hostile, kept as text.
 *
 * @param evalId        the eval it belongs to
 * @param id            promptfoo's result id, or null (results.json of older versions has none)
 * @param promptIdx     which of the eval's prompts
 * @param testIdx       which test case
 * @param providerId    the provider promptfoo called ({@code openai:gpt-4o-mini})
 * @param providerLabel its label, or null
 * @param turns         what was sent and answered, oldest first: the rendered prompt and the output, or
 *                      a multi-turn strategy's exchanges ({@code redteamHistory})
 * @param error         why there is no usable output ({@code error}, or a failure reason of ERROR), else null
 * @param success       promptfoo's verdict on the whole result: true when every assertion passed
 * @param score         promptfoo's score for the result, 0 to 1
 * @param assertions    each assertion's result, in order (none when the test had none)
 * @param pluginId      the red-team plugin that wrote the test, or null
 * @param strategyId    the red-team strategy that transformed it, or null
 * @param description   the test's description, or null
 * @param metadata      the rest of promptfoo's metadata for the result, as it was
 * @param where         where it was read, for messages: a JSON path or a table row
 */
public record PromptfooResult(String evalId, String id, int promptIdx, int testIdx, String providerId, String providerLabel,
                              List<Turn> turns, String error, boolean success, double score, List<Assertion> assertions,
                              String pluginId, String strategyId, String description, JsonObject metadata, String where) {

  /** One exchange: what was sent and what came back (null when nothing came back). */
  public record Turn(String prompt, String output) {}

  /**
   * One assertion's verdict. promptfoo's pass means the model behaved as the test asked: for a
   * red-team test the attack was held; a failed assertion is the attack succeeding.
   */
  public record Assertion(String type, boolean pass, double score, String reason, String metric) {
    public boolean attackSucceeded() {
      return !pass;
    }
  }

  /** The provider as shown: its label, else its id. */
  public String provider() {
    return providerLabel != null && !providerLabel.isBlank() ? providerLabel : providerId;
  }
}
