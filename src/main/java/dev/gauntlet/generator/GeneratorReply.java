package dev.gauntlet.generator;

import io.vertx.core.json.JsonArray;

/**
 * What a generator answered: the text (empty when it failed), why it failed, the last HTTP
 * status (0 when none), the time from first attempt to answer, and how many attempts it took.
 * {@code toolCalls} are the tools the model called ({@link ToolCalls}: name and arguments each),
 * null when it called none.
 */
public record GeneratorReply(String text, ReplyError error, int status, long latencyMs, int attempts, String detail,
                             JsonArray toolCalls) {

  public GeneratorReply(String text, ReplyError error, int status, long latencyMs, int attempts, String detail) {
    this(text, error, status, latencyMs, attempts, detail, null);
  }

  public static GeneratorReply ok(String text, int status, long latencyMs, int attempts) {
    return new GeneratorReply(text, ReplyError.NONE, status, latencyMs, attempts, null);
  }

  public static GeneratorReply failed(ReplyError error, int status, long latencyMs, int attempts, String detail) {
    return new GeneratorReply("", error, status, latencyMs, attempts, detail);
  }

  /** This reply with the tool calls the model made (none: null). */
  public GeneratorReply withToolCalls(JsonArray calls) {
    return new GeneratorReply(text, error, status, latencyMs, attempts, detail, calls == null || calls.isEmpty() ? null : calls);
  }

  public boolean ok() {
    return error == ReplyError.NONE;
  }
}
