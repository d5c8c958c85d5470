package dev.gauntlet.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The bodies {@link FakeOpenAi} writes, built from precomputed parts so the hot path stays cheap. */
final class FakeBodies {

  static final Buffer MALFORMED = Buffer.buffer("{\"choices\": [{\"message\": {\"content\": \"trunc");
  static final Buffer CONTENT_FILTER = Buffer.buffer(new JsonObject().put("error", new JsonObject()
      .put("message", "The response was filtered due to the prompt triggering the content management policy.")
      .putNull("type").put("param", "prompt").put("code", "content_filter").put("status", 400)).encode());

  private static final Buffer CHAT_HEAD = Buffer.buffer(
      "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":");
  private static final Buffer CHAT_MIDDLE = Buffer.buffer(
      ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
  private static final Buffer CHAT_TAIL = Buffer.buffer(
      "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}");
  private static final Buffer HUGE_HEAD = Buffer.buffer(
      "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"");
  private static final Buffer HUGE_TAIL = Buffer.buffer("\"},\"finish_reason\":\"stop\"}]}");
  private static final Buffer HUGE_CHUNK = Buffer.buffer("x".repeat(64 * 1024));

  private FakeBodies() {}

  static Buffer chatAnswer(String model, String answer) {
    String m = Json.encode(model);
    String a = Json.encode(answer);
    return Buffer.buffer(CHAT_HEAD.length() + CHAT_MIDDLE.length() + CHAT_TAIL.length() + m.length() + a.length())
        .appendBuffer(CHAT_HEAD).appendString(m).appendBuffer(CHAT_MIDDLE).appendString(a).appendBuffer(CHAT_TAIL);
  }

  /** A chat answer that calls {@code tool} and writes no text, as OpenAI answers a tool call. */
  static Buffer chatToolCall(String model, String tool, String prompt) {
    JsonObject call = new JsonObject().put("id", "call_fake_1").put("type", "function").put("function", new JsonObject()
        .put("name", tool).put("arguments", new JsonObject().put("asked", prompt.length() > 60 ? prompt.substring(0, 60) : prompt).encode()));
    return Buffer.buffer(new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", model)
        .put("choices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("index", 0).put("message", new JsonObject()
            .put("role", "assistant").putNull("content").put("tool_calls", new io.vertx.core.json.JsonArray().add(call)))
            .put("finish_reason", "tool_calls"))).encode());
  }

  /** A valid chat answer of {@code bytes} content, written as fast as the client reads and no faster. */
  static void huge(HttpServerResponse res, long bytes, AtomicLong written) {
    res.setChunked(true).putHeader("Content-Type", "application/json").write(HUGE_HEAD);
    pump(res, bytes, written);
  }

  private static void pump(HttpServerResponse res, long remaining, AtomicLong written) {
    long left = remaining;
    while (left > 0) {
      if (res.closed() || res.ended()) {
        return; // the client hung up: a drain may still fire once after the connection closed
      }
      if (res.writeQueueFull()) {
        break;
      }
      int n = (int) Math.min(HUGE_CHUNK.length(), left);
      res.write(n == HUGE_CHUNK.length() ? HUGE_CHUNK : HUGE_CHUNK.getBuffer(0, n));
      written.addAndGet(n);
      left -= n;
    }
    if (left > 0) {
      long rest = left;
      res.drainHandler(v -> pump(res, rest, written));
    } else if (!res.closed()) {
      res.end(HUGE_TAIL);
    }
  }

  /** Announces {@code body}'s full length, writes its first half, then drops the connection. */
  static void cut(HttpServerRequest req, Buffer body, String type) {
    req.response().putHeader("Content-Type", type).putHeader("Content-Length", Integer.toString(body.length()))
        .write(body.getBuffer(0, body.length() / 2))
        .onComplete(ar -> req.connection().close());
  }

  /** {@code body} one byte every {@code everyMs}, until done or the client hangs up. */
  static void drip(Vertx vertx, HttpServerResponse res, Buffer body, String type, long everyMs) {
    res.setChunked(true).putHeader("Content-Type", type);
    AtomicInteger at = new AtomicInteger();
    vertx.setPeriodic(Math.max(1, everyMs), id -> {
      int i = at.getAndIncrement();
      if (res.closed() || res.ended()) {
        vertx.cancelTimer(id);
      } else if (i >= body.length()) {
        vertx.cancelTimer(id);
        res.end();
      } else {
        res.write(body.getBuffer(i, i + 1));
      }
    });
  }
}
