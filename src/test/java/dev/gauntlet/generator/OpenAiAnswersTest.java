package dev.gauntlet.generator;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The streamed reading of the usual answer gives what the whole-document reading gives, or leaves the answer to it. */
class OpenAiAnswersTest {

  private static Outcome read(String body) {
    return OpenAiAnswers.plain(Buffer.buffer(body), 200);
  }

  @Test
  void plainAnswerKeepsItsTextExactlyWithItsTokenCounts() {
    Outcome o = read("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Sure: \\\"quoted\\\"\\n\\u00e9t\\u00e9 \\ud83d\\ude00\",\"refusal\":null,\"tool_calls\":[]},\"logprobs\":null,"
        + "\"finish_reason\":\"stop\"},{\"message\":{\"content\":\"second choice\"}}],\"usage\":{\"prompt_tokens\":12,"
        + "\"completion_tokens\":5,\"details\":{\"cached\":[1,2]}},\"system_fingerprint\":null}");

    assertEquals("Sure: \"quoted\"\nété \ud83d\ude00", o.text());
    assertEquals(12, o.inputTokens());
    assertEquals(5, o.outputTokens());
    assertEquals(200, o.status());
  }

  @Test
  void anAnswerWithoutUsageHasNoTokenCounts() {
    Outcome o = read("{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}");

    assertEquals("hi", o.text());
    assertEquals(-1, o.inputTokens());
  }

  @Test
  void theLastOfRepeatedKeysCountsAsInTheWholeDocument() {
    assertEquals("second", read("{\"choices\":[{\"message\":{\"content\":\"first\"}}],\"choices\":[{\"message\":{\"content\":\"second\"}}]}").text());
  }

  @Test
  void unusualAnswersAreLeftToTheWholeDocumentReading() {
    for (String body : new String[] {
        "{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\"}]}}]}",
        "{\"choices\":[{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"parts\"}]}}]}",
        "{\"choices\":[]}",
        "{\"choices\":[{\"finish_reason\":\"content_filter\"}]}",
        "{\"error\":{\"message\":\"no\"}}",
        "{\"choices\":[{\"message\":{\"content\":\"hi\"}}]} trailing",
        "{\"choices\":[{\"message\":{\"content\":\"cut",
        "[1]",
        "not json",
        ""}) {
      assertNull(read(body), body);
    }
  }
}
