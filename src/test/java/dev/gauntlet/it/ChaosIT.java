package dev.gauntlet.it;

import dev.gauntlet.bench.Chaos;
import dev.gauntlet.bench.ChaosOptions;
import dev.gauntlet.testing.FakeOpenAi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions of two users survive three SIGKILLs of the real jar at random moments: every
 * result the API acknowledged before a kill is there exactly once at the end, every prompt has
 * its result, and after each kill exactly the prompts sent but not yet committed are sent again,
 * each by the process right after the killed one. {@code bench/chaos.sh} runs the same with 20.
 */
class ChaosIT {

  @TempDir
  Path tmp;

  @Test
  void executionsSurviveRepeatedSigkillsWithNothingLostOrDoubled() throws Exception {
    try (FakeOpenAi fake = new FakeOpenAi()) {
      fake.start(0);
      fake.latency(20);
      Chaos.Report report = Chaos.run(ChaosOptions.parse("--kills", "3", "--users", "2", "--prompts", "900",
          "--concurrency", "8", "--min-delay", "300", "--max-delay", "2500", "--fake", fake.url(""),
          "--jar", GauntletProcess.jar().toString(), "--dir", tmp.toString(), "--timeout", "120"));

      System.out.println("chaos: " + report.summary());
      assertTrue(report.violations().isEmpty(), String.join("\n", report.violations()));
      assertEquals(3, report.kills().size());
      for (Chaos.Kill k : report.kills()) {
        assertTrue(k.running() > 0, "kill " + k.number() + " struck during an execution");
        assertEquals(k.uncommitted(), k.resent(), "kill " + k.number() + ": re-sent exactly the uncommitted prompts");
        assertTrue(k.resent() <= k.bound(), k.line());
      }
      assertTrue(report.resent() > 0, "some prompts were in flight at a kill");
      assertTrue(report.requests() - report.prompts() == report.resent(), "every request beyond one per prompt is a counted re-send");
    }
  }
}
