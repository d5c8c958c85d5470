package dev.gauntlet.generator;

import dev.gauntlet.testing.FakeOpenAi;
import dev.gauntlet.testing.Fault;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static dev.gauntlet.generator.GeneratorTesting.await;
import static dev.gauntlet.generator.GeneratorTesting.build;
import static dev.gauntlet.generator.GeneratorTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every target fault ends in its reply error, with attempts counted, and never hangs. */
class FaultHandlingTest extends FakeTargetTest {

  private static Generator chat(JsonObject more) {
    return build(vertx, "openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m")
        .put("retry_backoff_ms", 10).mergeIn(more));
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void rateLimitedWithRetryAfterOneSecondAnswersOnTheSecondAttempt() {
    fake.enqueue(Fault.status(429, "1"));
    Generator g = chat(new JsonObject());
    long start = System.nanoTime();

    GeneratorReply reply = send(g, "hello");

    assertTrue(reply.ok(), reply.toString());
    assertEquals(2, reply.attempts());
    assertTrue(millisSince(start) >= 1000, "retried after " + millisSince(start) + " ms");
    assertTrue(reply.latencyMs() >= 1000);
    assertEquals(2, fake.requests());
    g.close();
  }

  @Test
  void persistentRateLimitEndsRateLimited() {
    fake.always(Fault.status(429, "0"));
    Generator g = chat(new JsonObject().put("max_retries", 2));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.RATE_LIMITED, reply.error());
    assertEquals(429, reply.status());
    assertEquals(3, reply.attempts());
    g.close();
  }

  @Test
  void persistentServerErrorGivesUpAfterMaxRetriesPlusOneAttempts() {
    fake.always(Fault.status(500));
    Generator g = chat(new JsonObject().put("max_retries", 3));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.SERVER_ERROR, reply.error());
    assertEquals(500, reply.status());
    assertEquals(4, reply.attempts());
    assertEquals(4, fake.requests());
    assertTrue(reply.detail().contains("HTTP 500"), reply.detail());
    g.close();
  }

  @Test
  void serviceUnavailableWithRetryAfterThenAnswers() {
    fake.enqueue(Fault.status(503, "0"), 2);
    Generator g = chat(new JsonObject());

    GeneratorReply reply = send(g, "hello");

    assertTrue(reply.ok());
    assertEquals(3, reply.attempts());
    g.close();
  }

  @Test
  void unansweredRequestTimesOutOncePerAttempt() {
    fake.always(Fault.timeout());
    Generator g = chat(new JsonObject().put("timeout_ms", 300).put("max_retries", 1));
    long start = System.nanoTime();

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.TIMEOUT, reply.error());
    assertEquals(2, reply.attempts());
    long ms = millisSince(start);
    assertTrue(ms >= 600 && ms < 600 + 1500, "timed out after " + ms + " ms");
    g.close();
  }

  @Test
  void slowDripIsCutOffByTheAttemptTimeout() {
    fake.always(Fault.drip(50));
    Generator g = chat(new JsonObject().put("timeout_ms", 300).put("max_retries", 0));
    long start = System.nanoTime();

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.TIMEOUT, reply.error());
    assertTrue(millisSince(start) < 1500, "gave up after " + millisSince(start) + " ms");
    g.close();
  }

  @Test
  void malformedJsonIsAnInvalidResponseWithoutRetry() {
    fake.enqueue(Fault.malformed());
    Generator g = chat(new JsonObject());

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.INVALID_RESPONSE, reply.error());
    assertEquals(1, reply.attempts());
    assertEquals(1, fake.requests());
    g.close();
  }

  @Test
  void answerOverTheSizeLimitIsTooLargeAndIsNotReadToTheEnd() {
    long hugeBytes = 64L * 1024 * 1024;
    fake.always(Fault.huge(hugeBytes));
    Generator g = chat(new JsonObject().put("max_response_bytes", 1024 * 1024).put("max_retries", 0));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.TOO_LARGE, reply.error());
    assertEquals(1, reply.attempts());
    assertTrue(fake.hugeBytesWritten() < hugeBytes / 2, "the client read " + fake.hugeBytesWritten() + " bytes");
    g.close();
  }

  @Test
  void tenMegabyteAnswerWithOneMegabyteLimitIsTooLarge() {
    fake.enqueue(Fault.huge(10L * 1024 * 1024));
    Generator g = chat(new JsonObject().put("max_response_bytes", 1024 * 1024));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.TOO_LARGE, reply.error());
    assertEquals(1, reply.attempts());
    g.close();
  }

  @Test
  void largeAnswerUnderTheLimitIsReadWhole() {
    int size = HttpExchange.PARSE_OFF_LOOP_BYTES * 4;
    fake.enqueue(Fault.huge(size));
    Generator g = chat(new JsonObject());

    GeneratorReply reply = send(g, "hello");

    assertTrue(reply.ok(), reply.toString());
    assertEquals(size, reply.text().length());
    assertTrue(reply.text().chars().allMatch(c -> c == 'x'));
    g.close();
  }

  @Test
  void connectionResetIsAConnectionErrorAfterRetries() {
    fake.always(Fault.reset());
    Generator g = chat(new JsonObject().put("max_retries", 1));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.CONNECTION, reply.error());
    assertEquals(2, reply.attempts());
    g.close();
  }

  @Test
  void refusedConnectionIsAConnectionError() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Generator g = build(vertx, "openai_chat", new JsonObject().put("base_url", "http://127.0.0.1:" + closedPort + "/v1")
        .put("model", "m").put("max_retries", 1).put("retry_backoff_ms", 10));

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.CONNECTION, reply.error());
    assertEquals(2, reply.attempts());
    g.close();
  }

  @Test
  void contentFilterRefusalIsBlockedWithoutRetry() {
    fake.enqueue(Fault.contentFilter());
    Generator g = chat(new JsonObject());

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.BLOCKED, reply.error(), reply.detail());
    assertEquals(400, reply.status());
    assertEquals(1, reply.attempts());
    g.close();
  }

  @Test
  void otherClientErrorIsNotRetried() {
    fake.enqueue(Fault.status(401));
    Generator g = chat(new JsonObject());

    GeneratorReply reply = send(g, "hello");

    assertEquals(ReplyError.CLIENT_ERROR, reply.error());
    assertEquals(401, reply.status());
    assertEquals(1, reply.attempts());
    g.close();
  }

  @Test
  void faultMarkedInOnePromptLeavesOtherPromptsAlone() {
    Generator g = chat(new JsonObject());

    GeneratorReply faulted = send(g, "first [[fake:500*2]]");
    GeneratorReply clean = send(g, "second");

    assertTrue(faulted.ok(), "two 500s, then the answer within 3 retries: " + faulted.error() + " after " + faulted.attempts()
        + " attempts: " + faulted.detail());
    assertEquals(3, faulted.attempts());
    assertEquals(3, fake.requestsFor("first [[fake:500*2]]"));
    assertEquals(1, clean.attempts());
    g.close();
  }

  @Test
  void faultHeaderAppliesToTheFirstRequestsOfAPrompt() {
    Generator g = chat(new JsonObject().put("headers", new JsonObject().put(FakeOpenAi.FAULT_HEADER, "502*1")));

    GeneratorReply reply = send(g, "hello");

    assertTrue(reply.ok());
    assertEquals(2, reply.attempts());
    g.close();
  }

  @Test
  void retryAfterIsReadAsSecondsOrHttpDate() {
    assertEquals(2000, HttpExchange.retryAfterMs("2"));
    assertEquals(-1, HttpExchange.retryAfterMs(null));
    assertEquals(-1, HttpExchange.retryAfterMs("soon"));
    String in30s = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    long ms = HttpExchange.retryAfterMs(in30s);
    assertTrue(ms > 28_000 && ms <= 30_000, ms + " ms");
    String past = ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    assertEquals(0, HttpExchange.retryAfterMs(past));
  }
}
