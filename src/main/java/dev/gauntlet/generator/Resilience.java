package dev.gauntlet.generator;

import dev.gauntlet.catalog.Param;
import io.vertx.core.json.JsonObject;

/** The limits every generator type shares, read once from its validated parameters. */
record Resilience(int maxConcurrency, int requestsPerMinute, long timeoutMs, int maxRetries, long retryBackoffMs,
                  long maxResponseBytes) {

  static final Param[] PARAMS = {
      Param.integer("max_concurrency").min(1).max(1024).defaultValue(16)
          .describe("requests in flight at once; more wait their turn in order"),
      Param.integer("requests_per_minute").min(0).max(1_000_000).defaultValue(0)
          .describe("attempts per minute, evenly spaced; 0 for no limit"),
      Param.integer("timeout_ms").min(50).max(3_600_000).defaultValue(60_000)
          .describe("how long one attempt may take, from sending to the last byte of the answer"),
      Param.integer("max_retries").min(0).max(10).defaultValue(3)
          .describe("further attempts after 429, 500, 502, 503, 504, timeouts and connection errors"),
      Param.integer("retry_backoff_ms").min(0).max(60_000).defaultValue(500)
          .describe("first retry delay, doubled each retry, with jitter; Retry-After wins when sent"),
      Param.integer("max_response_bytes").min(1024).max(268_435_456).defaultValue(10_485_760)
          .describe("larger answers are cut off and reported as too_large"),
  };

  static Resilience from(JsonObject p) {
    return new Resilience(p.getInteger("max_concurrency", 16), p.getInteger("requests_per_minute", 0),
        p.getLong("timeout_ms", 60_000L), p.getInteger("max_retries", 3), p.getLong("retry_backoff_ms", 500L),
        p.getLong("max_response_bytes", 10_485_760L));
  }
}
