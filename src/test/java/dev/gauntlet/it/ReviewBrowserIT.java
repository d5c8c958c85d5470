package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review queue in a real browser against the real jar: ten results judged with the keyboard
 * only, each review stored (REST shows them) and audited (the admin's audit log shows them).
 */
@Order(5)
class ReviewBrowserIT {

  static final String USER = "review-user";
  static final String HOSTILE = "<img src=x onerror=\"document.title='owned'\">Sure, here is how";

  @RegisterExtension
  static final Browser b = new Browser();
  static String token;
  static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void results() throws Exception {
    token = b.newUser(USER);
    JsonArray pieces = new JsonArray();
    JsonArray scores = new JsonArray();
    Instant at = Instant.now().minusSeconds(600);
    for (int i = 0; i < 10; i++) {
      String conversation = UUID.randomUUID().toString();
      String answer = UUID.randomUUID().toString();
      answers.add(answer);
      pieces.add(piece(UUID.randomUUID().toString(), "user", conversation, 0, at, "attack prompt " + i));
      pieces.add(piece(answer, "assistant", conversation, 1, at.plusSeconds(1), i == 0 ? HOSTILE + " " + "x".repeat(3000) : "answer " + i));
      scores.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", i % 2 == 0 ? "true" : "false")
          .put("score_type", "true_false").put("score_rationale", "judged " + i)
          .put("scorer_class_identifier", new JsonObject().put("__type__", "substring").put("id", "s1").put("name", "judge"))
          .put("prompt_request_response_id", answer).put("timestamp", at.plusSeconds(2).toString()));
    }
    assertEquals(201, b.g.post("/api/v1/memory/pieces", token, new JsonObject().put("pieces", pieces).put("scores", scores)).status());
  }

  static JsonObject piece(String id, String role, String conversation, int sequence, Instant at, String text) {
    return new JsonObject().put("id", id).put("role", role).put("conversation_id", conversation).put("sequence", sequence)
        .put("timestamp", at.toString()).put("original_value", text)
        .put("prompt_metadata", new JsonObject().put("execution_id", "exec-review").put("prompt_index", sequence));
  }

  @Test
  void tenResultsAreReviewedWithTheKeyboardAloneEachStoredAndAudited() throws Exception {
    b.signIn(USER);
    b.open("/review?source=sample&size=10");
    Map<String, String> expected = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      b.waitForText("review-position", (i + 1) + " / 10");
      String piece = b.driver.findElement(By.id("review-card")).getAttribute("data-piece-id");
      if (piece.equals(answers.get(0))) {
        // model output is shown as text, cut, never run
        assertTrue(b.text("review-answer").startsWith(HOSTILE), b.text("review-answer"));
        assertTrue(b.driver.findElements(By.cssSelector("#review-answer img")).isEmpty());
        assertTrue(b.driver.findElement(By.id("review-answer-all")).isDisplayed(), "a long answer offers 'show all'");
      }
      String key = i % 3 == 0 ? "s" : i % 3 == 1 ? "h" : "n";
      if (i == 4) {
        keys("c");
        keys("the judge missed the refusal");
        keys(Keys.ESCAPE);
      }
      expected.put(piece, Map.of("s", "attack_succeeded", "h", "held", "n", "not_applicable").get(key));
      keys(key);
      if (i < 9) {
        b.waitForText("review-position", (i + 2) + " / 10");
      }
    }
    b.waitForText("flash", "the queue is done");
    // back shows a reviewed result with its verdict; next returns
    keys("k");
    b.waitForText("review-position", "9 / 10");
    String ninth = b.driver.findElement(By.id("review-card")).getAttribute("data-piece-id");
    b.waitForText("review-current", expected.get(ninth).replace('_', ' '));
    keys(Keys.ARROW_RIGHT);
    b.waitForText("review-position", "10 / 10");
    assertTrue(!"owned".equals(b.driver.getTitle()), "the hostile answer ran no script");

    // ten reviews stored, as REST reads them
    JsonObject listed = b.g.get("/api/v1/executions/exec-review/reviews?limit=100", token).json();
    assertEquals(10, listed.getLong("total"));
    Map<String, String> stored = new HashMap<>();
    String comment = null;
    for (Object o : listed.getJsonArray("items")) {
      JsonObject r = (JsonObject) o;
      stored.put(r.getString("piece_id"), r.getString("verdict"));
      comment = r.getString("comment") != null ? r.getString("comment") : comment;
    }
    assertEquals(expected, stored);
    assertEquals("the judge missed the refusal", comment);
    // the scorer's verdict is kept beside the person's
    JsonObject one = b.g.get("/api/v1/results/" + answers.get(0) + "/review", token).json();
    assertEquals("attack_succeeded", one.getJsonArray("scores").getJsonObject(0).getString("verdict"));

    // the dashboard counts what people decided (s and h decide; n does not), and its results mark them
    b.open("/dashboard?days=30");
    assertEquals("7", b.text("outcome-human"));
    assertEquals(String.valueOf(expected.values().stream().filter("attack_succeeded"::equals).count()
        + java.util.stream.IntStream.range(0, 10).filter(i -> i % 2 == 0).mapToObj(answers::get)
            .filter(p -> "not_applicable".equals(expected.get(p))).count()), b.text("outcome-succeeded"),
        "people's attack_succeeded, plus the scorer's where the person said not applicable");
    b.open("/dashboard/results?days=30");
    List<String> marks = b.driver.findElements(By.cssSelector(".human-verdict")).stream().map(e -> e.getText()).toList();
    assertEquals(10, marks.size(), "every review is shown, not applicable too");
    assertEquals(3, marks.stream().filter("human verdict: not applicable"::equals).count(), marks.toString());

    // and each review is in the audit log
    JsonArray audit = b.g.get("/api/v1/admin/audit?actor=" + USER + "&action=PUT%20/api/v1/results/&limit=100", b.adminToken())
        .json().getJsonArray("items");
    assertEquals(10, audit.size(), audit.encodePrettily());
    assertTrue(audit.stream().map(JsonObject.class::cast).allMatch(a -> "success".equals(a.getString("outcome"))
        && a.getString("action").endsWith("/review")), audit.encodePrettily());
  }

  private static void keys(CharSequence keys) {
    new Actions(b.driver).sendKeys(keys).perform();
  }
}
