package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An online backup taken while an execution writes, restored into a fresh data directory: the
 * restored server starts with the same generated salt, the same users and every row committed
 * before the backup began. Also the admin consolidation endpoint, through the user's shard.
 */
class BackupIT {

  @TempDir
  Path tmp;

  @Test
  void backupWhileRunningThenRestoreKeepsEveryCommittedRow() throws Exception {
    Path backupDir;
    String generator;
    String dataset;
    String orchestrator;
    String execution;
    long committedBefore;
    try (GauntletProcess g = new GauntletProcess(tmp.resolve("data"), Map.of())) {
      g.start();
      String admin = g.adminToken();
      String user = g.newUser(admin, "backer");
      generator = g.post("/api/v1/generators", user, new JsonObject().put("name", "slow").put("type", "simulated")
          .put("parameters", new JsonObject().put("latency_ms", 40))).json().getString("id");
      JsonArray prompts = new JsonArray();
      for (int i = 0; i < 200; i++) {
        prompts.add(new JsonObject().put("value", "backup prompt " + i));
      }
      dataset = g.post("/api/v1/datasets", user, new JsonObject().put("name", "d").put("prompts", prompts)).json().getString("id");
      orchestrator = g.post("/api/v1/orchestrators", user, new JsonObject().put("name", "o").put("type", "prompt_sending")
          .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset).put("concurrency", 2)))
          .json().getString("id");
      execution = g.post("/api/v1/orchestrators/" + orchestrator + "/executions", user, null).json().getString("id");
      int done = 0;
      while (done < 20) {
        Thread.sleep(50);
        done = g.get("/api/v1/executions/" + execution, user).json().getJsonObject("progress").getInteger("done");
      }
      committedBefore = pieces(g, user);
      GauntletProcess.Response backup = g.post("/api/v1/admin/backup", admin, new JsonObject());
      assertEquals(200, backup.status(), backup.text());
      JsonObject status = g.get("/api/v1/executions/" + execution, user).json();
      assertEquals("running", status.getString("status"), "the backup was taken while the execution ran");
      backupDir = Path.of(backup.json().getString("dir"));
      assertTrue(backupDir.startsWith(tmp.resolve("data").resolve("files").resolve("backups")), backupDir.toString());
      assertTrue(Files.isRegularFile(backupDir.resolve("gauntlet.db")));
      assertEquals(2, Files.list(backupDir.resolve("memory")).count(), "admin's and backer's memory");
      assertEquals(404, g.post("/api/v1/admin/backup", admin, new JsonObject().put("user", "nobody")).status());
      assertEquals(403, g.post("/api/v1/admin/backup", user, new JsonObject()).status());

      consolidateThroughTheShard(g, admin, user);
      g.stop();
    }

    Path restored = tmp.resolve("restored");
    assertEquals(0, jar("restore", "--from", backupDir.toString(), "--data-dir", restored.toString()));
    assertNotEquals(0, jar("restore", "--from", backupDir.toString(), "--data-dir", restored.toString()),
        "a non-empty data dir is refused");

    try (GauntletProcess g = new GauntletProcess(restored, Map.of())) {
      g.start();
      String user = g.token("backer", "backer-password");
      long restoredPieces = pieces(g, user);
      assertTrue(restoredPieces >= committedBefore, restoredPieces + " restored, " + committedBefore + " committed before the backup");
      assertEquals(200, g.get("/api/v1/generators/" + generator, user).status());
      assertEquals(200, g.get("/api/v1/datasets/" + dataset, user).status());
      assertEquals(200, g.get("/api/v1/orchestrators/" + orchestrator, user).status());
      assertEquals(200, g.get("/api/v1/executions/" + execution, user).status());
      JsonObject health = g.get("/api/v1/admin/memory-health", g.adminToken()).json();
      assertEquals(0L, health.getLong("switch_events"));
      assertEquals(0, health.getJsonArray("orphans").size(), health.encode());
      g.stop();
    }
  }

  private static long pieces(GauntletProcess g, String token) throws Exception {
    return g.get("/api/v1/database/status", token).json().getJsonObject("tables").getLong("PromptMemoryEntries");
  }

  /** A ViolentUTF orchestrator file with two pieces (and none of the optional columns), merged by the running server. */
  private void consolidateThroughTheShard(GauntletProcess g, String admin, String user) throws Exception {
    Path stray = tmp.resolve("stray");
    Files.createDirectories(stray);
    Path file = stray.resolve("orchestrator_memory_abcd1234.db");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE PromptMemoryEntries (id UUID, role VARCHAR, conversation_id VARCHAR, sequence INTEGER, "
          + "timestamp TIMESTAMP, original_value_data_type VARCHAR, original_value VARCHAR, converted_value_data_type VARCHAR, "
          + "converted_value VARCHAR, original_prompt_id UUID)");
      s.execute("INSERT INTO PromptMemoryEntries SELECT uuid(), 'user', 'stray', 0, now(), 'text', 'v', 'text', 'v', uuid() FROM range(2)");
    }
    byte[] before = Files.readAllBytes(file);
    JsonObject body = new JsonObject().put("from", stray.toString());
    GauntletProcess.Response refused = g.post("/api/v1/admin/memory/consolidate", admin, body);
    assertEquals(400, refused.status(), refused.text());
    assertEquals("user_required", refused.errorCode());
    assertEquals("unknown_user", g.post("/api/v1/admin/memory/consolidate", admin, body.copy().put("user", "nobody")).errorCode());
    long piecesBefore = pieces(g, user);
    GauntletProcess.Response dry = g.post("/api/v1/admin/memory/consolidate", admin, body.copy().put("user", "backer").put("dry_run", true));
    assertEquals(200, dry.status(), dry.text());
    assertEquals(2, dry.json().getJsonArray("files").getJsonObject(0).getJsonObject("tables")
        .getJsonObject("PromptMemoryEntries").getInteger("added"));
    assertTrue(pieces(g, user) - piecesBefore < 2 * 200, "dry run");
    GauntletProcess.Response merged = g.post("/api/v1/admin/memory/consolidate", admin, body.copy().put("user", "backer"));
    assertEquals(200, merged.status(), merged.text());
    assertEquals(2, merged.json().getJsonArray("files").getJsonObject(0).getJsonObject("tables")
        .getJsonObject("PromptMemoryEntries").getInteger("added"));
    GauntletProcess.Response again = g.post("/api/v1/admin/memory/consolidate", admin, body.copy().put("user", "backer"));
    assertEquals(2, again.json().getJsonArray("files").getJsonObject(0).getJsonObject("tables")
        .getJsonObject("PromptMemoryEntries").getInteger("present"));
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the original is untouched");
  }

  private int jar(String... args) throws Exception {
    // its temporary files (DuckDB's extracted library stays after the command ends) in the test run's folder
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar", GauntletProcess.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    System.out.println(out);
    return p.exitValue();
  }
}
