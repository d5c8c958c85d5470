package dev.gauntlet.generator;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.catalog.ParamSchema;
import dev.gauntlet.catalog.Secrets;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.generator.GeneratorTesting.await;
import static dev.gauntlet.generator.GeneratorTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A generator's keys and secret headers: sealed in storage, masked in the API, opened only to send. */
class GeneratorSecretsTest {

  private static final ParamSchema SCHEMA = Generators.catalog().get("openai_chat").schema();
  private final SecretBox box = SecretBox.of(new byte[32]);

  private static JsonObject config() {
    return new JsonObject().put("base_url", "http://127.0.0.1:1/v1").put("model", "gpt")
        .put("api_key", "sk-live-123").put("headers", new JsonObject().put("X-Api-Token", "tok-456"));
  }

  @Test
  void sealedSecretsStartWithThePrefixAndTheirPlaintextIsNowhere() {
    JsonObject stored = Secrets.seal(SCHEMA, config(), null, box);

    assertTrue(stored.getString("api_key").startsWith("enc:v1:"));
    assertTrue(stored.getJsonObject("headers").getString("X-Api-Token").startsWith("enc:v1:"));
    assertFalse(stored.encode().contains("sk-live-123"));
    assertFalse(stored.encode().contains("tok-456"));
    assertEquals("gpt", stored.getString("model"));
  }

  @Test
  void maskShowsStarsAndNeverCiphertext() {
    JsonObject shown = Secrets.mask(SCHEMA, Secrets.seal(SCHEMA, config(), null, box));

    assertEquals("********", shown.getString("api_key"));
    assertEquals(new JsonObject().put("X-Api-Token", "********"), shown.getJsonObject("headers"));
    assertFalse(shown.encode().contains("enc:"));
    assertEquals("http://127.0.0.1:1/v1", shown.getString("base_url"));
  }

  @Test
  void maskSentBackOnUpdateKeepsTheStoredSecrets() {
    JsonObject stored = Secrets.seal(SCHEMA, config(), null, box);
    JsonObject edited = Secrets.mask(SCHEMA, stored).put("model", "gpt-2");
    edited.getJsonObject("headers").put("X-New", "fresh");

    JsonObject updated = Secrets.seal(SCHEMA, edited, stored, box);
    JsonObject open = Secrets.open(SCHEMA, updated, box);

    assertEquals("sk-live-123", open.getString("api_key"));
    assertEquals("tok-456", open.getJsonObject("headers").getString("X-Api-Token"));
    assertEquals("fresh", open.getJsonObject("headers").getString("X-New"));
    assertEquals("gpt-2", open.getString("model"));
    assertEquals(stored.getString("api_key"), updated.getString("api_key"));
  }

  @Test
  void maskWithNothingStoredIsRefused() {
    Problem p = assertThrows(Problem.class, () -> Secrets.seal(SCHEMA, config().put("api_key", "********"), null, box));

    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains("api_key"));
  }

  @Test
  void anotherKeyCannotOpenAndTamperingIsDetected() {
    JsonObject stored = Secrets.seal(SCHEMA, config(), null, box);
    SecretBox other = SecretBox.load(SecretBox.generateKey(), null);

    assertThrows(SecretBox.SecretException.class, () -> Secrets.open(SCHEMA, stored, other));
    String sealed = stored.getString("api_key");
    char flipped = sealed.charAt(20) == 'A' ? 'B' : 'A';
    JsonObject tampered = stored.copy().put("api_key", sealed.substring(0, 20) + flipped + sealed.substring(21));
    assertThrows(SecretBox.SecretException.class, () -> Secrets.open(SCHEMA, tampered, box));
  }

  @Test
  void openedConfigurationBuildsAGeneratorThatSendsTheKey() {
    Vertx vertx = Vertx.vertx();
    try (FakeOpenAi fake = new FakeOpenAi(vertx)) {
      fake.start(0);
      JsonObject stored = Secrets.seal(SCHEMA, config().put("base_url", fake.baseUrl()), null, box);

      Generator g = Generators.create(vertx, new GeneratorSpec("g", "n", "openai_chat", Secrets.open(SCHEMA, stored, box)));

      assertTrue(send(g, "hi").ok());
      assertEquals("Bearer sk-live-123", fake.lastRequest().headers().get("Authorization"));
      assertEquals("tok-456", fake.lastRequest().headers().get("X-Api-Token"));
      g.close();
    } finally {
      await(vertx.close());
    }
  }
}
