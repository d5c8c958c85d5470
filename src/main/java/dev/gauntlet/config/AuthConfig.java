package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

/**
 * Embedded identity and secrets: the first admin's password (empty = generate), token lifetime,
 * and the key that encrypts generator secrets at rest (empty = a generated key file).
 */
public record AuthConfig(String adminPassword, long tokenTtlSeconds, String secretKey) {

  static AuthConfig from(JsonObject json) {
    return new AuthConfig(json.getString("adminPassword", ""), json.getLong("tokenTtlSeconds", 3600L),
        json.getString("secretKey", ""));
  }
}
