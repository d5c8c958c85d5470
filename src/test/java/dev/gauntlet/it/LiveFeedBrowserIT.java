package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An open execution page over a server restart: still signed in, and its live feed comes back by itself. */
class LiveFeedBrowserIT {

  @RegisterExtension
  static final Browser b = new Browser();

  @Test
  void anOpenExecutionPageReconnectsItsLiveFeedAfterARestart() throws Exception {
    String token = b.newUser("restart-watcher");
    String generator = Browser.create(b.g, token, "generators", new JsonObject().put("name", "sim").put("type", "simulated")
        .put("parameters", new JsonObject().put("mode", "comply")));
    String dataset = Browser.create(b.g, token, "datasets", new JsonObject().put("name", "few").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", "one")).add(new JsonObject().put("value", "two"))));
    String orchestrator = Browser.create(b.g, token, "orchestrators", new JsonObject().put("name", "o").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset)));
    String execution = b.g.post("/api/v1/orchestrators/" + orchestrator + "/executions", token, null).json().getString("id");

    b.signIn("restart-watcher");
    b.open("/executions/" + execution);
    b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));

    b.g.stop();
    b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "reconnecting"));
    b.g.start();

    // the same page, not reloaded: its socket reopens with the same cookie and reads the progress again
    new WebDriverWait(b.driver, Duration.ofSeconds(40))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
    assertEquals("live", b.text("live"));
    b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "completed"));
    b.open("/");
    assertTrue(b.driver.findElements(By.id("memory-file")).size() == 1, "still signed in after the restart");
  }
}
