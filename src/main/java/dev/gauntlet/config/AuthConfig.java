package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

/** Embedded identity: the first admin's password (empty = generate) and token lifetime. */
public record AuthConfig(String adminPassword, long tokenTtlSeconds) {

  static AuthConfig from(JsonObject json) {
    return new AuthConfig(json.getString("adminPassword", ""), json.getLong("tokenTtlSeconds", 3600L));
  }
}
