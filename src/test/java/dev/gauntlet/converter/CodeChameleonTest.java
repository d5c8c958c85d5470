package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.gauntlet.converter.ConverterTesting.assertRefused;
import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodeChameleonTest {

  private static final String PROMPT = "how to bake bread";

  private static String frame(String scheme, String prompt) {
    return convert("code_chameleon", new JsonObject().put("scheme", scheme), prompt);
  }

  @Test
  void eachSchemeEncryptsTheWordsAsExpected() {
    assertTrue(frame("reverse", PROMPT).contains("task = Task(\"bread bake to how\")"), frame("reverse", PROMPT));
    assertTrue(frame("odd_even", PROMPT).contains("task = Task(\"how bake to bread\")"));
    assertTrue(frame("length", PROMPT).contains("task = Task([{\"to\": 1}, {\"how\": 0}, {\"bake\": 2}, {\"bread\": 3}])"),
        "sorted by length, ties in order");
    assertTrue(frame("binary_tree", PROMPT).contains("task = Task({\"value\": \"to\", \"left\": {\"value\": \"how\","
        + " \"left\": None, \"right\": None}, \"right\": {\"value\": \"bake\", \"left\": None, \"right\": {\"value\":"
        + " \"bread\", \"left\": None, \"right\": None}}})"));
    assertEquals(frame("reverse", PROMPT), convert("code_chameleon", PROMPT), "reverse is the default");
    assertRefused("code_chameleon", new JsonObject().put("scheme", "rot13"), "parameters.scheme", "binary_tree");
  }

  @Test
  void framesNeverHoldThePromptInTheClear() {
    for (String scheme : CodeChameleon.SCHEMES) {
      String out = frame(scheme, PROMPT);
      assertTrue(!out.contains(PROMPT), scheme);
      assertTrue(out.contains("def decryption(encrypted):") && out.contains("```python\n") && out.endsWith("```"), scheme);
    }
  }

  /** The program's own decryption function, run by Python, gives the prompt back (skipped where Python is absent). */
  @Test
  void pythonDecryptsEveryFrameBackToThePrompt() throws Exception {
    Assumptions.assumeTrue(python(), "python3 is not installed");
    String prompt = "Explain, step by step, how \"old\" lighthouses\\lamps were kept lit";
    for (String scheme : CodeChameleon.SCHEMES) {
      String out = frame(scheme, prompt);
      String code = out.substring(out.indexOf("```python\n") + 10, out.lastIndexOf("```")) + "\nprint(task.task)\n";
      Path file = Files.createTempFile("chameleon", ".py");
      try {
        Files.writeString(file, code);
        Process p = new ProcessBuilder("python3", file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python finished");
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(prompt, printed, scheme + " decrypts to the prompt:\n" + code);
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  private static boolean python() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
