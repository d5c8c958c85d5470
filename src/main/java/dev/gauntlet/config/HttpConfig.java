package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

/** Where and how the HTTP verticles listen. {@code instances} 0 means one per core. */
public record HttpConfig(String host, int port, int instances, long maxBodyBytes, TlsConfig tls) {

  static HttpConfig from(JsonObject json) {
    int instances = json.getInteger("instances", 0);
    if (instances <= 0) {
      instances = Runtime.getRuntime().availableProcessors();
    }
    return new HttpConfig(json.getString("host", "127.0.0.1"), json.getInteger("port", 8080), instances,
        json.getLong("maxBodyBytes", 10L * 1024 * 1024), TlsConfig.from(json.getJsonObject("tls", new JsonObject())));
  }
}
