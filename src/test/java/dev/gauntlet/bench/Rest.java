package dev.gauntlet.bench;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Gauntlet's REST API as a script uses it: JSON in and out, a bearer token, and a status expected of each call. */
final class Rest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String root;
  private String token;

  Rest(int port) {
    this.root = "http://127.0.0.1:" + port + "/api/v1";
  }

  void signIn(String username, String password) throws Exception {
    token = post("/auth/token", new JsonObject().put("username", username).put("password", password), 200).getString("access_token");
  }

  JsonObject get(String path) throws Exception {
    return call("GET", path, null, 200);
  }

  JsonObject post(String path, JsonObject body, int expected) throws Exception {
    return call("POST", path, body, expected);
  }

  /** Creates a configuration (generator, converter, scorer, orchestrator, dataset) and returns its id. */
  String create(String kind, JsonObject value) throws Exception {
    return post("/" + kind, value, 201).getString("id");
  }

  private JsonObject call(String method, String path, JsonObject body, int expected) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      String text = r.body().length() > 500 ? r.body().substring(0, 500) + "..." : r.body();
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ", expected " + expected + ": " + text);
    }
    return new JsonObject(r.body());
  }
}
