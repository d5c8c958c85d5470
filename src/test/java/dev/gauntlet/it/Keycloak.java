package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak, run from the {@code org.keycloak:keycloak-quarkus-dist} distribution that the
 * build unpacks under {@code target/keycloak} ({@code kc.sh start-dev}, in-memory database,
 * realms imported from test resources, loopback only). Its JVM is the test's own unless
 * {@code -Dkeycloak.java.home} or {@code KEYCLOAK_JAVA_HOME} names another.
 */
final class Keycloak implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final int port;
  final String adminPassword = UUID.randomUUID().toString();
  private final Path home;
  private Process process;
  private Path log;
  private long startedNanos;

  Keycloak() throws IOException {
    this.home = home();
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
  }

  static Path home() {
    String configured = System.getProperty("keycloak.home");
    Path home = configured == null ? null : Path.of(configured);
    if (home == null || !Files.isExecutable(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException("no Keycloak distribution at " + home + ": run the test through 'mvn verify', whose "
          + "pre-integration-test phase unpacks org.keycloak:keycloak-quarkus-dist there (keycloak.home)");
    }
    return home;
  }

  static Path javaHome() {
    String configured = System.getProperty("keycloak.java.home", System.getenv("KEYCLOAK_JAVA_HOME"));
    Path java = Path.of(configured != null && !configured.isBlank() ? configured : System.getProperty("java.home"));
    if (!Files.isExecutable(java.resolve("bin/java"))) {
      throw new IllegalStateException("keycloak.java.home / KEYCLOAK_JAVA_HOME " + java + " holds no bin/java");
    }
    return java;
  }

  /** The base URL, by name rather than address so that Gauntlet at 127.0.0.1 is a different site, as in production. */
  String url() {
    return "http://localhost:" + port;
  }

  String issuer(String realm) {
    return url() + "/realms/" + realm;
  }

  /** Starts Keycloak on a fresh database importing these realm files (resource name → text); returns at once. */
  Keycloak start(Map<String, String> realms) throws IOException {
    Path data = home.resolve("data");
    if (Files.exists(data)) {
      try (Stream<Path> old = Files.walk(data)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Path imports = Files.createDirectories(data.resolve("import"));
    for (Map.Entry<String, String> realm : realms.entrySet()) {
      Files.writeString(imports.resolve(realm.getKey()), realm.getValue());
    }
    Files.createDirectories(Path.of("target", "it-logs"));
    log = Path.of("target", "it-logs", "keycloak.log");
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--import-realm",
        "--http-port=" + port, "--http-host=127.0.0.1", "--db=dev-mem")
        .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", javaHome().toString());
    pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    // a test Keycloak lives for a minute: the quick compiler alone starts it sooner on two cores
    pb.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
    pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
    pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    startedNanos = System.nanoTime();
    process = pb.start();
    return this;
  }

  /** Waits until every realm answers its discovery document; returns the seconds Keycloak took to start. */
  double awaitReady(String realm, long timeoutSeconds) throws Exception {
    long deadline = startedNanos + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " (JVM " + javaHome() + "):\n" + output());
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer(realm) + "/.well-known/openid-configuration"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return (System.nanoTime() - startedNanos) / 1e9;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("Keycloak did not start within " + timeoutSeconds + " s:\n" + output());
  }

  /** An access token by the password grant (the client allows direct access grants). */
  JsonObject tokens(String realm, String client, String secret, String username, String password) throws Exception {
    HttpResponse<String> r = form(issuer(realm) + "/protocol/openid-connect/token", Map.of("grant_type", "password",
        "client_id", client, "client_secret", secret, "username", username, "password", password, "scope", "openid"));
    if (r.statusCode() != 200) {
      throw new AssertionError("token for " + username + " in " + realm + ": " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** Finds a user in a realm through the admin REST API. */
  JsonObject user(String realm, String username) throws Exception {
    JsonArray found = new JsonArray(admin("GET", "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8),
        realm, null).body());
    if (found.size() != 1) {
      throw new AssertionError("expected one user " + username + " in " + realm + ", got " + found);
    }
    return found.getJsonObject(0);
  }

  /** Renames a user through the admin REST API: what preferred_username becomes at their next sign-in. */
  void rename(String realm, String username, String newName) throws Exception {
    JsonObject user = user(realm, username);
    HttpResponse<String> r = admin("PUT", "/users/" + user.getString("id"), realm, user.put("username", newName).encode());
    if (r.statusCode() != 204) {
      throw new AssertionError("rename " + username + ": " + r.statusCode() + " " + r.body());
    }
  }

  /** The user's active sessions at Keycloak. */
  JsonArray sessions(String realm, String userId) throws Exception {
    return new JsonArray(admin("GET", "/users/" + userId + "/sessions", realm, null).body());
  }

  private HttpResponse<String> admin(String method, String path, String realm, String body) throws Exception {
    String token = tokens("master", "admin-cli", "", "admin", adminPassword).getString("access_token");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/admin/realms/" + realm + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> form(String url, Map<String, String> fields) throws Exception {
    String body = fields.entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A realm file from the test resources, with the Gauntlet URL its client redirects to filled in. */
  static String realm(String resource, String gauntletUrl) throws IOException {
    try (InputStream in = Keycloak.class.getResourceAsStream("/keycloak/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource keycloak/" + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@GAUNTLET_URL@", gauntletUrl);
    }
  }

  String output() {
    try {
      return log == null ? "" : Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops kc.sh and the JVM it forked. */
  @Override
  public void close() throws Exception {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
