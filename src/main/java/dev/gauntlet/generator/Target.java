package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One kind of model, reached once per call: no retries, limits or overall timeout, which
 * {@link ResilientGenerator} adds around every target alike. The returned future always
 * succeeds with an {@link Outcome}.
 */
interface Target {

  /**
   * One attempt. {@code abandoned} completes when the caller has stopped waiting (the attempt
   * timed out or the generator closed): release what the attempt holds as soon as convenient.
   */
  Future<Outcome> attempt(List<ChatMessage> messages, long timeoutMs, Future<Void> abandoned);

  /**
   * One attempt offering the model {@code tools} (OpenAI function definitions; null: none). A
   * target whose API has no tools sends the conversation alone.
   */
  default Future<Outcome> attempt(List<ChatMessage> messages, JsonArray tools, long timeoutMs, Future<Void> abandoned) {
    return attempt(messages, timeoutMs, abandoned);
  }

  JsonObject identifier();

  default void close() {
  }

  /** The prompt of a conversation: the last user message, or the last message if none is from the user. */
  static String lastUserText(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).role())) {
        return messages.get(i).content();
      }
    }
    return messages.isEmpty() ? "" : messages.get(messages.size() - 1).content();
  }

  static JsonObject identifier(String type, GeneratorSpec spec, String model) {
    JsonObject id = new JsonObject().put("__type__", type).put("__module__", "gauntlet.generator")
        .put("id", spec.id()).put("name", spec.name());
    if (model != null) {
      id.put("model", model);
    }
    return id;
  }
}
