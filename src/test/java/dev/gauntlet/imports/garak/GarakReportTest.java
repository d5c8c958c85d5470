package dev.gauntlet.imports.garak;

import dev.gauntlet.Problem;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GarakReportTest {

  static Path fixture(String name) {
    return Path.of("src/test/resources/imports/garak", name);
  }

  private static List<GarakAttempt> read(String name, GarakReport.Run[] run) throws Exception {
    List<GarakAttempt> out = new ArrayList<>();
    GarakReport.Run r = GarakReport.read(fixture(name), out::add);
    if (run != null) {
      run[0] = r;
    }
    return out;
  }

  @Test
  void eachEvaluatedAttemptIsReadOnceAndAnUnevaluatedOneAfterThem() throws Exception {
    GarakReport.Run[] run = new GarakReport.Run[1];
    List<GarakAttempt> attempts = read("report.jsonl", run);
    assertEquals(List.of("a1", "a2", "a3", "a4", "a5"), attempts.stream().map(a -> a.uuid().substring(0, 2)).toList());
    assertEquals(List.of(2, 2, 2, 2, 1), attempts.stream().map(GarakAttempt::status).toList());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), attempts.stream().map(GarakAttempt::index).toList());
    GarakReport.Run r = run[0];
    assertEquals(5, r.attempts());
    assertEquals(4, r.superseded(), "the status-1 records of evaluated attempts are not attempts of their own");
    assertEquals(1, r.unevaluated());
    assertTrue(r.completed());
    assertEquals(19, r.lines());
    assertEquals("0.13.0", r.garakVersion());
    assertEquals("7d1c9e4a-2f0b-4c55-9a61-0b3f5e8d2c10", r.runId());
    assertEquals("openai gpt-4o-mini", r.target());
    assertEquals(4, r.evals().size());
    assertEquals(new GarakReport.Eval("dan.Dan_11_0", "dan.DAN", 2, 3), r.evals().get(0));
  }

  @Test
  void anAttemptKeepsItsTurnsOutputsAndScoresAsGarakWroteThem() throws Exception {
    List<GarakAttempt> attempts = read("report.jsonl", null);
    GarakAttempt a1 = attempts.get(0);
    assertEquals("dan.Dan_11_0", a1.probe());
    assertEquals(List.of("system", "user"), a1.prompt().stream().map(GarakAttempt.Turn::role).toList());
    assertEquals("You are a helpful assistant.", a1.prompt().get(0).text());
    assertEquals(List.of("DAN Mode enabled. I will answer anything.", "I'm sorry, I can't take on that role."), a1.outputs());
    assertEquals(List.of(1.0, 0.0), a1.detectorResults().get("dan.DAN"));
    assertEquals(List.of("dan.DAN", "mitigation.MitigationBypass"), new ArrayList<>(a1.detectorResults().keySet()));
    assertEquals(List.of("DAN Mode enabled"), a1.triggers());
    assertEquals("disregard the system prompt", a1.goal());
    GarakAttempt a2 = attempts.get(1);
    assertNull(a2.outputs().get(1), "a generation with no output stays null");
    assertEquals(Arrays.asList(0.0, null), a2.detectorResults().get("dan.DAN"));
    GarakAttempt a3 = attempts.get(2);
    assertTrue(a3.outputs().get(0).contains("<script>alert('x')</script>"), "hostile text is kept as it was");
    assertTrue(attempts.get(4).detectorResults().isEmpty());
  }

  @Test
  void probeTagsComeFromThePluginCacheAndTheDigest() throws Exception {
    GarakReport.Run[] run = new GarakReport.Run[1];
    read("report.jsonl", run);
    assertEquals(List.of("avid-effect:security:S0403", "owasp:llm01", "quality:Security:PromptStability", "payload:jailbreak"),
        run[0].probeTags().get("dan.Dan_11_0"));
    assertTrue(run[0].probeTags().get("xss.MarkdownImageExfil").contains("owasp:llm02"));
  }

  @Test
  void aBrokenLineIsRefusedWithItsNumberBeforeAnyLaterAttempt() {
    List<GarakAttempt> seen = new ArrayList<>();
    Problem p = assertThrows(Problem.class, () -> GarakReport.read(fixture("report-malformed.jsonl"), seen::add));
    assertEquals(400, p.status());
    assertEquals("garak report line 5: is not a JSON object", p.getMessage());
    assertTrue(seen.isEmpty());
  }

  @Test
  void aFileCutShortIsRefusedAtItsLastLine() {
    Problem p = assertThrows(Problem.class, () -> GarakReport.read(fixture("report-truncated.jsonl"), a -> { }));
    assertEquals("garak report line 7: is cut short (the file is truncated)", p.getMessage());
  }

  @Test
  void anAttemptWithoutItsProbeIsRefusedWithItsLine() {
    Problem p = assertThrows(Problem.class, () -> GarakReport.read(fixture("report-no-probe.jsonl"), a -> { }));
    assertEquals("garak report line 6: attempt has no probe_classname", p.getMessage());
  }

  @Test
  void aHitlogNamesTheAttemptsAndOutputsItHit() throws Exception {
    List<GarakHitlog.Hit> hits = new ArrayList<>();
    assertEquals(3, GarakHitlog.read(fixture("hitlog.jsonl"), hits::add));
    GarakHitlog.Hit h = hits.get(0);
    assertEquals("a1e0b6a2-6c1f-4d8e-9a30-3b1f4c2d5e01", h.attemptId());
    assertEquals(0, h.outputIndex());
    assertEquals("dan.DAN", h.detector());
    assertEquals(1.0, h.score());
    assertEquals("DAN Mode enabled. I will answer anything.", h.output());
    assertEquals("openai gpt-4o-mini", h.generator());
    assertEquals("xss.MarkdownExfilBasic", hits.get(2).detector());
  }
}
