package dev.gauntlet.generator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Provider presets, declared once: which generator type a provider speaks, the shape of its URL,
 * a model placeholder, how it takes its key, and limits that suit it. The forms, the guided
 * campaign, REST and MCP all read this one list ({@code generators.presets}); a preset only fills
 * a form, so a generator made from one is an ordinary generator of its type.
 */
public final class Presets {

  /**
   * One provider. {@code parameters} are the values the form is filled with (every one valid for
   * {@code type}); {@code placeholders} hint what a user types in the fields left to them;
   * {@code essentials} are the few fields shown unfolded, the rest of the type's parameters go
   * under "advanced"; {@code auth} says how the provider takes its key.
   */
  public record Preset(String id, String name, String type, String description, JsonObject parameters,
                       JsonObject placeholders, List<String> essentials, String auth) {

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name).put("type", type).put("description", description)
          .put("parameters", parameters.copy()).put("placeholders", placeholders.copy())
          .put("essentials", new JsonArray(new ArrayList<>(essentials))).put("auth", auth);
    }
  }

  private static final List<Preset> ALL = List.of(
      chat("openai", "OpenAI", "OpenAI's hosted models",
          "https://api.openai.com/v1", "gpt-4o-mini", "bearer", 8, 500, 60_000),
      new Preset("azure_openai", "Azure OpenAI", "openai_chat",
          "a deployment of Azure OpenAI: the deployment is in the URL, the key goes in an api-key header",
          limits(new JsonObject().put("base_url", "https://YOUR-RESOURCE.openai.azure.com/openai/deployments/YOUR-DEPLOYMENT"
              + "?api-version=2024-06-01").put("model", "YOUR-DEPLOYMENT")
              .put("headers", new JsonObject().put("api-key", "YOUR-KEY")), 8, 300, 60_000),
          new JsonObject().put("base_url", "https://<resource>.openai.azure.com/openai/deployments/<deployment>?api-version=2024-06-01")
              .put("model", "the deployment's name").put("headers", "{\"api-key\": \"your key\"}"),
          List.of("base_url", "model", "headers"), "header api-key"),
      chat("anthropic_gateway", "Anthropic (OpenAI-compatible gateway)",
          "Claude through a gateway that speaks OpenAI's chat API, such as LiteLLM's proxy",
          "http://127.0.0.1:4000/v1", "claude-3-5-haiku-latest", "bearer", 4, 50, 120_000),
      chat("ollama", "Ollama", "a local Ollama server's OpenAI-compatible API; no key",
          "http://127.0.0.1:11434/v1", "llama3.1:8b", "none", 2, 0, 180_000),
      chat("vllm", "vLLM", "a vLLM server (key only if it was started with --api-key)",
          "http://127.0.0.1:8000/v1", "meta-llama/Llama-3.1-8B-Instruct", "bearer, optional", 16, 0, 120_000),
      chat("lm_studio", "LM Studio", "LM Studio's local server; no key",
          "http://127.0.0.1:1234/v1", "the loaded model's identifier", "none", 1, 0, 180_000),
      chat("llama_cpp", "llama.cpp server", "llama.cpp's llama-server; the model is the one it loaded",
          "http://127.0.0.1:8080/v1", "default", "none", 1, 0, 180_000),
      new Preset("http", "Generic HTTP endpoint", "http",
          "any HTTP API: the prompt goes into a body template, a JSONPath finds the answer",
          limits(new JsonObject().put("method", "POST").put("url", "https://example.com/api/chat")
              .put("body_template", "{\"prompt\": \"{{prompt}}\"}").put("content_type", "application/json")
              .put("response_path", "$.answer"), 4, 60, 60_000),
          new JsonObject().put("url", "https://your-service/endpoint").put("response_path", "$.answer or $.choices[0].text")
              .put("headers", "{\"Authorization\": \"Bearer your key\"}"),
          List.of("url", "body_template", "response_path", "headers"), "header of your choice"),
      new Preset("simulated", "Simulated model (offline)", "simulated",
          "Gauntlet's built-in deterministic model: refuses harmful prompts, answers the rest; no network, no key",
          new JsonObject().put("mode", "refuse_harmful").put("latency_ms", 0), new JsonObject(), List.of("mode"), "none"));

  private Presets() {}

  public static List<Preset> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The preset with this id, or null. */
  public static Preset get(String id) {
    return ALL.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
  }

  public static JsonObject toJson() {
    JsonArray items = new JsonArray();
    ALL.forEach(p -> items.add(p.toJson()));
    return new JsonObject().put("items", items);
  }

  private static Preset chat(String id, String name, String description, String baseUrl, String model, String auth,
                             int concurrency, int perMinute, int timeoutMs) {
    JsonObject params = limits(new JsonObject().put("base_url", baseUrl).put("model", model), concurrency, perMinute, timeoutMs);
    JsonObject placeholders = new JsonObject().put("base_url", baseUrl).put("model", model);
    List<String> essentials = new ArrayList<>(List.of("base_url", "model"));
    if (!auth.equals("none")) {
      essentials.add("api_key");
      placeholders.put("api_key", auth.startsWith("bearer, optional") ? "only if the server asks for one" : "your key");
    }
    return new Preset(id, name, "openai_chat", description, params, placeholders, List.copyOf(essentials), auth);
  }

  private static JsonObject limits(JsonObject params, int concurrency, int perMinute, int timeoutMs) {
    return params.put("max_concurrency", concurrency).put("requests_per_minute", perMinute).put("timeout_ms", timeoutMs);
  }
}
