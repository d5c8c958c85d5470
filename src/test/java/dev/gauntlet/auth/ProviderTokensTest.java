package dev.gauntlet.auth;

import dev.gauntlet.Problem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provider tokens checked against keys a real HTTP server publishes as a JWKS, as a provider does. */
@ExtendWith(VertxExtension.class)
class ProviderTokensTest {

  private static final String ISSUER = "https://sso.example.test/realms/red";
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private static final KeyPair FIRST = rsa();
  private static final KeyPair SECOND = rsa();
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private Context context;
  private ProviderTokens tokens;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    published.add(jwk("k1", FIRST));
    // the encryption key a Keycloak JWKS also lists must be passed over, not break the set
    published.add(new JsonObject().put("kid", "enc1").put("kty", "RSA").put("alg", "RSA-OAEP").put("use", "enc")
        .put("n", jwk("x", FIRST).getString("n")).put("e", "AQAB"));
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      fetches.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("keys", new JsonArray(published)).encode());
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    context = vertx.getOrCreateContext();
    tokens = new ProviderTokens(vertx, ISSUER, "http://127.0.0.1:" + server.actualPort() + "/certs", 1000);
  }

  private JsonObject verify(String token) throws Exception {
    Promise<JsonObject> p = Promise.promise();
    context.runOnContext(v -> tokens.verify(token).onComplete(p));
    return p.future().await(20, TimeUnit.SECONDS);
  }

  private void assertRefused(String token, String why) {
    Problem p = assertThrows(Problem.class, () -> verify(token), why);
    assertEquals(401, p.status(), why);
  }

  @Test
  void aTokenSignedByAPublishedKeyIsAcceptedWithItsClaims() throws Exception {
    JsonObject claims = verify(sign("RS256", "k1", FIRST, claims(600)));
    assertEquals("sub-alice", claims.getString("sub"));
    assertEquals("alice", claims.getString("preferred_username"));
  }

  @Test
  void forgedExpiredForeignAndUnsignedTokensAreRefused() throws Exception {
    assertRefused(sign("RS256", "k1", FIRST, claims(600).put("iss", "https://evil.example.test/realms/red")), "another issuer");
    assertRefused(sign("RS256", "k1", FIRST, claims(-120)), "expired beyond the leeway");
    assertRefused(sign("RS256", "k1", FIRST, claims(600).copy().put("exp", (Object) null)), "no expiry");
    assertRefused(sign("RS256", "k1", SECOND, claims(600)), "signed by an unpublished key under a published kid");
    String good = sign("RS256", "k1", FIRST, claims(600));
    String[] parts = good.split("\\.");
    String promoted = B64URL.encodeToString(claims(600).put("sub", "sub-admin").encode().getBytes(StandardCharsets.UTF_8));
    assertRefused(parts[0] + "." + promoted + "." + parts[2], "payload changed after signing");
    String none = B64URL.encodeToString(new JsonObject().put("alg", "none").encode().getBytes(StandardCharsets.UTF_8));
    assertRefused(none + "." + parts[1] + ".", "alg none");
    String hs = B64URL.encodeToString(new JsonObject().put("alg", "HS256").put("kid", "k1").encode().getBytes(StandardCharsets.UTF_8));
    assertRefused(hs + "." + parts[1] + "." + parts[2], "HMAC with a public key");
    assertRefused("not-a-jwt", "garbage");
    assertEquals("sub-alice", verify(good).getString("sub"), "the genuine token still passes");
  }

  @Test
  void aRotatedKeyIsFetchedWhenATokenNamesItButUnknownKeysCannotHammerTheProvider() throws Exception {
    verify(sign("RS256", "k1", FIRST, claims(600)));
    assertEquals(1, fetches.get());
    published.add(jwk("k2", SECOND));
    Thread.sleep(1100);
    assertEquals("sub-alice", verify(sign("RS256", "k2", SECOND, claims(600))).getString("sub"), "new key fetched on its FIRST use");
    assertEquals(2, fetches.get());
    for (int i = 0; i < 5; i++) {
      assertRefused(sign("RS256", "random-" + i, SECOND, claims(600)), "unknown key id");
    }
    assertTrue(fetches.get() <= 3, "at most one refetch per interval, got " + fetches.get());
  }

  @Test
  void anAccessTokenIsForGauntletByAudienceOrAuthorizedParty() {
    List<String> ours = List.of("gauntlet");
    assertTrue(ProviderTokens.forAudience(new JsonObject().put("aud", "gauntlet"), ours));
    assertTrue(ProviderTokens.forAudience(new JsonObject().put("aud", new JsonArray().add("account").add("gauntlet")), ours));
    assertTrue(ProviderTokens.forAudience(new JsonObject().put("aud", "account").put("azp", "gauntlet"), ours));
    assertFalse(ProviderTokens.forAudience(new JsonObject().put("aud", "account").put("azp", "grafana"), ours));
    assertFalse(ProviderTokens.forAudience(new JsonObject(), ours));
  }

  @Test
  void anIdTokenMustBeForThisClientAndThisSignIn() {
    JsonObject id = new JsonObject().put("aud", "gauntlet").put("nonce", "n-1");
    assertTrue(ProviderTokens.validIdToken(id, "gauntlet", "n-1"));
    assertFalse(ProviderTokens.validIdToken(id, "gauntlet", "n-2"), "a replayed ID token of another sign-in");
    assertFalse(ProviderTokens.validIdToken(id.copy().put("aud", "grafana"), "gauntlet", "n-1"));
    assertFalse(ProviderTokens.validIdToken(id.copy().put("aud", new JsonArray().add("gauntlet").add("grafana")), "gauntlet", "n-1"),
        "several audiences need an authorized party");
    assertFalse(ProviderTokens.validIdToken(id.copy().put("azp", "grafana"), "gauntlet", "n-1"));
    assertFalse(ProviderTokens.validIdToken(new JsonObject().put("aud", "gauntlet"), "gauntlet", "n-1"), "no nonce");
  }

  private static JsonObject claims(long expiresIn) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", ISSUER).put("sub", "sub-alice").put("preferred_username", "alice")
        .put("iat", now - 10).put("exp", now + expiresIn);
  }

  private static String sign(String alg, String kid, KeyPair key, JsonObject claims) throws Exception {
    String header = B64URL.encodeToString(new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid).encode()
        .getBytes(StandardCharsets.UTF_8));
    String payload = B64URL.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key.getPrivate());
    s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + B64URL.encodeToString(s.sign());
  }

  private static JsonObject jwk(String kid, KeyPair key) {
    RSAPublicKey pub = (RSAPublicKey) key.getPublic();
    return new JsonObject().put("kid", kid).put("kty", "RSA").put("alg", "RS256").put("use", "sig")
        .put("n", B64URL.encodeToString(unsigned(pub.getModulus()))).put("e", B64URL.encodeToString(unsigned(pub.getPublicExponent())));
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
