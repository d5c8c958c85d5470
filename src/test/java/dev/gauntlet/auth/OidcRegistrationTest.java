package dev.gauntlet.auth;

import dev.gauntlet.testing.AppDbBackend;
import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.config.OidcConfig;
import dev.gauntlet.memory.MemoryPaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who a provider's sign-in becomes: issuer + subject keep one Gauntlet user whose username, and
 * so memory file, is frozen at the first sign-in, over a real app database.
 */
@ExtendWith(VertxExtension.class)
class OidcRegistrationTest {

  /** The app database these tests run on; {@link OidcRegistrationOnPostgresTest} runs them all on PostgreSQL. */
  AppDbBackend backend() {
    return AppDbBackend.SQLITE;
  }

  private static final String ISSUER = "https://sso.example.test/realms/red";
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

  @TempDir
  Path dir;

  private AppDatabase db;
  private Users users;
  private MemoryPaths paths;
  private Oidc oidc;

  @BeforeEach
  void setUp(Vertx vertx) {
    db = backend().open(dir.resolve("gauntlet.db"));
    users = new Users(vertx, db, db.pool(vertx));
    paths = new MemoryPaths(dir.resolve("memory"), "salt".getBytes(StandardCharsets.UTF_8));
    oidc = new Oidc(vertx, OidcConfig.from(new JsonObject().put("enabled", true).put("issuer", ISSUER).put("clientId", "gauntlet")
        .put("adminRoles", new JsonArray().add("lead")).put("userRoles", new JsonArray().add("tester"))), users, paths);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static JsonObject token(String subject, String preferredUsername, String... realmRoles) {
    return new JsonObject().put("iss", ISSUER).put("sub", subject).put("preferred_username", preferredUsername)
        .put("realm_access", new JsonObject().put("roles", new JsonArray(List.of(realmRoles))));
  }

  private UserRecord signIn(JsonObject claims) throws Exception {
    return await(oidc.register(claims, true, claims));
  }

  @Test
  void firstSignInFreezesTheUsernameThatNamesTheMemoryFile() throws Exception {
    UserRecord bob = signIn(token("sub-bob", "bob", "tester"));
    assertEquals("bob", bob.username());
    assertEquals(ISSUER, bob.issuer());
    assertEquals("sub-bob", bob.subject());
    assertEquals(paths.fileName("bob"), bob.memoryFile());
    assertEquals(List.of("user"), bob.roles());
  }

  @Test
  void aRenameAtTheProviderKeepsTheUserAndTheirMemory() throws Exception {
    UserRecord before = signIn(token("sub-bob", "bob", "tester"));
    UserRecord after = signIn(token("sub-bob", "robert", "tester"));
    assertEquals(before.id(), after.id());
    assertEquals("bob", after.username(), "the username stays as frozen");
    assertEquals(before.memoryFile(), after.memoryFile());
    assertEquals(1L, await(users.count()));
    // and someone who later calls themselves bob at the provider is someone else
    UserRecord newcomer = signIn(token("sub-other", "bob", "tester"));
    assertNotEquals(before.id(), newcomer.id());
    assertEquals("bob-2", newcomer.username());
    assertNotEquals(before.memoryFile(), newcomer.memoryFile());
  }

  @Test
  void aNameTakenByALocalAccountGetsASuffixAndItsOwnMemory() throws Exception {
    UserRecord local = await(users.createLocal("alice", HASH, List.of("admin", "user"), paths.fileName("alice")));
    UserRecord fromProvider = signIn(token("sub-alice", "alice", "lead"));
    assertEquals("alice-2", fromProvider.username());
    assertNotEquals(local.memoryFile(), fromProvider.memoryFile());
    assertEquals(paths.fileName("alice-2"), fromProvider.memoryFile());
    // case does not make a name free: "Alice" would look like the local user
    assertEquals("Alice-3", signIn(token("sub-alice-caps", "Alice", "tester")).username());
    // the local account is untouched and still signs in as itself
    assertEquals(local.memoryFile(), await(users.byLogin("alice")).orElseThrow().memoryFile());
  }

  @Test
  void rolesFollowTheProviderAtEverySignIn() throws Exception {
    UserRecord promoted = signIn(token("sub-carol", "carol", "tester", "lead"));
    assertEquals(List.of("admin", "user"), promoted.roles());
    UserRecord demoted = signIn(token("sub-carol", "carol", "tester"));
    assertEquals(List.of("user"), demoted.roles());
    assertEquals(List.of("user"), await(users.byId(promoted.id())).orElseThrow().roles(), "stored, not only answered");
  }

  @Test
  void anAccountWithoutAMappedRoleIsRefusedAndNotRegistered() throws Exception {
    Problem p = assertThrows(Problem.class, () -> signIn(token("sub-dan", "dan", "offline_access")));
    assertEquals(403, p.status());
    assertEquals(0L, await(users.count()));
  }

  @Test
  void onlyTokensNamingTheConfiguredIssuerGoToTheProvider() {
    assertTrue(oidc.issued(unverified(ISSUER)));
    assertTrue(oidc.issued(unverified(ISSUER + "/")), "the discovery document may spell it with a final slash");
    assertFalse(oidc.issued(unverified("https://sso.example.test/realms/other")));
    assertFalse(oidc.issued(unverified("gauntlet")), "Gauntlet's own tokens stay Gauntlet's");
    assertFalse(oidc.issued("gk_12345678_secret"));
  }

  private static String unverified(String issuer) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(new JsonObject().put("iss", issuer).encode().getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }

  @Test
  void aTokenWithoutSubjectIsRefused() {
    Problem p = assertThrows(Problem.class, () -> signIn(token("sub", "x", "tester").put("sub", "")));
    assertEquals(401, p.status());
  }
}
