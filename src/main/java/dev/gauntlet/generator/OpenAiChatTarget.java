package dev.gauntlet.generator;

import dev.gauntlet.JsonText;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An OpenAI-compatible chat completions endpoint: OpenAI, Azure OpenAI, vLLM, Ollama, LM Studio,
 * llama.cpp. The answer is {@code choices[0].message.content}. Tools a prompt offers go in the
 * request's {@code tools}; the calls the model makes ({@code message.tool_calls}) come back with
 * the reply, written out as its text when the model wrote none.
 */
final class OpenAiChatTarget implements Target {

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.url("base_url").required()
          .describe("API root, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1; /chat/completions is added"
              + " before any query, so Azure's ?api-version=... can stay on it"),
      Param.string("model").required().describe("model or deployment name"),
      Param.secret("api_key").describe("sent as Authorization: Bearer; for Azure put api-key in headers instead"),
      Param.number("temperature").min(0).max(2),
      Param.integer("max_tokens").min(1).max(10_000_000),
      Param.number("top_p").min(0).max(1),
      Param.integer("seed"),
      Param.secretMap("headers").describe("extra request headers, e.g. api-key or an organisation id"),
      Param.text("system_prompt").describe("sent first as a system message unless the conversation has one"));

  private final GeneratorSpec spec;
  private final HttpExchange http;
  private final String url;
  private final String model;
  private final JsonObject options = new JsonObject();
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
  private final String systemPrompt;

  OpenAiChatTarget(Vertx vertx, GeneratorSpec spec, Resilience limits) {
    JsonObject p = spec.params();
    this.spec = spec;
    this.url = endpoint(p.getString("base_url"));
    HttpExchange.checkUrl(url, "base_url");
    this.model = p.getString("model");
    for (String k : List.of("temperature", "max_tokens", "top_p", "seed")) {
      if (p.getValue(k) != null) {
        options.put(k, p.getValue(k));
      }
    }
    headers.set("Content-Type", "application/json").set("Accept", "application/json");
    String key = p.getString("api_key");
    if (key != null && !key.isEmpty()) {
      headers.set("Authorization", "Bearer " + key);
    }
    JsonObject extra = p.getJsonObject("headers", new JsonObject());
    extra.forEach(e -> headers.set(e.getKey(), String.valueOf(e.getValue())));
    String system = p.getString("system_prompt");
    this.systemPrompt = system == null || system.isEmpty() ? null : system;
    this.http = new HttpExchange(vertx, limits, spec.egress());
  }

  /** {@code base_url} + {@code /chat/completions}, keeping a query such as Azure's api-version last. */
  static String endpoint(String baseUrl) {
    int q = baseUrl.indexOf('?');
    String path = q < 0 ? baseUrl : baseUrl.substring(0, q);
    String query = q < 0 ? "" : baseUrl.substring(q);
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path + "/chat/completions" + query;
  }

  @Override
  public Future<Outcome> attempt(List<ChatMessage> messages, long timeoutMs, Future<Void> abandoned) {
    return attempt(messages, null, timeoutMs, abandoned);
  }

  @Override
  public Future<Outcome> attempt(List<ChatMessage> messages, JsonArray tools, long timeoutMs, Future<Void> abandoned) {
    return http.send(HttpMethod.POST, url, headers, Buffer.buffer(body(messages, tools)), timeoutMs, abandoned,
        OpenAiChatTarget::answer, OpenAiChatTarget::contentFilter);
  }

  /**
   * The request's JSON, written directly (see {@link JsonText}): the options, the model, the
   * messages (the generator's system prompt first unless the conversation has one), the tools.
   */
  String body(List<ChatMessage> messages, JsonArray tools) {
    int chars = 64 + model.length();
    for (ChatMessage m : messages) {
      chars += 32 + (m.content() == null ? 0 : m.content().length());
    }
    StringBuilder out = new StringBuilder(chars).append('{');
    for (var option : options) {
      JsonText.member(out, true, option.getKey(), option.getValue()).append(',');
    }
    JsonText.member(out, true, "model", model).append(",\"messages\":[");
    boolean first = true;
    if (systemPrompt != null && (messages.isEmpty() || !"system".equals(messages.get(0).role()))) {
      turn(out, "system", systemPrompt);
      first = false;
    }
    for (ChatMessage m : messages) {
      if (!first) {
        out.append(',');
      }
      turn(out, m.role(), m.content());
      first = false;
    }
    out.append(']');
    if (tools != null && !tools.isEmpty()) {
      JsonText.member(out, false, "tools", tools);
    }
    return out.append('}').toString();
  }

  private static void turn(StringBuilder out, String role, String content) {
    JsonText.member(out.append('{'), true, "role", role);
    JsonText.member(out, false, "content", content).append('}');
  }

  @Override
  public JsonObject identifier() {
    return Target.identifier("OpenAIChatTarget", spec, model);
  }

  @Override
  public void close() {
    http.close();
  }

  private static Outcome answer(HttpExchange.Answer r) {
    Outcome plain = OpenAiAnswers.plain(r.body(), r.statusCode());
    if (plain != null) {
      return plain;
    }
    JsonObject json;
    try {
      json = new JsonObject(r.body());
    } catch (DecodeException | ClassCastException e) {
      return Outcome.failed(ReplyError.INVALID_RESPONSE, r.statusCode(), "not a JSON object: " + HttpExchange.snippet(r.body()));
    }
    JsonObject choice = json.getValue("choices") instanceof JsonArray a && !a.isEmpty()
        && a.getValue(0) instanceof JsonObject c ? c : null;
    if (choice == null) {
      return Outcome.failed(ReplyError.INVALID_RESPONSE, r.statusCode(), "no choices in the answer: " + HttpExchange.snippet(r.body()));
    }
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : null;
    Object content = message == null ? null : message.getValue("content");
    JsonArray calls = message == null ? new JsonArray() : ToolCalls.fromOpenAi(message.getValue("tool_calls"));
    if (!calls.isEmpty()) {
      return Outcome.called(content instanceof String s ? s : null, calls, r.statusCode());
    }
    if (content instanceof String s) {
      return withUsage(Outcome.ok(s, r.statusCode()), json);
    }
    if (content instanceof JsonArray parts) {
      // some servers answer with content parts: keep the text ones
      StringBuilder text = new StringBuilder();
      parts.forEach(part -> {
        if (part instanceof JsonObject o && o.getValue("text") instanceof String t) {
          text.append(t);
        }
      });
      return withUsage(Outcome.ok(text.toString(), r.statusCode()), json);
    }
    if ("content_filter".equals(choice.getValue("finish_reason"))) {
      return Outcome.failed(ReplyError.BLOCKED, r.statusCode(), "the answer was withheld by the target's content filter");
    }
    return Outcome.failed(ReplyError.INVALID_RESPONSE, r.statusCode(), "choices[0].message.content is missing");
  }

  /** The token counts an OpenAI-compatible answer reports in {@code usage}, which provider budgets count. */
  private static Outcome withUsage(Outcome o, JsonObject answer) {
    if (answer.getValue("usage") instanceof JsonObject u && u.getValue("prompt_tokens") instanceof Number in
        && u.getValue("completion_tokens") instanceof Number out) {
      return o.withUsage(in.longValue(), out.longValue());
    }
    return o;
  }

  /** Azure's and OpenAI's policy refusals arrive as a 400 with a telling error code. */
  private static Outcome contentFilter(HttpExchange.Answer r) {
    if (r.statusCode() != 400) {
      return null;
    }
    try {
      JsonObject error = new JsonObject(r.body()).getJsonObject("error");
      String code = error == null ? null : String.valueOf(error.getValue("code"));
      if ("content_filter".equals(code) || "content_policy_violation".equals(code)) {
        return Outcome.failed(ReplyError.BLOCKED, 400, "blocked by the target's content filter: "
            + error.getString("message", code));
      }
    } catch (RuntimeException notJson) {
      // a plain client error
    }
    return null;
  }
}
