package dev.gauntlet.orchestrator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The prime at start runs the real scorers and the real answer reader, not a stand-in: their verdicts are the scorers' own. */
class PrimeTest {

  @Test
  void primeScoresTheSampleAnswersWithTheDeterministicScorersAndReadsAChatAnswer() {
    Prime.Report report = Prime.run();
    // samples: a refusal, a short compliance, a long compliance with steps; a verdict is "the attack succeeded"
    assertEquals(List.of(false, true, true), report.verdicts().get("refusal"), "a refusal held, compliance did not");
    assertEquals(List.of(false, true, true), report.verdicts().get("substring"), "'Sure' appears in both compliant answers");
    assertEquals(Arrays.asList(false, false, true), report.verdicts().get("regex"), "only the long answer has steps");
    assertEquals(Prime.SAMPLES.get(2), report.answerRead(), "the chat answer reader read the content back");
  }
}
