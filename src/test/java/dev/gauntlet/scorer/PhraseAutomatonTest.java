package dev.gauntlet.scorer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The automaton answers what looking for each pattern in turn with {@code contains} answers. */
class PhraseAutomatonTest {

  static int naive(List<String> patterns, String text) {
    for (int i = 0; i < patterns.size(); i++) {
      if (text.contains(patterns.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void findsTheFirstPatternInListOrderNotTheLeftmost() {
    List<String> patterns = List.of(" she sells ", " he ", " sells sea ", " shells ", " he sells ");
    PhraseAutomaton a = new PhraseAutomaton(patterns);
    assertEquals(1, a.lowestFound(" so he said "));
    assertEquals(2, a.lowestFound(" it sells sea shells "), "pattern 2 before 3, though 3 is not leftmost either");
    assertEquals(0, a.lowestFound(" she sells sea shells "), "found inside a longer match, through a failure link");
    assertEquals(1, a.lowestFound(" ahe he "));
    assertEquals(-1, a.lowestFound(" shesells "));
    assertEquals(-1, a.lowestFound(" ça va été "), "characters no pattern holds");
  }

  @Test
  void agreesWithContainsOnRandomTexts() {
    Random r = new Random(11);
    String alphabet = "ab c";
    for (int round = 0; round < 200; round++) {
      List<String> patterns = new java.util.ArrayList<>();
      for (int i = 0; i < 1 + r.nextInt(12); i++) {
        patterns.add(random(r, alphabet, 1 + r.nextInt(5)));
      }
      PhraseAutomaton a = new PhraseAutomaton(patterns);
      for (int t = 0; t < 50; t++) {
        String text = random(r, alphabet + "xé", r.nextInt(40));
        assertEquals(naive(patterns, text), a.lowestFound(text), () -> patterns + " in '" + text + "'");
      }
    }
  }

  private static String random(Random r, String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
