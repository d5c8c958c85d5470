package dev.gauntlet.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in through a real Keycloak: the browser's code flow with PKCE (Keycloak's own login form,
 * in headless Chromium), bearer tokens from Keycloak on REST and the event-bus bridge, realm and
 * client roles mapped to Gauntlet's, a rename at Keycloak that moves nobody's memory, logout at
 * both ends, and tokens of another realm or tampered with refused.
 *
 * <p>Keycloak is reached as {@code localhost} and Gauntlet as {@code 127.0.0.1}: two sites, so
 * the provider's redirect back is cross-site, as in a real deployment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakIT {

  static final String REALM = "gauntlet";
  static final String CLIENT = "gauntlet";
  static final String SECRET = "gauntlet-test-secret";
  /** The memory salt, known here so the test can name the file ViolentUTF would open. */
  static final String SALT = "keycloak-it-salt";

  static Keycloak keycloak;
  static GauntletProcess g;
  static WebDriver browser;
  static WebDriverWait wait;
  static Vertx vertx;
  static long classStarted;

  @BeforeAll
  static void start() throws Exception {
    classStarted = System.nanoTime();
    boolean chromium = Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER);
    if (!chromium && System.getenv("CI") == null) {
      Assumptions.abort("KeycloakIT skipped: install chromium and chromium-driver; under CI it is required");
    }
    assertTrue(chromium, "CI is set but " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER + " is missing");
    keycloak = new Keycloak();
    Path tmp = Files.createTempDirectory("gauntlet-keycloak");
    g = new GauntletProcess(tmp.resolve("data"), Map.of(
        "GAUNTLET_AUTH_OIDC_ENABLED", "true",
        "GAUNTLET_AUTH_OIDC_ISSUER", keycloak.issuer(REALM),
        "GAUNTLET_AUTH_OIDC_CLIENT_ID", CLIENT,
        "GAUNTLET_AUTH_OIDC_CLIENT_SECRET", SECRET,
        "GAUNTLET_AUTH_OIDC_ADMIN_ROLES", "gauntlet-admin",
        "GAUNTLET_AUTH_OIDC_USER_ROLES", "operator",
        "PYRIT_DB_SALT", SALT));
    String gauntletUrl = "http://127.0.0.1:" + g.port;
    keycloak.start(Map.of("gauntlet-realm.json", Keycloak.realm("gauntlet-realm.json", gauntletUrl),
        "other-realm.json", Keycloak.realm("other-realm.json", gauntletUrl)));
    // Gauntlet and the browser start while Keycloak boots: Gauntlet discovers the provider when first needed
    g.start();
    ChromeOptions options = new ChromeOptions().setBinary(Browser.CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Browser.CHROMEDRIVER.toFile())
        .usingAnyFreePort().build(), options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    vertx = Vertx.vertx();
    double seconds = keycloak.awaitReady("other", 300);
    System.out.printf("KeycloakIT: Keycloak started in %.1f s%n", seconds);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (g != null) {
      g.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
    System.out.printf("KeycloakIT: whole class took %.1f s%n", (System.nanoTime() - classStarted) / 1e9);
  }

  static String accessToken(String realm, String user) throws Exception {
    return keycloak.tokens(realm, CLIENT, SECRET, user, user + "-password").getString("access_token");
  }

  @Test
  @Order(1)
  void providerAccessTokensWorkOnRestAndTheBridgeWithMappedRoles() throws Exception {
    String alice = accessToken(REALM, "alice");
    JsonObject me = g.get("/api/v1/auth/me", alice).json();
    assertEquals("alice", me.getString("username"));
    assertEquals(List.of("admin", "user"), me.getJsonArray("roles").getList(), "realm role gauntlet-admin maps to admin");
    assertEquals(200, g.get("/api/v1/admin/users", alice).status());

    String bob = accessToken(REALM, "bob");
    assertEquals(List.of("user"), g.get("/api/v1/auth/me", bob).json().getJsonArray("roles").getList(),
        "client role gauntlet.operator maps to user");
    GauntletProcess.Response denied = g.get("/api/v1/admin/users", bob);
    assertEquals(403, denied.status(), denied.text());

    GauntletProcess.Response carol = g.get("/api/v1/auth/me", accessToken(REALM, "carol"));
    assertEquals(403, carol.status(), "no mapped role, no access: " + carol.text());

    GauntletProcess.Response created = g.post("/api/v1/generators", bob,
        new JsonObject().put("name", "bob-via-rest").put("type", "simulated"));
    assertEquals(201, created.status(), created.text());
    JsonObject overBus = busRequest(bob, "generators.get", new JsonObject().put("id", created.json().getString("id")));
    assertEquals("rec", overBus.getString("type"), overBus.encode());
    assertEquals("bob-via-rest", overBus.getJsonObject("body").getString("name"), "the bridge reaches the same memory as REST");
    assertEquals("bob", busRequest(bob, "auth.me", new JsonObject()).getJsonObject("body").getString("username"));
  }

  @Test
  @Order(2)
  void tokensOfAnotherRealmOrTamperedWithAreRefused() throws Exception {
    String impostor = accessToken("other", "alice");
    assertEquals(401, g.get("/api/v1/auth/me", impostor).status(), "same names, another issuer and keys");
    assertEquals(401, g.get("/api/v1/admin/users", impostor).status());
    assertNotEquals("rec", busRequest(impostor, "auth.me", new JsonObject()).getString("type"), "the bridge refuses it too");

    String bob = accessToken(REALM, "bob");
    String[] parts = bob.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("realm_access", new JsonObject().put("roles", new JsonArray().add("gauntlet-admin")));
    String promoted = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(401, g.get("/api/v1/admin/users", parts[0] + "." + promoted + "." + parts[2]).status(), "payload changed after signing");
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(401, g.get("/api/v1/auth/me", none + "." + promoted + ".").status(), "unsigned");
    assertEquals(200, g.get("/api/v1/auth/me", bob).status(), "the genuine token still works");
  }

  @Test
  @Order(3)
  void aProviderNameTakenByALocalUserGetsAnotherNameAndMemory() throws Exception {
    String localDave = g.newUser(g.adminToken(), "dave");
    JsonObject local = g.get("/api/v1/auth/me", localDave).json();
    JsonObject fromKeycloak = g.get("/api/v1/auth/me", accessToken(REALM, "dave")).json();
    assertEquals("dave-2", fromKeycloak.getString("username"));
    assertNotEquals(local.getString("id"), fromKeycloak.getString("id"));
    assertNotEquals(local.getString("memory_file"), fromKeycloak.getString("memory_file"));
  }

  @Test
  @Order(4)
  void browserSignInThroughKeycloakLandsHomeAsTheFrozenUsername() throws Exception {
    signInThroughKeycloak("bob", "bob-password");
    assertEquals("bob", browser.findElement(By.id("who")).getText());
    JsonObject bob = registered("bob");
    assertEquals(keycloak.issuer(REALM), bob.getString("issuer"));
    assertEquals(keycloak.user(REALM, "bob").getString("id"), bob.getString("subject"), "keyed by Keycloak's subject");
  }

  @Test
  @Order(5)
  void signingOutEndsTheGauntletSessionAndTheKeycloakSession() throws Exception {
    String bobAtKeycloak = keycloak.user(REALM, "bob").getString("id");
    // the password grants of the bearer tests made sessions of their own; the browser's is one more
    int sessionsBefore = keycloak.sessions(REALM, bobAtKeycloak).size();
    browser.get(gauntlet("/"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("logout"))).click();
    wait.until(d -> d.getCurrentUrl().equals(gauntlet("/login")));
    browser.get(gauntlet("/"));
    wait.until(d -> d.getCurrentUrl().equals(gauntlet("/login")));
    assertEquals(sessionsBefore - 1, keycloak.sessions(REALM, bobAtKeycloak).size(), "the browser's session ended at Keycloak");
    browser.findElement(By.id("sign-in-sso")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
    assertTrue(browser.getCurrentUrl().startsWith(keycloak.url()), "Keycloak asks for credentials again: " + browser.getCurrentUrl());
  }

  @Test
  @Order(6)
  void aRenameAtKeycloakKeepsTheSameUserAndMemory() throws Exception {
    JsonObject before = registered("bob");
    keycloak.rename(REALM, "bob", "robert");
    signInThroughKeycloak("robert", "bob-password");
    assertEquals("bob", browser.findElement(By.id("who")).getText(), "the frozen username, not the new preferred_username");
    JsonObject after = registered("bob");
    assertEquals(before.getString("id"), after.getString("id"));
    assertEquals(before.getString("memory_file"), after.getString("memory_file"));
    assertTrue(users().stream().noneMatch(u -> "robert".equals(((JsonObject) u).getString("username"))), "nobody named robert");
    String robert = keycloak.tokens(REALM, CLIENT, SECRET, "robert", "bob-password").getString("access_token");
    assertEquals(before.getString("memory_file"), g.get("/api/v1/auth/me", robert).json().getString("memory_file"));
  }

  @Test
  @Order(7)
  void aNameWithAnAccentSignsInThroughKeycloakAndGetsViolentUtfsMemoryFile() throws Exception {
    // the realm's user profile checks a username's length only: Keycloak's default validators leave a Han name
    // such as 张伟 "not fully set up" (no token), as an operator with such users would configure it too
    String[][] users = {{"ren\u00e9e", "ren\u00e9e-password", "ren\u00e9e"}, {"\u5f20\u4f1f", "\u5f20\u4f1f-password", "\u5f20\u4f1f"}};
    for (String[] u : users) {
      String token = keycloak.tokens(REALM, CLIENT, SECRET, u[0], u[1]).getString("access_token");
      JsonObject me = g.get("/api/v1/auth/me", token).json();
      assertEquals(u[2], me.getString("username"), "the name keeps its characters");
      assertEquals(violentUtfMemoryFile(u[2]), me.getString("memory_file"));
      assertEquals(me.getString("memory_file"), registered(u[2]).getString("memory_file"));
    }
  }

  /** {@code pyrit_memory_<hex sha256(salt ‖ NFC name)>.db}, computed here as ViolentUTF computes it. */
  private static String violentUtfMemoryFile(String name) throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update(SALT.getBytes(StandardCharsets.UTF_8));
    sha.update(java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
    return "pyrit_memory_" + java.util.HexFormat.of().formatHex(sha.digest()) + ".db";
  }

  private static String gauntlet(String path) {
    return "http://127.0.0.1:" + g.port + path;
  }

  /** From Gauntlet's sign-in page, through Keycloak's form, back to Gauntlet's home. */
  private static void signInThroughKeycloak(String username, String password) {
    browser.get(gauntlet("/login"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-sso"))).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("kc-login")).click();
    wait.until(d -> d.getCurrentUrl().equals(gauntlet("/")));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("who")));
  }

  private static JsonArray users() throws Exception {
    return g.get("/api/v1/admin/users", g.adminToken()).json().getJsonArray("items");
  }

  private static JsonObject registered(String username) throws Exception {
    return users().stream().map(JsonObject.class::cast).filter(u -> username.equals(u.getString("username")))
        .findFirst().orElseThrow(() -> new AssertionError("no user " + username));
  }

  /** One request over the event-bus bridge on a socket authenticated by this bearer token. */
  private static JsonObject busRequest(String token, String op, JsonObject args) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(g.port)
            .setURI("/eventbus/websocket").addHeader("Authorization", "Bearer " + token))
        .onSuccess(w -> {
          w.handler(b -> frames.add(new JsonObject(b)));
          w.closeHandler(v -> closed.complete(null));
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      ws.writeTextMessage(new JsonObject().put("type", "send").put("address", "gauntlet.api").put("replyAddress", UUID.randomUUID().toString())
          .put("body", new JsonObject().put("op", op).put("args", args)).encode());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        JsonObject reply = frames.poll(200, TimeUnit.MILLISECONDS);
        if (reply != null) {
          return reply;
        }
        if (closed.isDone()) {
          return new JsonObject().put("type", "closed");
        }
      }
      throw new AssertionError("no reply and no close from the bridge");
    } catch (IllegalStateException refusedBeforeWrite) {
      return new JsonObject().put("type", "closed");
    } finally {
      client.close();
    }
  }
}
