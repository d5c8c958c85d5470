package dev.gauntlet.orchestrator;

import dev.gauntlet.Metrics;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.converter.Converters;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up at start runs real executions, and counts in none of the server's meters. */
class WarmupTest {

  @Test
  void warmUpRunsAnExecutionPerConverterAndLeavesTheServersMetersAlone() throws Exception {
    double requestsBefore = count("gauntlet.generator.request");
    double batchesBefore = count("gauntlet.memory.batch.commit");
    long deterministic = Converters.catalog().all().stream()
        .filter(c -> !Converters.LLM.equals(c.category()) && c.schema().params().stream().noneMatch(p -> p.isRequired())).count();

    Warmup.Report report = Warmup.run(5 * (int) deterministic, 10_000, true, SecretBox.load(SecretBox.generateKey(), null))
        .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);

    assertEquals(deterministic, report.converters());
    assertTrue(report.executions() >= 1, report.toString());
    // a prompt counts once its pieces, scores and result row are committed to the scratch memory
    assertTrue(report.prompts() >= 5 * Math.min(report.executions(), deterministic), report.toString());
    assertEquals(requestsBefore, count("gauntlet.generator.request"), "generator requests in /metrics");
    assertEquals(batchesBefore, count("gauntlet.memory.batch.commit"), "memory batches in /metrics");
  }

  private static double count(String timer) {
    return Metrics.registry().find(timer).timers().stream().mapToDouble(t -> t.count()).sum();
  }
}
