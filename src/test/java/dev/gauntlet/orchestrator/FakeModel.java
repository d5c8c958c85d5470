package dev.gauntlet.orchestrator;

import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.generator.Generator;
import dev.gauntlet.generator.GeneratorReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A model outside the process, played in test code: it answers each conversation through a
 * script (given the 1-based call number and what was sent) and keeps every conversation it
 * received, so a test can assert on exactly what a strategy sent.
 */
final class FakeModel implements Generator {

  final List<List<ChatMessage>> received = new ArrayList<>();
  private final String name;
  private final BiFunction<Integer, List<ChatMessage>, GeneratorReply> script;

  private FakeModel(String name, BiFunction<Integer, List<ChatMessage>, GeneratorReply> script) {
    this.name = name;
    this.script = script;
  }

  static FakeModel replying(String name, BiFunction<Integer, List<ChatMessage>, GeneratorReply> script) {
    return new FakeModel(name, script);
  }

  /** Answers with a text chosen from the call number alone. */
  static FakeModel saying(String name, java.util.function.IntFunction<String> byCall) {
    return new FakeModel(name, (n, messages) -> ok(byCall.apply(n)));
  }

  static GeneratorReply ok(String text) {
    return GeneratorReply.ok(text, 200, 3, 1);
  }

  @Override
  public Future<GeneratorReply> send(List<ChatMessage> messages) {
    received.add(List.copyOf(messages));
    return Future.succeededFuture(script.apply(received.size(), messages));
  }

  int calls() {
    return received.size();
  }

  /** The conversation of call {@code n} (1-based). */
  List<ChatMessage> call(int n) {
    return received.get(n - 1);
  }

  static String lastUserText(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).role())) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  @Override
  public JsonObject identifier() {
    return new JsonObject().put("__type__", "FakeModel").put("__module__", "dev.gauntlet.orchestrator.test")
        .put("id", name + "-id").put("name", name);
  }
}
