package dev.gauntlet.bench;

import java.nio.file.Path;
import java.util.List;

/** {@link ExecutionBench}'s command-line flags; counts accept 10k / 1_500 / 10,000. */
record ExecutionOptions(int prompts, int small, int concurrency, int repeat, String converter, int fakeInstances,
                        List<String> gauntletJvm, boolean warmup, String loadTool, int loadSeconds, long pollMs, int timeoutSeconds,
                        Path jar, Path testClasses, boolean keep, boolean threads, boolean help, long latencyMs,
                        int warmTargetSeconds) {

  static final String USAGE = """
      usage: bench/execution.sh [flags]
        --prompts N          prompts in the main execution (default 10000)
        --small N            prompts in the short execution that must finish within a second (default 1500)
        --concurrency N      the orchestrator's concurrency and the generator's max_concurrency (default 16)
        --repeat N           runs of both executions on the same Gauntlet process (default 3: run 1 is the first after start, the
                             1,500-prompt execution first; later runs are warm)
        --converter TYPE     the converter (default rot13; base64 also works)
        --fake-instances N   event loops of the fake server (default: its own default, one per core)
        --latency MS         the fake server answers each request after MS milliseconds (default 0); the ideal rate is then
                             concurrency x 1000 / MS prompts/s
        --gauntlet-jvm ARGS  JVM flags for Gauntlet, space-separated (default: those in jvm.options, as the README starts it)
        --warmup             start Gauntlet with its warm-up (orchestrator.warmupPrompts=20000); default off, as Gauntlet starts
        --load-tool T        auto (wrk when on PATH, else a Vert.x client), wrk or vertx (default auto)
        --load-seconds S     length of the raw load run (default 10)
        --poll-ms MS         how often the execution is polled (default 20)
        --timeout S          give up on an execution after S seconds (default 300)
        --jar PATH           Gauntlet's jar (default target/gauntlet.jar)
        --test-classes PATH  where FakeOpenAi is compiled (default target/test-classes)
        --warm-target S      before Gauntlet starts, load the fake target for S seconds (the raw load below) so that its own
                             JIT is warm and the cold figures are Gauntlet's alone, as against a provider's API (default 0)
        --keep               keep the temporary directory with both processes' logs
        --threads            print Gauntlet's CPU per thread group for each execution""";

  static ExecutionOptions parse(String[] args) {
    int prompts = 10_000;
    int small = 1_500;
    int concurrency = 16;
    int repeat = 3;
    String converter = "rot13";
    int fakeInstances = 0;
    List<String> gauntletJvm = null;
    boolean warmup = false;
    String loadTool = "auto";
    int loadSeconds = 10;
    long pollMs = 20;
    int timeout = 300;
    Path jar = Path.of("target", "gauntlet.jar");
    Path testClasses = Path.of("target", "test-classes");
    boolean keep = false;
    boolean threads = false;
    long latencyMs = 0;
    int warmTarget = 0;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int eq = flag.indexOf('=');
      if (eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      if (flag.equals("--help") || flag.equals("-h")) {
        return new ExecutionOptions(prompts, small, concurrency, repeat, converter, fakeInstances, List.of(), warmup, loadTool,
            loadSeconds, pollMs, timeout, jar, testClasses, keep, threads, true, latencyMs, warmTarget);
      }
      if (flag.equals("--keep")) {
        keep = true;
        continue;
      }
      if (flag.equals("--threads")) {
        threads = true;
        continue;
      }
      if (flag.equals("--no-warmup") || flag.equals("--warmup")) {
        warmup = flag.equals("--warmup");
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        value = args[++i];
      }
      switch (flag) {
        case "--prompts" -> prompts = positive(flag, value);
        case "--small" -> small = positive(flag, value);
        case "--concurrency" -> concurrency = positive(flag, value);
        case "--repeat" -> repeat = positive(flag, value);
        case "--converter" -> converter = value;
        case "--fake-instances" -> fakeInstances = positive(flag, value);
        case "--latency" -> latencyMs = positive(flag, value);
        case "--gauntlet-jvm" -> gauntletJvm = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
        case "--load-tool" -> {
          if (!List.of("auto", "wrk", "vertx").contains(value)) {
            throw new IllegalArgumentException("--load-tool takes auto, wrk or vertx, got '" + value + "'");
          }
          loadTool = value;
        }
        case "--load-seconds" -> loadSeconds = positive(flag, value);
        case "--warm-target" -> warmTarget = positive(flag, value);
        case "--poll-ms" -> pollMs = positive(flag, value);
        case "--timeout" -> timeout = positive(flag, value);
        case "--jar" -> jar = Path.of(value);
        case "--test-classes" -> testClasses = Path.of(value);
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (concurrency > 256) {
      throw new IllegalArgumentException("--concurrency is at most 256 (an orchestrator's limit)");
    }
    if (gauntletJvm == null) {
      Path file = Path.of("jvm.options").toAbsolutePath();
      if (!java.nio.file.Files.isRegularFile(file)) {
        throw new IllegalArgumentException(file + " is missing: run from the repository, or give --gauntlet-jvm");
      }
      gauntletJvm = List.of("@" + file);
    }
    return new ExecutionOptions(prompts, small, concurrency, repeat, converter, fakeInstances, gauntletJvm, warmup, loadTool,
        loadSeconds, pollMs, timeout, jar, testClasses, keep, threads, false, latencyMs, warmTarget);
  }

  /** The JVM flags as they take effect: a java argument file ({@code @jvm.options}) is read out, its comments dropped. */
  String gauntletJvmFlags() {
    List<String> out = new java.util.ArrayList<>();
    for (String arg : gauntletJvm) {
      if (!arg.startsWith("@")) {
        out.add(arg);
        continue;
      }
      try {
        java.nio.file.Files.readAllLines(Path.of(arg.substring(1))).stream().map(l -> l.replaceAll("#.*", "").trim())
            .filter(l -> !l.isEmpty()).forEach(out::add);
      } catch (java.io.IOException e) {
        out.add(arg + " (unreadable: " + e.getMessage() + ")");
      }
    }
    return out.isEmpty() ? "(none)" : String.join(" ", out);
  }

  private static int positive(String flag, String value) {
    String v = value.trim().toLowerCase().replace("_", "").replace(",", "");
    int unit = v.endsWith("k") ? 1_000 : 1;
    try {
      int n = Integer.parseInt(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
      if (n < 1) {
        throw new IllegalArgumentException(flag + " must be at least 1");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a count such as 1500 or 10k, got '" + value + "'");
    }
  }
}
