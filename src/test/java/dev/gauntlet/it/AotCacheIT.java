package dev.gauntlet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ahead-of-time cache as {@code bin/gauntlet} uses it: the {@code train} run on the real jar
 * writes a cache and leaves nothing behind; a server started with that cache uses it and works;
 * a server started with a cache that does not fit (here, truncated) starts all the same, without.
 * How much faster the cached start is belongs to {@code bench/coldstart.sh}, not to a test.
 */
class AotCacheIT {

  @TempDir
  Path dir;

  @Test
  void trainingWritesACacheThatAServerStartsWithAndABadCacheNeverStopsAStart() throws Exception {
    Path aot = dir.resolve("gauntlet.aot");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> train = new ArrayList<>(List.of(java(), "@" + Path.of("jvm.options").toAbsolutePath(),
        "-XX:AOTCacheOutput=" + aot, "-Xlog:aot=error", "-Xlog:cds=error", "-Djava.io.tmpdir=" + tmp,
        "-jar", GauntletProcess.jar().toAbsolutePath().toString(), "train", "--prompts", "300", "--warmup-seconds", "5"));
    Path log = dir.resolve("train.log");
    Process p = new ProcessBuilder(train).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the training run ended within 240 s");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("train: trained in"), out);
    assertTrue(Files.size(aot) > 1_000_000, "a cache was written: " + out);
    try (var left = Files.list(tmp)) {
      assertFalse(left.anyMatch(f -> f.getFileName().toString().startsWith("gauntlet-train-")),
          "the training run's data folder (an admin, a memory) is deleted");
    }

    try (GauntletProcess withCache = new GauntletProcess(Files.createDirectories(dir.resolve("a")).resolve("data"), Map.of())) {
      withCache.jvm("-Xmx1g", "-XX:AOTCache=" + aot, "-Xlog:aot=info").start();
      assertTrue(withCache.output().contains("Opened AOT cache"), withCache.output());
      assertFalse(withCache.output().contains("Loading static archive failed"), withCache.output());
      assertEquals(0, withCache.stop());
    }

    Path bad = dir.resolve("truncated.aot");
    try (var in = Files.newInputStream(aot)) {
      Files.write(bad, in.readNBytes(1 << 20));
    }
    try (GauntletProcess withBadCache = new GauntletProcess(Files.createDirectories(dir.resolve("b")).resolve("data"), Map.of())) {
      withBadCache.jvm("-Xmx1g", "-XX:AOTCache=" + bad).start();
      assertTrue(withBadCache.output().contains("Gauntlet listening"), withBadCache.output());
      assertEquals(0, withBadCache.stop());
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
