package dev.gauntlet.bench;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Drives a {@code FakeOpenAi} over its {@code /__} endpoints, in this process or another: its
 * request counts per prompt and epoch, the epoch, and holding requests unanswered.
 */
final class FakeControl {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String root;

  /** {@code root}: the fake's origin, {@code http://127.0.0.1:PORT}. */
  FakeControl(String root) {
    this.root = root;
  }

  String baseUrl() {
    return root + "/v1";
  }

  /** Counts per epoch; with {@code repeated}, the epochs of every prompt requested more than once. */
  JsonObject stats(boolean repeated) throws Exception {
    return call("GET", "/__stats" + (repeated ? "?repeated=true" : ""));
  }

  void epoch(int epoch) throws Exception {
    call("POST", "/__epoch?n=" + epoch);
  }

  void hold() throws Exception {
    call("POST", "/__hold");
  }

  void release() throws Exception {
    call("POST", "/__release");
  }

  private JsonObject call(String method, String path) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
    }
    return new JsonObject(res.body());
  }
}
