package dev.gauntlet.generator;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any HTTP endpoint: the prompt goes into a body template (or the URL) at {@code {{prompt}}},
 * and the answer comes out through a JSONPath, a regular expression, or as the whole body.
 */
final class HttpTarget implements Target {

  static final String PROMPT = "{{prompt}}";
  static final String MESSAGES = "{{messages}}";

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.choice("method", "GET", "POST", "PUT").defaultValue("POST"),
      Param.url("url").required().describe("may hold {{prompt}}, URL-encoded, e.g. for GET"),
      Param.secretMap("headers").describe("request headers, e.g. Authorization"),
      Param.text("body_template").defaultValue("{\"prompt\": \"{{prompt}}\"}")
          .describe("{{prompt}} is replaced by the prompt, JSON-string-escaped when the content type is JSON;"
              + " {{messages}} by the conversation as a JSON array of {role, content}"),
      Param.string("content_type").defaultValue("application/json"),
      Param.string("response_path").describe("JSONPath to the answer, e.g. $.answer or $.choices[0].text"),
      Param.regex("response_regex").describe("the first group of the first match is the answer (the whole match"
          + " without groups); neither path nor regex: the whole body"));

  private final GeneratorSpec spec;
  private final HttpExchange http;
  private final HttpMethod method;
  private final String url;
  private final String template;
  private final String contentType;
  private final boolean json;
  private final boolean form;
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
  private final JsonPath path;
  private final Pattern regex;

  HttpTarget(Vertx vertx, GeneratorSpec spec, Resilience limits) {
    JsonObject p = spec.params();
    this.spec = spec;
    this.method = HttpMethod.valueOf(p.getString("method", "POST"));
    this.url = p.getString("url");
    HttpExchange.checkUrl(url.replace(PROMPT, "prompt"), "url");
    this.template = p.getString("body_template", "{\"prompt\": \"{{prompt}}\"}");
    this.contentType = p.getString("content_type", "application/json");
    String ct = contentType.toLowerCase(Locale.ROOT);
    this.json = ct.contains("json");
    this.form = ct.contains("x-www-form-urlencoded");
    String pathText = p.getString("response_path");
    String regexText = p.getString("response_regex");
    if (pathText != null && !pathText.isEmpty() && regexText != null) {
      throw Problem.badRequest("invalid_parameter", "set parameters.response_path or parameters.response_regex, not both");
    }
    try {
      this.path = pathText == null || pathText.isEmpty() ? null : JsonPath.compile(pathText);
    } catch (InvalidPathException e) {
      throw Problem.badRequest("invalid_parameter", "parameters.response_path is not a valid JSONPath: " + e.getMessage());
    }
    this.regex = regexText == null ? null : Pattern.compile(regexText);
    if (method != HttpMethod.GET) {
      headers.set("Content-Type", contentType);
    }
    p.getJsonObject("headers", new JsonObject()).forEach(e -> headers.set(e.getKey(), String.valueOf(e.getValue())));
    this.http = new HttpExchange(vertx, limits, spec.egress());
  }

  @Override
  public Future<Outcome> attempt(List<ChatMessage> messages, long timeoutMs, Future<Void> abandoned) {
    String prompt = Target.lastUserText(messages);
    String target = url.replace(PROMPT, URLEncoder.encode(prompt, StandardCharsets.UTF_8));
    Buffer body = method == HttpMethod.GET ? null : Buffer.buffer(fill(template, prompt, messages));
    return http.send(method, target, headers, body, timeoutMs, abandoned, this::answer, null);
  }

  /** The body for one prompt: escaped for the content type, so a quote in a prompt cannot break the JSON. */
  String fill(String tpl, String prompt, List<ChatMessage> messages) {
    String out = tpl;
    if (out.contains(MESSAGES)) {
      JsonArray turns = new JsonArray();
      messages.forEach(m -> turns.add(new JsonObject().put("role", m.role()).put("content", m.content())));
      out = out.replace(MESSAGES, turns.encode());
    }
    String value;
    if (json) {
      String quoted = Json.encode(prompt);
      value = quoted.substring(1, quoted.length() - 1);
    } else if (form) {
      value = URLEncoder.encode(prompt, StandardCharsets.UTF_8);
    } else {
      value = prompt;
    }
    return out.replace(PROMPT, value);
  }

  @Override
  public JsonObject identifier() {
    return Target.identifier("HTTPTarget", spec, null);
  }

  @Override
  public void close() {
    http.close();
  }

  private Outcome answer(HttpExchange.Answer r) {
    String body = r.body() == null ? "" : r.body().toString(StandardCharsets.UTF_8);
    if (path != null) {
      Object found;
      try {
        found = path.read(body);
      } catch (RuntimeException e) {
        return Outcome.failed(ReplyError.INVALID_RESPONSE, r.statusCode(), "response_path " + path.getPath()
            + " found nothing: " + e.getMessage() + "; body: " + HttpExchange.snippet(r.body()));
      }
      if (found instanceof List<?> list) {
        found = list.isEmpty() ? null : list.get(0);
      }
      if (found == null) {
        return Outcome.failed(ReplyError.INVALID_RESPONSE, r.statusCode(), "response_path " + path.getPath()
            + " found nothing in: " + HttpExchange.snippet(r.body()));
      }
      return Outcome.ok(found instanceof Map<?, ?> || found instanceof List<?> ? Json.encode(found) : found.toString(),
          r.statusCode());
    }
    if (regex != null) {
      Matcher m = regex.matcher(body);
      if (!m.find()) {
        return Outcome.failed(ReplyError.INVALID_RESPONSE, r.statusCode(), "response_regex " + regex.pattern()
            + " does not match: " + HttpExchange.snippet(r.body()));
      }
      return Outcome.ok(m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group(), r.statusCode());
    }
    return Outcome.ok(body, r.statusCode());
  }
}
