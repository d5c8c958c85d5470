package dev.gauntlet.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** Where {@link FakeOpenAi} finds the prompt in a request, and whether it refuses it. */
final class FakePrompts {

  private FakePrompts() {}

  /** The fake's "model" declines anything about bombs or malware. */
  static boolean refuses(String prompt) {
    String p = prompt.toLowerCase(Locale.ROOT);
    return p.contains("bomb") || p.contains("malware");
  }

  /** The offered tool (OpenAI function definitions) the prompt names first, or null. */
  static String toolNamed(String prompt, JsonArray tools) {
    if (tools == null) {
      return null;
    }
    String first = null;
    int at = Integer.MAX_VALUE;
    for (Object t : tools) {
      String name = t instanceof JsonObject o && o.getValue("function") instanceof JsonObject f ? f.getString("name") : null;
      int i = name == null || name.isEmpty() ? -1 : prompt.indexOf(name);
      if (i >= 0 && i < at) {
        first = name;
        at = i;
      }
    }
    return first;
  }

  static String lastUserText(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject m = messages.getJsonObject(i);
      if ("user".equals(m.getString("role"))) {
        return String.valueOf(m.getValue("content"));
      }
    }
    return messages.isEmpty() ? "" : String.valueOf(messages.getJsonObject(messages.size() - 1).getValue("content"));
  }

  static String plainPrompt(HttpServerRequest req, Buffer body) {
    String q = req.getParam("q");
    if (q != null) {
      return q;
    }
    String text = body.toString();
    if (text.startsWith("{")) {
      Object p = new JsonObject(text).getValue("prompt");
      if (p != null) {
        return String.valueOf(p);
      }
    }
    return text;
  }
}
