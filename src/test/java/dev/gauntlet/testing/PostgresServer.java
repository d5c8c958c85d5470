package dev.gauntlet.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server for tests: Debian's {@code postgresql} binaries
 * ({@code /usr/lib/postgresql/<version>/bin}, or {@code -Dgauntlet.pg.bin} / {@code PG_BIN}), a
 * cluster made by {@code initdb} under {@code target/pg-<pid>/}, listening on a free loopback port
 * only, with password sign-in. PostgreSQL refuses to run as root, so as root the server runs as
 * the {@code postgres} system user the package creates (or {@code nobody}) through {@code runuser}.
 *
 * <p>One server per test JVM ({@link #shared()}), stopped and deleted when the JVM exits; each test
 * takes a database of its own ({@link #database}). Started with fsync off: nothing here must
 * survive a power cut.
 */
public final class PostgresServer {

  public static final String USER = "gauntlet";
  public static final String PASSWORD = "gauntlet-test-password";
  private static PostgresServer shared;
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final Path dir;
  private final int port;
  private final Process process;

  private PostgresServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** The server of this JVM, started on first use. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      try {
        shared = start(Path.of("target", "pg-" + ProcessHandle.current().pid()).toAbsolutePath());
      } catch (Exception e) {
        throw new IllegalStateException("cannot start a test PostgreSQL server (on Debian: apt-get install postgresql): "
            + e.getMessage(), e);
      }
      PostgresServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "postgres-stop"));
    }
    return shared;
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of a database on this server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates a new, empty database (named after {@code hint}, made unique) and returns its JDBC URL. */
  public String database(String hint) {
    String name = (hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_" + NAMES.incrementAndGet());
    name = name.length() > 50 ? name.substring(name.length() - 50) : name;
    name = "t_" + name.replaceAll("^_+", "");
    return createDatabase(name);
  }

  /** Creates the database {@code name} if it does not exist yet; returns its JDBC URL. */
  public synchronized String createDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD); Statement s = c.createStatement()) {
      try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + name);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  /** A plain JDBC connection to a database of this server, outside any pool. */
  public Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, USER, PASSWORD);
  }

  /** The environment that points a Gauntlet jar's app database at {@code url}. */
  public Map<String, String> env(String url) {
    return Map.of("GAUNTLET_APPDB_URL", url, "GAUNTLET_APPDB_USER", USER, "GAUNTLET_APPDB_PASSWORD", PASSWORD);
  }

  /** The {@code conf.json} fragment ({@code appdb}) that does the same. */
  public io.vertx.core.json.JsonObject conf(String url) {
    return new io.vertx.core.json.JsonObject().put("url", url).put("user", USER).put("password", PASSWORD);
  }

  /** The directory of the PostgreSQL binaries, or null if none is installed. */
  public static Path binaries() {
    String configured = System.getProperty("gauntlet.pg.bin", System.getenv("PG_BIN"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(debian)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(debian)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name.replaceAll("\\D.*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static PostgresServer start(Path dir) throws Exception {
    Path bin = binaries();
    if (bin == null) {
      throw new IllegalStateException("no PostgreSQL binaries in /usr/lib/postgresql/*/bin (set -Dgauntlet.pg.bin or PG_BIN)");
    }
    String runAs = runAs();
    if (runAs != null && !reachable(runAs, dir.getParent())) {
      // a checkout in a private home (mode 0700) is out of the server user's reach: /tmp is not (stop() deletes it)
      dir = Files.createTempDirectory(Path.of("/tmp"), "gauntlet-pg-");
    }
    deleteTree(dir);
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
    if (runAs != null) {
      // the server's own user owns its files, and can reach them through target/
      run(List.of("chown", "-R", runAs, dir.toString()));
    }
    run(asUser(runAs, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
        "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync")));
    int port = freePort();
    List<String> server = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
        "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off",
        "-c", "full_page_writes=off", "-c", "shared_buffers=16MB", "-c", "max_connections=200", "-c", "log_min_messages=warning"));
    Process p = new ProcessBuilder(asUser(runAs, server)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    PostgresServer s = new PostgresServer(dir, port, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Connection c = DriverManager.getConnection(s.url("postgres"), USER, PASSWORD)) {
        return s;
      } catch (SQLException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          s.stop();
          throw new IllegalStateException("PostgreSQL did not start: " + Files.readString(dir.resolve("server.log")));
        }
        Thread.sleep(100);
      }
    }
  }

  /** Stops the server (a fast shutdown) and removes its files. */
  public synchronized void stop() {
    try {
      Path pidFile = dir.resolve("data").resolve("postmaster.pid");
      if (Files.isRegularFile(pidFile)) {
        // runuser may not pass a signal on: the postmaster itself gets SIGINT, PostgreSQL's fast shutdown
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        if (ProcessHandle.of(pid).isPresent()) {
          new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
      }
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      deleteTree(dir);
    } catch (Exception e) {
      System.err.println("could not stop the test PostgreSQL server in " + dir + ": " + e);
    }
  }

  /** The user the server runs as, when we are root; null to run as ourselves. */
  private static String runAs() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    id.waitFor();
    if (!uid.equals("0")) {
      return null;
    }
    Process known = new ProcessBuilder("id", "-u", "postgres").redirectErrorStream(true).start();
    known.getInputStream().readAllBytes();
    return known.waitFor() == 0 ? "postgres" : "nobody";
  }

  /** Whether {@code user} can reach into {@code dir} (every folder above it searchable). */
  private static boolean reachable(String user, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Process p = new ProcessBuilder(asUser(user, List.of("test", "-x", dir.toString()))).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  private static List<String> asUser(String user, List<String> command) {
    if (user == null) {
      return command;
    }
    List<String> out = new ArrayList<>(List.of("runuser", "-u", user, "--"));
    out.addAll(command);
    return out;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
