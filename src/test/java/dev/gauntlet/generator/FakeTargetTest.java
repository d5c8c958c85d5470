package dev.gauntlet.generator;

import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static dev.gauntlet.generator.GeneratorTesting.await;

/** Generator tests against one fake OpenAI-compatible target per class, reset before each test. */
abstract class FakeTargetTest {

  protected static Vertx vertx;
  protected static FakeOpenAi fake;

  @BeforeAll
  static void startFake() {
    vertx = Vertx.vertx();
    fake = new FakeOpenAi(vertx);
    fake.start(0);
  }

  @AfterAll
  static void stopFake() {
    await(vertx.close());
  }

  @BeforeEach
  void resetFake() {
    fake.reset();
  }
}
