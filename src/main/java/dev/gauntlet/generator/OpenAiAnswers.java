package dev.gauntlet.generator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * The usual chat completion answer, {@code choices[0].message.content} as text with no tool
 * calls, read as a stream of tokens: what nearly every answer is, without building the whole
 * document as maps (Vert.x's generic parser is one large method the JIT spends seconds of a fresh
 * server's first executions compiling). Anything else (content parts, tool calls, no choices,
 * not JSON) is left to {@link OpenAiChatTarget}'s reading of the whole document, which says what
 * is wrong: this one answers null then, never a different outcome.
 */
final class OpenAiAnswers {

  private static final JsonFactory JSON = new JsonFactory();

  private OpenAiAnswers() {}

  /** The answer's text and token counts, or null when the answer is not the plain kind. */
  static Outcome plain(Buffer body, int status) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try (JsonParser p = JSON.createParser(body.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String content = null;
      long in = -1;
      long out = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("choices")) {
          // the last "choices" counts, as when the document is read whole
          content = firstContent(p, value);
          if (content == null) {
            return null;
          }
        } else if (name.equals("usage")) {
          in = -1;
          out = -1;
          if (value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              JsonToken n = p.nextToken();
              boolean number = n == JsonToken.VALUE_NUMBER_INT || n == JsonToken.VALUE_NUMBER_FLOAT;
              if (key.equals("prompt_tokens")) {
                in = number ? p.getLongValue() : -1;
              } else if (key.equals("completion_tokens")) {
                out = number ? p.getLongValue() : -1;
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
      if (content == null || p.nextToken() != null) {
        return null;
      }
      Outcome o = Outcome.ok(content, status);
      return in >= 0 && out >= 0 ? o.withUsage(in, out) : o;
    } catch (IOException | RuntimeException unusual) {
      return null;
    }
  }

  /** {@code choices[0].message.content} when it is text and no tool call came with it; the parser ends past the array. */
  private static String firstContent(JsonParser p, JsonToken choices) throws IOException {
    if (choices != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String content = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (!name.equals("message")) {
        p.skipChildren();
        continue;
      }
      if (value != JsonToken.START_OBJECT) {
        return null;
      }
      content = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (key.equals("content")) {
          content = v == JsonToken.VALUE_STRING ? p.getText() : null;
          if (content == null) {
            return null;
          }
        } else if (key.equals("tool_calls")) {
          if (v != JsonToken.VALUE_NULL && !(v == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY)) {
            return null;
          }
        } else {
          p.skipChildren();
        }
      }
    }
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) {
        return null;
      }
      p.skipChildren(); // the other choices
    }
    return content;
  }
}
