import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a Gauntlet server spent its CPU during one window of a flight recording: CPU-time samples
 * (jdk.CPUTimeSample, else jdk.ExecutionSample) by area of the code (the deepest frame that names
 * one: engine, generator HTTP, memory writes, JSON, ...) and by leaf method, and the JIT's
 * compilations in the window by tier. Run on the JDK, no build:
 *   java bench/JfrProfile.java RECORDING.jfr [FROM TO] [TOP]
 * FROM and TO are instants (an execution's started_at and finished_at, which
 * bench/execution.sh --threads prints as "execution window:"); TOP leaf methods (default 25).
 * Record with: bench/execution.sh --threads --keep --gauntlet-jvm "@jvm.options
 *   -XX:StartFlightRecording=filename=/abs/rec.jfr,settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms,jdk.Compilation#threshold=0ms"
 */
public class JfrProfile {

  /** Areas, most specific first: a sample counts for the first area any of its frames (leaf upwards) falls in. */
  static final List<String[]> AREAS = List.of(
      new String[] {"logging", "java.util.logging.", "dev.gauntlet.JsonLogFormatter"},
      new String[] {"metrics", "io.micrometer.", "io.vertx.micrometer.", "dev.gauntlet.Metrics"},
      new String[] {"budgets", "dev.gauntlet.budget.", "io.github.bucket4j."},
      new String[] {"matrix index", "dev.gauntlet.memory.Matrix"},
      new String[] {"JSON", "com.fasterxml.jackson.", "io.vertx.core.json."},
      new String[] {"DuckDB (native writes)", "org.duckdb."},
      new String[] {"memory writes", "dev.gauntlet.memory."},
      new String[] {"converters", "dev.gauntlet.converter."},
      new String[] {"scorers", "dev.gauntlet.scorer.", "dev.gauntlet.verdict."},
      new String[] {"generator (Gauntlet)", "dev.gauntlet.generator."},
      new String[] {"engine", "dev.gauntlet.orchestrator."},
      new String[] {"HTTP client/server (Vert.x, Netty)", "io.vertx.core.http.", "io.vertx.core.net.", "io.netty.handler.codec.http"},
      new String[] {"event bus", "io.vertx.core.eventbus."},
      new String[] {"web/API", "io.vertx.ext.web.", "dev.gauntlet.http.", "dev.gauntlet.operations."},
      new String[] {"Netty I/O", "io.netty."},
      new String[] {"Vert.x core", "io.vertx."},
      new String[] {"Gauntlet, other", "dev.gauntlet."});

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Instant from = args.length > 2 ? Instant.parse(args[1]) : Instant.MIN;
    Instant to = args.length > 2 ? Instant.parse(args[2]) : Instant.MAX;
    int top = args.length > 3 ? Integer.parseInt(args[3]) : args.length == 2 ? Integer.parseInt(args[1]) : 25;
    boolean cpuTime = false;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (e.getEventType().getName().equals("jdk.CPUTimeSample")) {
        cpuTime = true;
        break;
      }
    }
    String sampleType = cpuTime ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
    Map<String, Integer> byArea = new LinkedHashMap<>();
    Map<String, Integer> byLeaf = new HashMap<>();
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> byCaller = new HashMap<>();
    Map<Integer, long[]> compiles = new HashMap<>();
    Map<String, Long> compiledMethods = new HashMap<>();
    int samples = 0;
    try (RecordingFile r = new RecordingFile(file)) {
      while (r.hasMoreEvents()) {
        RecordedEvent e = r.readEvent();
        Instant at = e.getStartTime();
        if (at.isBefore(from) || at.isAfter(to)) {
          continue;
        }
        String type = e.getEventType().getName();
        if (type.equals(sampleType)) {
          RecordedStackTrace st = e.getStackTrace();
          if (st == null) {
            continue;
          }
          samples++;
          String thread = e.getThread(cpuTime ? "eventThread" : "sampledThread") == null ? "?"
              : e.getThread(cpuTime ? "eventThread" : "sampledThread").getJavaName();
          byThread.merge(thread == null ? "?" : thread.replaceAll("\\d+", "#"), 1, Integer::sum);
          List<RecordedFrame> frames = st.getFrames();
          if (!frames.isEmpty()) {
            RecordedFrame leaf = frames.get(0);
            byLeaf.merge(leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(), 1, Integer::sum);
          }
          byArea.merge(area(frames), 1, Integer::sum);
          byCaller.merge(caller(frames), 1, Integer::sum);
        } else if (type.equals("jdk.Compilation")) {
          int level = e.getInt("compileLevel");
          long[] c = compiles.computeIfAbsent(level, k -> new long[2]);
          c[0]++;
          c[1] += e.getDuration().toNanos();
          compiledMethods.merge("tier " + level + " " + e.getValue("method.type.name") + "." + e.getValue("method.name"),
              e.getDuration().toNanos(), Long::sum);
        }
      }
    }
    System.out.printf("%s: %,d samples in the window%n", sampleType, samples);
    System.out.println("by area (deepest frame naming one):");
    print(byArea, samples, 40);
    System.out.println("by thread:");
    print(byThread, samples, 12);
    System.out.println("by the nearest Gauntlet method on the stack (what Gauntlet code the time is spent for):");
    print(byCaller, samples, top);
    System.out.println("top leaf methods:");
    print(byLeaf, samples, top);
    System.out.println("JIT compilations in the window (jdk.Compilation, those over its threshold: record with jdk.Compilation#threshold=0ms for all):");
    compiles.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> System.out.printf(
        "  tier %d: %,d compilations, %,.0f ms%n", en.getKey(), en.getValue()[0], en.getValue()[1] / 1e6));
    compiledMethods.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
        .forEach(en -> System.out.printf("  %,8.1f ms  %s%n", en.getValue() / 1e6, en.getKey()));
  }

  static String caller(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod() != null && f.getMethod().getType() != null && f.getMethod().getType().getName().startsWith("dev.gauntlet.")) {
        return f.getMethod().getType().getName().substring("dev.gauntlet.".length()) + "." + f.getMethod().getName();
      }
    }
    return "(no Gauntlet frame)";
  }

  static String area(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod() == null || f.getMethod().getType() == null) {
        continue;
      }
      String name = f.getMethod().getType().getName();
      for (String[] a : AREAS) {
        for (int i = 1; i < a.length; i++) {
          if (name.startsWith(a[i])) {
            return a[0];
          }
        }
      }
    }
    if (frames.isEmpty() || frames.get(0).getMethod() == null) {
      return "(no frames)";
    }
    String leaf = frames.get(0).getMethod().getType().getName();
    return "other: " + (leaf.lastIndexOf('.') > 0 ? leaf.substring(0, leaf.lastIndexOf('.')) : leaf);
  }

  static void print(Map<String, Integer> counts, int total, int limit) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
        .forEach(en -> System.out.printf("  %5.1f%%  %,6d  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getValue(), en.getKey()));
  }
}
