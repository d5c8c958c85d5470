package dev.gauntlet.auth;

import dev.gauntlet.auth.RateLimiter.Limit;
import dev.gauntlet.config.RateLimitConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

  private static RateLimitConfig config(boolean enabled, int perMinute, int maxTracked) {
    return new RateLimitConfig(enabled, perMinute, perMinute, perMinute, perMinute, perMinute, maxTracked);
  }

  @Test
  void aClientGetsItsBucketThenAWaitOfAtMostAMinute() {
    RateLimiter limiter = new RateLimiter(config(true, 5, 100));
    for (int i = 0; i < 5; i++) {
      assertNull(limiter.take(Limit.SIGN_IN_PER_ADDRESS, "10.0.0.1"), "attempt " + (i + 1) + " is within the bucket");
    }
    RateLimiter.Refusal refused = limiter.take(Limit.SIGN_IN_PER_ADDRESS, "10.0.0.1");
    assertNotNull(refused);
    // five a minute refill one every 12 s
    assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 12, "retry after " + refused.retryAfterSeconds());
  }

  @Test
  void clientsAndLimitsHaveSeparateBuckets() {
    RateLimiter limiter = new RateLimiter(config(true, 1, 100));
    assertNull(limiter.take(Limit.API_PER_USER, "alice"));
    assertNotNull(limiter.take(Limit.API_PER_USER, "alice"));
    assertNull(limiter.take(Limit.API_PER_USER, "bob"), "bob is not slowed down by alice");
    assertNull(limiter.take(Limit.TOKENS_PER_USER, "alice"), "another limit has its own bucket");
  }

  @Test
  void onlyTheFirstRefusalInASecondIsWorthAuditing() {
    RateLimiter limiter = new RateLimiter(config(true, 1, 100));
    limiter.take(Limit.API_PER_ADDRESS, "10.0.0.2");
    assertTrue(limiter.take(Limit.API_PER_ADDRESS, "10.0.0.2").worthAuditing());
    for (int i = 0; i < 50; i++) {
      assertFalse(limiter.take(Limit.API_PER_ADDRESS, "10.0.0.2").worthAuditing());
    }
  }

  @Test
  void disabledLimitsAllowEverything() {
    RateLimiter limiter = new RateLimiter(config(false, 1, 100));
    for (int i = 0; i < 100; i++) {
      assertNull(limiter.take(Limit.SIGN_IN_PER_LOGIN, "admin"));
    }
  }

  @Test
  void memoryStaysBoundedWhateverTheNumberOfClients() {
    RateLimiter limiter = new RateLimiter(config(true, 3, 50));
    for (int i = 0; i < 10_000; i++) {
      limiter.take(Limit.API_PER_ADDRESS, "client-" + i);
    }
    assertTrue(limiter.tracked() <= 50, "tracked " + limiter.tracked());
    assertEquals(0, new RateLimiter(config(true, 3, 50)).tracked());
  }
}
