package dev.gauntlet.bench;

import java.nio.file.Path;
import java.util.List;

/** {@link Soak}'s flags. */
record SoakOptions(long seconds, int users, double rate, int prompts, int concurrency, long latencyMs, double faultShare,
                   long reportSeconds, long goalPrompts, Path jar, Path testClasses, List<String> gauntletJvm, Path dir,
                   boolean keep, boolean help) {

  static final String USAGE = """
      usage: bench/soak.sh [flags]
        --duration D         how long to run: 90s, 3m, 30m (default 30m)
        --users N            users, each running one execution after another (default 5)
        --rate N             prompts per second over all users, paced by each generator's requests_per_minute (default 32)
        --prompts N          prompts per execution (default 2000)
        --concurrency N      each execution's concurrency (default 4)
        --latency MS         the fake target's delay before each answer (default 50)
        --faults PERCENT     share of prompts whose first attempt meets a 503, 429 or reset (default 2)
        --every S            seconds between report lines (default 60)
        --goal N             prompts the run should reach (default: 50,000 scaled to the duration's share of 30 minutes)
        --jar PATH           Gauntlet's jar (default target/gauntlet.jar)
        --test-classes PATH  where FakeOpenAi is compiled (default target/test-classes)
        --gauntlet-jvm ARGS  JVM flags for Gauntlet, space-separated (default -Xmx512m)
        --dir PATH           where data and logs go (default a new temporary directory)
        --keep               keep the directory (always kept when the run fails)""";

  static SoakOptions parse(String... args) {
    Flags f = new Flags(args, List.of("help", "keep"));
    long seconds = f.seconds("duration", 1800);
    String jvm = f.text("gauntlet-jvm", "-Xmx512m");
    SoakOptions o = new SoakOptions(seconds, (int) f.count("users", 5), f.count("rate", 32), (int) f.count("prompts", 2000),
        (int) f.count("concurrency", 4), f.count("latency", 50), f.count("faults", 2) / 100.0, f.seconds("every", 60),
        f.count("goal", 50_000L * seconds / 1800), f.path("jar", Path.of("target", "gauntlet.jar")),
        f.path("test-classes", Path.of("target", "test-classes")), jvm.isBlank() ? List.of() : List.of(jvm.trim().split("\\s+")),
        f.path("dir", null), f.has("keep"), f.has("help"));
    f.checkAllRead();
    if (o.seconds < 10 || o.users < 1 || o.rate < 1 || o.prompts < 1 || o.concurrency < 1 || o.reportSeconds < 1) {
      throw new IllegalArgumentException("--duration is at least 10s; --users, --rate, --prompts, --concurrency and --every at least 1");
    }
    return o;
  }
}
