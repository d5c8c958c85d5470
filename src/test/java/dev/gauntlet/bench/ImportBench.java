package dev.gauntlet.bench;

import dev.gauntlet.imports.ImportRunner;
import dev.gauntlet.imports.LandingTarget;
import dev.gauntlet.memory.Consolidation;
import dev.gauntlet.memory.ImportStore;
import dev.gauntlet.memory.PyritExports;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

/**
 * PyRIT 1.x import and export rates: generates a PyRIT 1.1 memory of N pieces (half prompts, half
 * answers, a score per answer, an attack result for every other conversation), imports it into a
 * fresh Gauntlet memory as {@code memory import} does, imports it again (nothing added), and
 * exports the execution back to PyRIT SQLite. Prints rows/s and the process's peak RSS; see
 * {@code bench/import.sh}. Usage: ImportBench [PIECES] (default 100000).
 */
public final class ImportBench {

  private ImportBench() {}

  public static void main(String[] args) throws Exception {
    int pieces = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace("k", "000")) : 100_000;
    Path dir = Files.createTempDirectory("gauntlet-import-bench");
    System.out.printf("import bench: %d cores, java %s, max heap %,d MB, %,d pieces%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, pieces);
    Path file = dir.resolve("pyrit.db");
    long t0 = System.nanoTime();
    generate(file, pieces);
    System.out.printf("generated %s: %,d bytes in %.1f s (rss %d MB)%n", file.getFileName(), Files.size(file), (System.nanoTime() - t0) / 1e9, rssMb());
    try (Connection memory = Consolidation.openTarget(dir.resolve("memory.db"))) {
      for (String run : new String[] {"import", "re-import"}) {
        java.util.Map<String, Double> threads0 = threadCpu();
        long start = System.nanoTime();
        double cpu0 = cpu();
        JsonObject r = ImportRunner.run(file, "pyrit.db", null, "bench", false, LandingTarget.direct(ImportStore.direct(memory)));
        double s = (System.nanoTime() - start) / 1e9;
        long added = 0;
        for (String t : r.getJsonObject("tables").fieldNames()) {
          added += r.getJsonObject("tables").getJsonObject(t).getLong("added");
        }
        System.out.printf("%-9s %,d rows read, %,d added in %.2f s (commit %.2f s): %,.0f rows/s (%,.0f pieces/s); %.1f CPU s: %,.0f rows per CPU s; rss %d MB, peak %d MB, load %.1f%n",
            run, r.getLong("rows"), added, s, r.getDouble("commit_seconds"), r.getLong("rows") / s, pieces / s, cpu() - cpu0,
            r.getLong("rows") / (cpu() - cpu0), rssMb(), peakMb(), load());
        System.out.println("          " + r.getJsonObject("tables").encode());
        System.out.printf("          CPU s by thread: %s; threads that ended %.2f%n", since(threads0),
            (cpu() - cpu0) - sum(threadCpu()) + sum(threads0));
      }
      String execution;
      try (Statement st = memory.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM executions")) {
        rs.next();
        execution = rs.getString(1);
      }
      long start = System.nanoTime();
      double cpu0 = cpu();
      JsonObject e = PyritExports.write(memory, new JsonObject().put("execution_id", execution), dir.resolve("export.db"));
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("export    %,d rows in %.2f s: %,.0f rows/s; %.1f CPU s: %,.0f rows per CPU s; %,d bytes, rss %d MB, peak %d MB, load %.1f%n",
          e.getLong("rows"), s, e.getLong("rows") / s, cpu() - cpu0, e.getLong("rows") / (cpu() - cpu0), Files.size(dir.resolve("export.db")),
          rssMb(), peakMb(), load());
      System.out.println("          " + e.getJsonObject("tables").encode());
    }
    System.out.printf("goal: >= 50,000 rows/s, memory bounded (heap capped at %,d MB); peak RSS %d MB%n",
        Runtime.getRuntime().maxMemory() >> 20, peakMb());
    // the generated file, the memory and the export: nothing is left on the disk CI shares
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A PyRIT 1.1 memory from the tests' layout file, written in one SQLite transaction. */
  static void generate(Path file, int pieces) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        for (String statement : statements()) {
          s.execute(statement);
        }
      }
      c.setAutoCommit(false);
      String target = "{\"class_name\":\"OpenAIChatTarget\",\"class_module\":\"pyrit.prompt_target\",\"model_name\":\"gpt-4o\"}";
      try (PreparedStatement p = c.prepareStatement("INSERT INTO PromptMemoryEntries (id, role, conversation_id, sequence, timestamp, "
               + "prompt_metadata, converter_identifiers, response_error, original_value_data_type, original_value, converted_value_data_type, "
               + "converted_value, original_prompt_id, pyrit_version) VALUES (?, ?, ?, ?, ?, '{}', NULL, 'none', 'text', ?, 'text', ?, ?, '1.1.0')");
           PreparedStatement sc = c.prepareStatement("INSERT INTO ScoreEntries (id, score_value, score_type, score_metadata, "
               + "scorer_class_identifier, prompt_request_response_id, timestamp, objective, status) VALUES (?, ?, 'true_false', '{}', "
               + "'{\"class_name\":\"SelfAskRefusalScorer\",\"class_module\":\"pyrit.score\"}', ?, ?, 'objective', 'complete')");
           PreparedStatement conv = c.prepareStatement("INSERT INTO Conversations (conversation_id, target_identifier) VALUES (?, ?)");
           PreparedStatement ar = c.prepareStatement("INSERT INTO AttackResultEntries (id, conversation_id, objective, executed_turns, "
               + "execution_time_ms, outcome, labels, timestamp) VALUES (?, ?, 'get the secret', 1, 5, ?, '{\"op\":\"bench\"}', ?)")) {
        for (int i = 0; i < pieces; i++) {
          String conversation = "conv-" + (i / 2);
          String id = UUID.randomUUID().toString();
          String time = String.format("2025-09-01 10:%02d:%02d.%06d", (i / 60000) % 60, (i / 1000) % 60, i % 1000);
          boolean answer = i % 2 == 1;
          p.setString(1, id);
          p.setString(2, answer ? "assistant" : "user");
          p.setString(3, conversation);
          p.setInt(4, i % 2);
          p.setString(5, time);
          String text = (answer ? "I cannot help with that request, number " : "Please tell me how to do the forbidden thing number ") + i;
          p.setString(6, text);
          p.setString(7, text);
          p.setString(8, id);
          p.addBatch();
          if (answer) {
            sc.setString(1, UUID.randomUUID().toString());
            sc.setString(2, i % 4 == 1 ? "True" : "False");
            sc.setString(3, id);
            sc.setString(4, time);
            sc.addBatch();
            if ((i / 2) % 2 == 0) {
              ar.setString(1, UUID.randomUUID().toString());
              ar.setString(2, conversation);
              ar.setString(3, i % 8 == 1 ? "success" : "failure");
              ar.setString(4, time);
              ar.addBatch();
            }
          } else {
            conv.setString(1, conversation);
            conv.setString(2, target);
            conv.addBatch();
          }
          if (i % 10_000 == 9_999) {
            p.executeBatch();
            sc.executeBatch();
            conv.executeBatch();
            ar.executeBatch();
          }
        }
        p.executeBatch();
        sc.executeBatch();
        conv.executeBatch();
        ar.executeBatch();
      }
      c.commit();
    }
  }

  private static java.util.List<String> statements() throws IOException {
    String sql;
    try (InputStream in = ImportBench.class.getResourceAsStream("/imports/pyrit-5a1d3c7e9f04.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder clean = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.startsWith("--")) {
        clean.append(line).append('\n');
      }
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String s : clean.toString().split(";\\s*\n")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** CPU seconds the whole process used (every thread, DuckDB's and SQLite's native work included). */
  static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** CPU seconds per thread kind of this process, native threads included (DuckDB's workers, the JIT, the GC). */
  static java.util.Map<String, Double> threadCpu() {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    ChildJvm.cpuMillisByThreadGroup(ProcessHandle.current().pid()).forEach((k, ms) -> out.put(k, ms / 1000.0));
    return out;
  }

  static double sum(java.util.Map<String, Double> m) {
    return m.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** What each thread kind used since {@code before}, the largest first (threads that ended are not counted). */
  static String since(java.util.Map<String, Double> before) {
    StringBuilder sb = new StringBuilder();
    threadCpu().entrySet().stream().map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.05).sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(String.format("%.2f", e.getValue())));
    return sb.toString();
  }

  static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static long rssMb() {
    return status("VmRSS:");
  }

  static long peakMb() {
    return status("VmHWM:");
  }

  private static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
