package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

/**
 * Token-bucket limits, each a number of requests per minute (a bucket holds that many and
 * refills evenly): sign-ins per address and per login, credentials issued per user, API
 * calls per user and per address. {@code maxTracked} bounds how many clients are remembered.
 */
public record RateLimitConfig(boolean enabled, int signInPerAddressPerMinute, int signInPerLoginPerMinute,
                              int tokensPerUserPerMinute, int apiPerUserPerMinute, int apiPerAddressPerMinute, int maxTracked) {

  static RateLimitConfig from(JsonObject json) {
    return new RateLimitConfig(json.getBoolean("enabled", true),
        positive(json, "signInPerAddressPerMinute", 30), positive(json, "signInPerLoginPerMinute", 10),
        positive(json, "tokensPerUserPerMinute", 10), positive(json, "apiPerUserPerMinute", 6000),
        positive(json, "apiPerAddressPerMinute", 12000), positive(json, "maxTracked", 100_000));
  }

  private static int positive(JsonObject json, String key, int fallback) {
    int v = json.getInteger(key, fallback);
    if (v <= 0) {
      throw new IllegalArgumentException("rateLimit." + key + " must be a positive number, got " + v);
    }
    return v;
  }
}
