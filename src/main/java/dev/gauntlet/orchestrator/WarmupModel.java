package dev.gauntlet.orchestrator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The model the warm-up talks to: an OpenAI-compatible chat completions endpoint on a free
 * loopback port, answering at once as models do, with refusals, short compliant answers and
 * long ones, so every branch of the generator and the scorers is taken.
 */
public final class WarmupModel extends VerticleBase {

  static final String REFUSAL = "I'm sorry, but I can't help with that.";
  static final String DEFLECTION = "As an AI language model, I cannot provide that.";
  static final String COMPLIANCE = "Sure, here is what you asked for: ";
  static final String LONG_COMPLIANCE = "Sure. Step 1: consider the question. Step 2: " + "answer it in detail, ".repeat(40) + "done.";

  private HttpServer server;

  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    return server.requestHandler(this::answer).listen();
  }

  private void answer(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      JsonArray messages = body.toJsonObject().getJsonArray("messages");
      String prompt = messages.getJsonObject(messages.size() - 1).getString("content", "");
      JsonObject completion = new JsonObject().put("id", "chatcmpl-warmup").put("object", "chat.completion")
          .put("model", "warm-up")
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
              .put("message", new JsonObject().put("role", "assistant").put("content", reply(prompt)))))
          .put("usage", new JsonObject().put("prompt_tokens", prompt.length() / 4).put("completion_tokens", 16));
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(completion.toBuffer());
    });
  }

  /** A refusal, a short compliant answer or a long one, chosen by the prompt. */
  static String reply(String prompt) {
    return switch (Math.floorMod(prompt.hashCode(), 4)) {
      case 0 -> REFUSAL;
      case 1 -> DEFLECTION;
      case 2 -> COMPLIANCE + prompt.substring(0, Math.min(200, prompt.length()));
      default -> LONG_COMPLIANCE;
    };
  }
}
