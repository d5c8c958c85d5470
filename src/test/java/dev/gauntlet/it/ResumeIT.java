package dev.gauntlet.it;

import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An execution survives a SIGKILL: after the restart it resumes from the last committed prompt.
 * Every prompt ends with exactly one result, and only prompts in flight (sent, not yet
 * committed) at the kill are sent to the target again.
 */
class ResumeIT {

  static final int PROMPTS = 300;
  static final int CONCURRENCY = 8;

  @TempDir
  Path tmp;

  @Test
  void executionResumesAfterSigkillWithNoPromptSkippedOrDoubled() throws Exception {
    try (FakeOpenAi fake = new FakeOpenAi(); GauntletProcess g = new GauntletProcess(tmp.resolve("data"), Map.of())) {
      fake.start(0);
      fake.latency(20);
      g.start();
      String user = g.newUser(g.adminToken(), "resumer");
      String generator = g.post("/api/v1/generators", user, new JsonObject().put("name", "fake").put("type", "openai_chat")
          .put("parameters", new JsonObject().put("base_url", fake.baseUrl()).put("model", "m"))).json().getString("id");
      JsonArray prompts = new JsonArray();
      for (int i = 0; i < PROMPTS; i++) {
        prompts.add(new JsonObject().put("value", "resume prompt " + i));
      }
      String dataset = g.post("/api/v1/datasets", user, new JsonObject().put("name", "d").put("prompts", prompts)).json().getString("id");
      String orchestrator = g.post("/api/v1/orchestrators", user, new JsonObject().put("name", "o").put("type", "prompt_sending")
          .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset).put("concurrency", CONCURRENCY)))
          .json().getString("id");
      String id = g.post("/api/v1/orchestrators/" + orchestrator + "/executions", user, null).json().getString("id");

      int doneBeforeKill = 0;
      while (doneBeforeKill < PROMPTS / 3) {
        Thread.sleep(50);
        doneBeforeKill = g.get("/api/v1/executions/" + id, user).json().getJsonObject("progress").getInteger("done");
      }
      g.kill();
      // counted after the kill: every request the killed process made
      long sentBeforeKill = fake.requests();
      assertTrue(doneBeforeKill < PROMPTS, "killed mid-run");

      g.start();
      user = g.token("resumer", "resumer-password");
      JsonObject execution = null;
      for (int i = 0; i < 600; i++) {
        execution = g.get("/api/v1/executions/" + id, user).json();
        if ("completed_with_errors".equals(execution.getString("status"))) { // no scorer: every answer unscored
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("completed_with_errors", execution.getString("status"), execution.encode());
      assertEquals(PROMPTS, execution.getJsonObject("progress").getInteger("done"));

      Set<Integer> indexes = new HashSet<>();
      JsonArray items = g.get("/api/v1/executions/" + id + "/results?limit=1000", user).json().getJsonArray("items");
      for (Object o : items) {
        assertTrue(indexes.add(((JsonObject) o).getInteger("prompt_index")), "a prompt recorded twice: " + o);
        assertEquals(2, ((JsonObject) o).getJsonArray("pieces").size());
      }
      assertEquals(PROMPTS, indexes.size(), "every prompt has its result, none skipped");
      assertEquals(PROMPTS * 2L, g.get("/api/v1/database/status", user).json().getJsonObject("tables").getLong("PromptMemoryEntries"),
          "no piece of an uncommitted prompt survives beside its resent copy");

      long resent = fake.requests() - PROMPTS;
      int doubled = 0;
      for (int i = 0; i < PROMPTS; i++) {
        doubled += fake.requestsFor("resume prompt " + i) > 1 ? 1 : 0;
      }
      System.out.println("resume: " + doneBeforeKill + " prompts committed before the kill, " + sentBeforeKill
          + " sent; " + resent + " requests re-sent after it (" + doubled + " prompts)");
      // only prompts in flight or awaiting their batch commit at the kill can be sent again
      assertTrue(resent <= sentBeforeKill - doneBeforeKill, "re-sent " + resent + ", but only "
          + (sentBeforeKill - doneBeforeKill) + " were uncommitted at the kill");
      assertEquals(0, g.get("/api/v1/admin/memory-health", g.adminToken()).json().getLong("switch_events"));
    }
  }
}
