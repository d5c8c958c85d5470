package dev.gauntlet.auth;

import dev.gauntlet.testing.AppDbBackend;
import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.appdb.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class AuthenticatorTest {

  /** The app database these tests run on; {@link AuthenticatorOnPostgresTest} runs them all on PostgreSQL. */
  AppDbBackend backend() {
    return AppDbBackend.SQLITE;
  }

  private static final String SECRET = "dGVzdC1zZWNyZXQtdGhhdC1pcy0zMi1ieXRlcy1sb25nIQ==";
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  @TempDir
  Path dir;

  private Vertx vertx;
  private AppDatabase db;
  private Users users;
  private ApiKeys keys;
  private Authenticator auth;
  private UserRecord alice;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    db = backend().open(dir.resolve("gauntlet.db"));
    Pool pool = db.pool(vertx);
    users = new Users(vertx, db, pool);
    keys = new ApiKeys(pool);
    auth = new Authenticator(vertx, SECRET, users, keys, 3600);
    alice = await(users.createLocal("alice", HASH, List.of("user"), "pyrit_memory_alice.db"));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result in time", e);
    }
  }

  private void assertUnauthorized(String bearer) {
    Problem p = assertThrows(Problem.class, () -> await(auth.authenticate(bearer, "127.0.0.1")), bearer);
    assertEquals(401, p.status(), p.getMessage());
  }

  /** A JWT assembled by hand, signed HS256 with {@code secret} (or unsigned for alg none). */
  private static String jwt(String alg, JsonObject claims, String secret) throws Exception {
    String header = B64URL.encodeToString(new JsonObject().put("alg", alg).put("typ", "JWT").encode().getBytes(StandardCharsets.UTF_8));
    String payload = B64URL.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    String signingInput = header + "." + payload;
    if (secret == null) {
      return signingInput + ".";
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signingInput + "." + B64URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
  }

  private JsonObject claims(String subject, long expiresAt) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", subject).put("iss", "gauntlet").put("iat", now - 60).put("exp", expiresAt);
  }

  @Test
  void issuedTokenAuthenticatesItsUser() {
    Caller c = await(auth.authenticate(auth.issueToken(alice), "127.0.0.1"));
    assertEquals(alice.id(), c.userId());
    assertEquals("alice", c.username());
    assertEquals("pyrit_memory_alice.db", c.memoryFile());
    assertEquals("token", c.credential());
    assertTrue(c.can(Caller.READ) && c.can(Caller.WRITE));
    assertFalse(c.isAdmin(), "a plain user gets no admin scope");
  }

  @Test
  void tokensOfDifferentUsersAuthenticateThoseUsers() {
    UserRecord bob = await(users.createLocal("bob", HASH, List.of("user"), "pyrit_memory_bob.db"));
    assertEquals("bob", await(auth.authenticate(auth.issueToken(bob), null)).username());
    assertEquals("alice", await(auth.authenticate(auth.issueToken(alice), null)).username());
  }

  @Test
  void handCraftedTokenWithOurSecretIsAccepted() throws Exception {
    // the control for the crafted-token tests below: the same construction with a valid expiry passes
    String token = jwt("HS256", claims(alice.id(), Instant.now().getEpochSecond() + 600), SECRET);
    assertEquals(alice.id(), await(auth.authenticate(token, null)).userId());
  }

  @Test
  void tokenSignedWithAnotherSecretFails() throws Exception {
    Authenticator other = new Authenticator(vertx, "b3RoZXItc2VjcmV0LW9mLXRoaXJ0eS10d28tYnl0ZXMh", users, keys, 3600);
    assertUnauthorized(other.issueToken(alice));
    assertUnauthorized(jwt("HS256", claims(alice.id(), Instant.now().getEpochSecond() + 600), "not-our-secret"));
  }

  @Test
  void expiredTokenFails() throws Exception {
    assertUnauthorized(jwt("HS256", claims(alice.id(), Instant.now().getEpochSecond() - 60), SECRET));
  }

  @Test
  void unsignedAlgNoneTokenFails() throws Exception {
    assertUnauthorized(jwt("none", claims(alice.id(), Instant.now().getEpochSecond() + 600), null));
  }

  @Test
  void tokenFromAnotherIssuerFails() throws Exception {
    assertUnauthorized(jwt("HS256", claims(alice.id(), Instant.now().getEpochSecond() + 600).put("iss", "someone-else"), SECRET));
  }

  @Test
  void tokenForUnknownUserFails() throws Exception {
    assertUnauthorized(jwt("HS256", claims(UUID.randomUUID().toString(), Instant.now().getEpochSecond() + 600), SECRET));
  }

  @Test
  void garbageOrMissingCredentialFails() {
    assertUnauthorized("garbage");
    assertUnauthorized("a.b.c");
    assertUnauthorized("");
    assertUnauthorized(null);
  }

  private Authenticator.NewKey storeKey(List<String> scopes, String expiresAt) {
    Authenticator.NewKey k = Authenticator.newKey();
    await(keys.create(k.id(), alice.id(), "ci", k.prefix(), k.hash(), scopes, expiresAt));
    return k;
  }

  @Test
  void apiKeyAuthenticatesItsOwnerWithItsScopes() {
    Authenticator.NewKey k = storeKey(List.of(Caller.READ), null);
    Caller c = await(auth.authenticate(k.key(), "10.0.0.1"));
    assertEquals(alice.id(), c.userId());
    assertEquals("alice", c.username());
    assertEquals("api_key", c.credential());
    assertEquals(k.id(), c.keyId());
    assertEquals(Set.of(Caller.READ), c.scopes());
  }

  @Test
  void apiKeyCannotGrantAdminToANonAdmin() {
    Authenticator.NewKey k = storeKey(List.of(Caller.READ, Caller.ADMIN), null);
    Caller c = await(auth.authenticate(k.key(), null));
    assertEquals(Set.of(Caller.READ), c.scopes());
    assertFalse(c.isAdmin());
  }

  @Test
  void revokedApiKeyFails() {
    Authenticator.NewKey k = storeKey(List.of(Caller.READ, Caller.WRITE), null);
    await(auth.authenticate(k.key(), null));
    await(keys.revoke(alice.id(), k.id()));
    assertUnauthorized(k.key());
  }

  @Test
  void expiredApiKeyFails() {
    Authenticator.NewKey k = storeKey(List.of(Caller.READ), Instant.now().minusSeconds(60).toString());
    assertUnauthorized(k.key());
    Authenticator.NewKey later = storeKey(List.of(Caller.READ), Instant.now().plusSeconds(3600).toString());
    assertEquals(alice.id(), await(auth.authenticate(later.key(), null)).userId());
  }

  @Test
  void unknownOrAlteredApiKeyFails() {
    Authenticator.NewKey k = storeKey(List.of(Caller.READ), null);
    assertUnauthorized(k.key() + "x");
    assertUnauthorized(Authenticator.newKey().key());
  }

  @Test
  void anotherUserCannotRevokeSomeonesKey() {
    UserRecord bob = await(users.createLocal("bob", HASH, List.of("user"), "pyrit_memory_bob.db"));
    Authenticator.NewKey k = storeKey(List.of(Caller.READ), null);
    assertEquals(404, assertThrows(Problem.class, () -> await(keys.revoke(bob.id(), k.id()))).status());
    assertEquals(alice.id(), await(auth.authenticate(k.key(), null)).userId());
  }

  @Test
  void apiKeysAreStoredOnlyAsHashes() throws Exception {
    Authenticator.NewKey k = storeKey(List.of(Caller.READ), null);
    String secretPart = k.key().substring(k.prefix().length() + 1);
    assertTrue(k.key().startsWith("gk_") && secretPart.length() >= 43, k.key());
    int cells = 0;
    try (Connection c = backend().connect(dir.resolve("gauntlet.db"));
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM api_keys")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String v = rs.getString(i);
          cells++;
          assertFalse(v != null && (v.contains(k.key()) || v.contains(secretPart)),
              "column " + md.getColumnName(i) + " holds the key text");
        }
      }
    }
    assertTrue(cells > 0, "the key row was read");
    // the stored hash is the key's SHA-256, computed here independently
    String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(k.key().getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, k.hash());
    assertTrue(await(keys.byHash(expected)).isPresent());
    assertNull(await(keys.byHash(expected)).get().revokedAt());
  }
}
