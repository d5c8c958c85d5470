package dev.gauntlet.bench;

import java.nio.file.Path;
import java.util.List;

/** {@link Chaos}'s flags. */
public record ChaosOptions(int kills, int users, int prompts, int concurrency, long latencyMs, long minDelayMs,
                           long maxDelayMs, long seed, String fakeRoot, Path jar, Path testClasses,
                           List<String> gauntletJvm, Path dir, long timeoutSeconds, boolean help) {

  static final String USAGE = """
      usage: bench/chaos.sh [flags]
        --kills N            SIGKILLs of Gauntlet during executions (default 20)
        --users N            users, each with one execution running at all times (default 2)
        --prompts N          prompts per execution; a finished execution is followed by another (default 3000)
        --concurrency N      each execution's concurrency and its generator's max_concurrency (default 8)
        --latency MS         the fake target's delay before each answer (default 20)
        --min-delay MS       shortest run between a restart's re-sends and the next kill (default 300)
        --max-delay MS       longest such run (default 4000)
        --seed N             seed of the kill moments (default: the clock)
        --fake URL           use a running FakeOpenAi at URL (http://127.0.0.1:PORT) instead of starting one
        --jar PATH           Gauntlet's jar (default target/gauntlet.jar)
        --test-classes PATH  where FakeOpenAi is compiled (default target/test-classes)
        --gauntlet-jvm ARGS  JVM flags for Gauntlet, space-separated (default -Xmx512m)
        --dir PATH           where data and logs go (default a new temporary directory, kept)
        --timeout S          longest wait for one step: a start, the re-sends, the final completion (default 300)""";

  /** Parses flags; an empty array gives the defaults. */
  public static ChaosOptions parse(String... args) {
    Flags f = new Flags(args, List.of("help"));
    String jvm = f.text("gauntlet-jvm", "-Xmx512m");
    ChaosOptions o = new ChaosOptions((int) f.count("kills", 20), (int) f.count("users", 2), (int) f.count("prompts", 3000),
        (int) f.count("concurrency", 8), f.count("latency", 20), f.count("min-delay", 300), f.count("max-delay", 4000),
        f.count("seed", System.nanoTime() & 0xffffff), f.text("fake", null), f.path("jar", Path.of("target", "gauntlet.jar")),
        f.path("test-classes", Path.of("target", "test-classes")), jvm.isBlank() ? List.of() : List.of(jvm.trim().split("\\s+")),
        f.path("dir", null), f.seconds("timeout", 300), f.has("help"));
    f.checkAllRead();
    if (o.users < 1 || o.prompts < 1 || o.concurrency < 1 || o.concurrency > 256) {
      throw new IllegalArgumentException("--users and --prompts must be at least 1, --concurrency 1 to 256");
    }
    if (o.maxDelayMs < o.minDelayMs) {
      throw new IllegalArgumentException("--max-delay must not be below --min-delay");
    }
    return o;
  }
}
