package dev.gauntlet.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Java program run as a separate process, as an operator runs it: its own JVM, its output in a
 * log file, its resident memory read from {@code /proc}. Used for both sides of the execution
 * benchmark, so neither shares a heap, a JIT or an event loop with the other or with the bench.
 */
final class ChildJvm implements AutoCloseable {

  final String name;
  final Path log;
  private final Process process;
  private final AtomicLong peakRssKb = new AtomicLong();
  private volatile Thread sampler;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java <jvmArgs> <args>} in {@code dir} with {@code env} added to this process's environment. */
  static ChildJvm start(String name, List<String> jvmArgs, List<String> args, Path dir, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the bench's own temporary folder (bench/run-class.sh deletes it at the end): a child that is
    // killed leaves DuckDB's and SQLite's extracted libraries and Vert.x's file cache there, not in /tmp
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.addAll(jvmArgs);
    command.addAll(args);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("GAUNTLET_") || k.equals("PYRIT_DB_SALT"));
    // benchmarks aim generators at fake targets on loopback
    pb.environment().put("GAUNTLET_GENERATORS_EGRESS_ALLOW_LOOPBACK", "true");
    pb.environment().putAll(env);
    return new ChildJvm(name, pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  /** Waits until something accepts connections on {@code port}. */
  void awaitListening(int port, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      checkAlive();
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException(name + " not listening on " + port + " within " + seconds + " s\n" + output());
  }

  /** Waits until {@code GET url} answers 200. */
  void awaitReady(String url, long seconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      checkAlive();
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " not ready within " + seconds + " s\n" + output());
  }

  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited " + process.exitValue() + "\n" + output());
    }
  }

  /** Reads VmRSS every {@code periodMs} on a daemon thread, keeping the largest, until {@link #stopSampling}. */
  void startSampling(long periodMs) {
    peakRssKb.set(0);
    Thread t = new Thread(() -> {
      while (sampler == Thread.currentThread()) {
        try {
          peakRssKb.accumulateAndGet(status("VmRSS:"), Math::max);
          Thread.sleep(periodMs);
        } catch (Exception stop) {
          return;
        }
      }
    }, name + "-rss");
    t.setDaemon(true);
    sampler = t;
    t.start();
  }

  /** The largest VmRSS seen since {@link #startSampling}, in KB. */
  long stopSampling() throws InterruptedException {
    Thread t = sampler;
    sampler = null;
    if (t != null) {
      t.join(1000);
    }
    return peakRssKb.get();
  }

  /** A {@code /proc/<pid>/status} figure in KB, e.g. {@code VmRSS:} now or {@code VmHWM:} (the peak over the process's life). */
  long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
  }

  /** CPU time the process has used so far (user + system), in milliseconds. */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  /**
   * CPU milliseconds used so far by each group of threads (names with their numbers dropped:
   * {@code vert.x-eventloop-thread-}, {@code C2 CompilerThre}, ...). Threads that ended since are
   * missing, so a difference of two readings is approximate.
   */
  Map<String, Long> cpuMillisByThreadGroup() {
    return cpuMillisByThreadGroup(process.pid());
  }

  /** As {@link #cpuMillisByThreadGroup()}, for any process on this machine (the bench's own: {@code ProcessHandle.current().pid()}). */
  static Map<String, Long> cpuMillisByThreadGroup(long pid) {
    Map<String, Long> out = new java.util.TreeMap<>();
    java.io.File[] tasks = Path.of("/proc", Long.toString(pid), "task").toFile().listFiles();
    if (tasks == null) {
      return out;
    }
    for (java.io.File task : tasks) {
      try {
        String stat = Files.readString(task.toPath().resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // C1 and C2 compiler threads apart: what each tier costs is the question when a start is cold
        String comm = name.matches("C[12] .*") ? name.substring(0, 3) + name.substring(3).replaceAll("\\d+", "#")
            : name.replaceAll("\\d+", "#");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        out.merge(comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
      } catch (IOException | RuntimeException gone) {
        // the thread ended while we read it
      }
    }
    return out;
  }

  /** SIGKILL, as a crash or the OOM killer would end it: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " survived SIGKILL for 30 s");
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Open file descriptors, from {@code /proc/<pid>/fd}. */
  long openFiles() {
    String[] fds = Path.of("/proc", Long.toString(process.pid()), "fd").toFile().list();
    return fds == null ? -1 : fds.length;
  }

  /** SIGTERM, then the exit code (SIGKILL after {@code seconds}). */
  int stop(long seconds) throws Exception {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(name + " did not stop within " + seconds + " s of SIGTERM\n" + output());
    }
    return process.exitValue();
  }

  String output() {
    try {
      String s = Files.readString(log);
      return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    sampler = null;
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
