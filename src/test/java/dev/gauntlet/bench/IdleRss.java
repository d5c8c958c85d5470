package dev.gauntlet.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The resident memory of the real jar at rest: started as users start it (jvm.options), with a fresh data
 * directory, measured a few seconds after it reports ready, then stopped with SIGTERM, which
 * must end it cleanly (exit 0).
 */
final class IdleRss {

  record Result(long rssKb, long readyMillis, int exitCode) {}

  private IdleRss() {}

  static Result measure(Path jar, long settleMillis) throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build with mvn -B -q -DskipTests package");
    }
    Path dir = Files.createTempDirectory("gauntlet-bench-rss-");
    Path log = dir.resolve("gauntlet.log");
    int port = freePort();
    // as the README starts it: the repository's JVM flags, the warm-up included
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + Path.of("jvm.options").toAbsolutePath(), "-jar", jar.toAbsolutePath().toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("GAUNTLET_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("GAUNTLET_GENERATORS_EGRESS_ALLOW_LOOPBACK", "true");
    pb.environment().put("GAUNTLET_HTTP_PORT", Integer.toString(port));
    pb.environment().put("GAUNTLET_ADMIN_PASSWORD", "bench-admin-password");
    long t0 = System.nanoTime();
    Process process = pb.start();
    try {
      waitReady(process, port, log);
      long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      Thread.sleep(settleMillis);
      long rss = vmRssKb(process.pid());
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gauntlet did not stop within 60 s of SIGTERM\n" + Files.readString(log));
      }
      int exit = process.exitValue();
      if (exit != 0) {
        throw new IllegalStateException("gauntlet exited " + exit + " after SIGTERM\n" + Files.readString(log));
      }
      return new Result(rss, readyMillis, exit);
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void waitReady(Process process, int port, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("gauntlet exited " + process.exitValue() + " before ready\n" + Files.readString(log));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("gauntlet not ready within 120 s\n" + Files.readString(log));
  }

  private static long vmRssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
