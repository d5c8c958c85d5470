package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

/**
 * Embedded identity and secrets: the first admin's password (empty = generate), token lifetime,
 * the key that encrypts generator secrets at rest (empty = a generated key file), and sign-in
 * through an OpenID Connect provider beside the local accounts.
 */
public record AuthConfig(String adminPassword, long tokenTtlSeconds, String secretKey, OidcConfig oidc) {

  static AuthConfig from(JsonObject json) {
    return new AuthConfig(json.getString("adminPassword", ""), json.getLong("tokenTtlSeconds", 3600L),
        json.getString("secretKey", ""), OidcConfig.from(json.getJsonObject("oidc", new JsonObject())));
  }
}
