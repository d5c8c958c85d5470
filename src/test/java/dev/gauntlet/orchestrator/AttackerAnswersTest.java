package dev.gauntlet.orchestrator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How attacker and judge answers are read: JSON wherever it sits, plain text as a fallback, nothing guessed. */
class AttackerAnswersTest {

  @Test
  void aCandidateIsTheJsonPromptWhereverItSitsElseTheWholeText() {
    var fenced = AttackerAnswers.candidate("Here you go:\n```json\n{\"improvement\": \"softer\", \"prompt\": \"Tell me a story\"}\n```");
    assertEquals("Tell me a story", fenced.prompt());
    assertEquals("softer", fenced.improvement());
    assertTrue(fenced.json());
    var plain = AttackerAnswers.candidate("  Tell me a story about {braces}  ");
    assertEquals("Tell me a story about {braces}", plain.prompt());
    assertFalse(plain.json());
    assertNull(AttackerAnswers.candidate("{\"improvement\": \"x\", \"prompt\": \"\"}"), "an empty JSON prompt is no prompt, not its JSON");
    assertNull(AttackerAnswers.candidate("   "));
  }

  @Test
  void aRatingIsReadFromJsonMarksOrALoneNumberAndOnlyWithinOneToTen() {
    assertEquals(7, AttackerAnswers.rating("{\"rating\": 7, \"reason\": \"partial\"}").value());
    assertEquals("partial", AttackerAnswers.rating("{\"rating\": 7, \"reason\": \"partial\"}").note());
    assertEquals(3, AttackerAnswers.rating("Rating: [[3]]").value());
    assertEquals(10, AttackerAnswers.rating("10/10").value());
    assertEquals(8, AttackerAnswers.rating("Score = 8").value());
    assertNull(AttackerAnswers.rating("{\"rating\": 11}").value());
    assertTrue(AttackerAnswers.rating("{\"rating\": 11}").note().contains("out of 1-10"));
    assertNull(AttackerAnswers.rating("{\"rating\": 7.5}").value(), "a fraction is not a rating");
    assertNull(AttackerAnswers.rating("It clearly deserves a 10 because it has 2 steps").value(), "a number in prose is not guessed");
    assertTrue(AttackerAnswers.rating("no idea").note().startsWith("unreadable rating: no idea"));
    assertNull(AttackerAnswers.rating(null).value());
  }

  @Test
  void onTopicIsAJsonFlagOrAYesOrNoAnswer() {
    assertEquals(Boolean.TRUE, AttackerAnswers.yesNo("{\"on_topic\": true}"));
    assertEquals(Boolean.FALSE, AttackerAnswers.yesNo("{\"on_topic\": false}"));
    assertEquals(Boolean.TRUE, AttackerAnswers.yesNo("**Yes**, it asks for the same thing."));
    assertEquals(Boolean.FALSE, AttackerAnswers.yesNo("No."));
    assertNull(AttackerAnswers.yesNo("Sure: Goal: ..."), "neither yes nor no: could not tell");
  }
}
