package dev.gauntlet.generator;

/**
 * What a generator answered: the text (empty when it failed), why it failed, the last HTTP
 * status (0 when none), the time from first attempt to answer, and how many attempts it took.
 */
public record GeneratorReply(String text, ReplyError error, int status, long latencyMs, int attempts, String detail) {

  public static GeneratorReply ok(String text, int status, long latencyMs, int attempts) {
    return new GeneratorReply(text, ReplyError.NONE, status, latencyMs, attempts, null);
  }

  public static GeneratorReply failed(ReplyError error, int status, long latencyMs, int attempts, String detail) {
    return new GeneratorReply("", error, status, latencyMs, attempts, detail);
  }

  public boolean ok() {
    return error == ReplyError.NONE;
  }
}
