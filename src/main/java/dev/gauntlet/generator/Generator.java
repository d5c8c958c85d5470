package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A model under test (or an attacker or judge model). {@link #send} never fails because of the
 * target: timeouts, refusals, HTTP errors and malformed answers all complete with a
 * {@link GeneratorReply} whose {@code error} says what happened. It fails only when Gauntlet
 * itself is broken.
 */
public interface Generator {

  /** Sends the conversation, oldest message first; the last message is the prompt. */
  Future<GeneratorReply> send(List<ChatMessage> messages);

  /** PyRIT-style identifier recorded with every piece: {@code __type__}, {@code __module__}, id, name. */
  JsonObject identifier();

  /** The endpoint host it sends to (what provider budgets are declared for), or null when it sends nowhere. */
  default String host() {
    return null;
  }

  /** Releases connections and timers; the generator is not used afterwards. */
  default void close() {
  }
}
