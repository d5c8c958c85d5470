package dev.gauntlet.it;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Gauntlet jar running as a child process over a data directory, as an operator runs
 * it. Tests start, stop (SIGTERM), kill (SIGKILL) and restart it over the same data.
 */
final class GauntletProcess implements AutoCloseable {

  static final String ADMIN_PASSWORD = "admin-password-for-tests";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Path dataDir;
  final int port;
  private final Map<String, String> env;
  private List<String> jvmArgs = List.of("-Xmx1g");
  private Process process;
  private HttpClient client = HTTP;
  private String scheme = "http";
  private Path log;
  private int starts;
  private String name = "";

  /** Names this process in its log files, for several processes over one data directory (a cluster's nodes). */
  GauntletProcess named(String name) {
    this.name = "-" + name;
    return this;
  }

  GauntletProcess(Path dataDir, Map<String, String> extraEnv) throws IOException {
    this.dataDir = dataDir;
    this.port = freePort();
    this.env = new HashMap<>(extraEnv);
  }

  /** Talks HTTPS to a server started with TLS, trusting what the given context trusts. */
  GauntletProcess tls(javax.net.ssl.SSLContext trust) {
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trust).build();
    scheme = "https";
    return this;
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + port + path);
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("gauntlet.jar", "target/gauntlet.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the jar first: " + jar + " is missing");
    }
    return jar;
  }

  /** JVM flags for the next starts, instead of {@code -Xmx1g}. */
  GauntletProcess jvm(String... args) {
    this.jvmArgs = List.of(args);
    return this;
  }

  long pid() {
    return process.pid();
  }

  /** Starts the jar and waits until /ready answers 200. */
  GauntletProcess start() throws Exception {
    launch();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("gauntlet exited with " + process.exitValue() + " during start:\n" + output());
      }
      try {
        if (raw("GET", "/ready", null, null).status() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("gauntlet did not become ready:\n" + output());
  }

  /** Starts the jar and waits for it to exit by itself, for starts that must be refused. */
  int startExpectingExit(long seconds) throws Exception {
    launch();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("gauntlet kept running:\n" + output());
    }
    return process.exitValue();
  }

  private Path serverTmp;

  private void launch() throws IOException {
    Files.createDirectories(Path.of("target", "it-logs"));
    log = Path.of("target", "it-logs", dataDir.getParent().getFileName() + "-" + dataDir.getFileName() + name + "-" + (++starts) + ".log");
    List<String> command = new java.util.ArrayList<>();
    command.add(javaBin());
    // started as the README starts it, with the repository's JVM flags (a test's own flags come after and win)
    command.add("@" + Path.of("jvm.options").toAbsolutePath());
    // the server's own temporary files (DuckDB's extracted library, Vert.x's file cache) in the test run's
    // temporary folder, emptied when the run ends: a server killed with SIGKILL cannot delete them itself.
    // Not in its working directory, which tests check the server leaves as it found it.
    if (serverTmp == null) {
      serverTmp = Files.createTempDirectory("server-tmp");
    }
    command.add("-Djava.io.tmpdir=" + serverTmp);
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(dataDir.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("GAUNTLET_") || k.equals("PYRIT_DB_SALT"));
    pb.environment().put("GAUNTLET_DATA_DIR", dataDir.toString());
    pb.environment().put("GAUNTLET_HTTP_PORT", Integer.toString(port));
    pb.environment().put("GAUNTLET_HTTP_HOST", "127.0.0.1");
    pb.environment().put("GAUNTLET_ADMIN_PASSWORD", ADMIN_PASSWORD);
    // the warm-up only makes executions faster; it costs seconds at every start, so tests that want it ask for it
    pb.environment().put("GAUNTLET_ORCHESTRATOR_WARMUP_PROMPTS", "0");
    // the fake targets listen on loopback; EgressIT turns this off to prove the default
    pb.environment().put("GAUNTLET_GENERATORS_EGRESS_ALLOW_LOOPBACK", "true");
    pb.environment().putAll(env);
    process = pb.start();
  }

  /** SIGTERM; returns the exit code. */
  int stop() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("gauntlet did not stop on SIGTERM:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no checkpoint, nothing flushed by us. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String output() {
    try {
      return log == null ? "" : Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The log's length in bytes so far, to read only what a later request adds ({@link #outputFrom}). */
  long outputLength() {
    try {
      return log == null ? 0 : Files.size(log);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The log from a byte offset on. */
  String outputFrom(long offset) {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
      long from = Math.min(offset, f.length());
      byte[] b = new byte[(int) Math.min(f.length() - from, 1 << 20)];
      f.seek(from);
      f.readFully(b);
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  // --- HTTP ---------------------------------------------------------------------------------

  record Response(int status, String text) {
    JsonObject json() {
      return new JsonObject(text);
    }

    String errorCode() {
      return json().getJsonObject("error").getString("code");
    }
  }

  Response raw(String method, String path, String token, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  Response rawBytes(String method, String path, String token, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  Response get(String path, String token) throws Exception {
    return raw("GET", path, token, null);
  }

  Response post(String path, String token, JsonObject body) throws Exception {
    return raw("POST", path, token, body == null ? null : body.encode());
  }

  Response put(String path, String token, JsonObject body) throws Exception {
    return raw("PUT", path, token, body.encode());
  }

  Response delete(String path, String token) throws Exception {
    return raw("DELETE", path, token, null);
  }

  /** Signs in and returns the access token, failing the test if sign-in fails. */
  String token(String login, String password) throws Exception {
    Response r = post("/api/v1/auth/token", null, new JsonObject().put("username", login).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError("sign-in as " + login + " failed: " + r);
    }
    return r.json().getString("access_token");
  }

  String adminToken() throws Exception {
    return token("admin", ADMIN_PASSWORD);
  }

  /** Creates a user as admin and returns a token for them. */
  String newUser(String adminToken, String username) throws Exception {
    Response r = post("/api/v1/admin/users", adminToken, new JsonObject().put("username", username)
        .put("password", username + "-password").put("roles", new io.vertx.core.json.JsonArray(List.of("user"))));
    if (r.status() != 201) {
      throw new AssertionError("creating " + username + " failed: " + r);
    }
    return token(username, username + "-password");
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
