package dev.gauntlet.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A start with another salt would hand every user a new, empty memory: it must be refused. */
class SaltGuardIT {

  @TempDir
  Path tmp;

  @Test
  void startWithChangedSaltIsRefusedAndOriginalSaltFindsTheSameMemory() throws Exception {
    Path data = tmp.resolve("data");
    String generatorId;
    try (GauntletProcess g = new GauntletProcess(data, Map.of("PYRIT_DB_SALT", "first-salt"))) {
      g.start();
      String alice = g.newUser(g.adminToken(), "alice");
      generatorId = g.post("/api/v1/generators", alice, new JsonObject().put("name", "kept").put("type", "simulated"))
          .json().getString("id");
      // ViolentUTF's naming: sha256(salt bytes ‖ username bytes), so its files open as they are
      String expected = "pyrit_memory_" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest("first-saltalice".getBytes(StandardCharsets.UTF_8))) + ".db";
      assertEquals(expected, g.get("/api/v1/database/status", alice).json().getString("file"));
      assertEquals(0, g.stop());
      assertTrue(Files.exists(data.resolve("memory").resolve(expected)));
    }
    try (GauntletProcess g = new GauntletProcess(data, Map.of("PYRIT_DB_SALT", "another-salt"))) {
      int code = g.startExpectingExit(60);
      assertNotEquals(0, code, "a changed salt must stop the start");
      String out = g.output();
      assertTrue(out.contains("memory salt mismatch"), out);
      assertTrue(out.contains("PYRIT_DB_SALT") && out.contains("GAUNTLET_DATA_DIR"), "the message names the way out: " + out);
    }
    try (GauntletProcess g = new GauntletProcess(data, Map.of())) {
      assertNotEquals(0, g.startExpectingExit(60), "no salt at all, after a configured one, is refused too");
      assertTrue(g.output().contains("memory salt missing"), g.output());
    }
    try (GauntletProcess g = new GauntletProcess(data, Map.of("PYRIT_DB_SALT", "first-salt"))) {
      g.start();
      String alice = g.token("alice", "alice-password");
      assertEquals(200, g.get("/api/v1/generators/" + generatorId, alice).status(), "the original salt finds the same memory");
      assertEquals(0, g.get("/api/v1/admin/memory-health", g.adminToken()).json().getLong("switch_events"));
      assertEquals(0, g.stop());
    }
  }

  @Test
  void generatedSaltIsKeptAcrossRestarts() throws Exception {
    Path data = tmp.resolve("data");
    String file;
    try (GauntletProcess g = new GauntletProcess(data, Map.of())) {
      g.start();
      String bob = g.newUser(g.adminToken(), "bob");
      assertEquals(201, g.post("/api/v1/scorers", bob, new JsonObject().put("name", "s").put("type", "refusal")).status());
      file = g.get("/api/v1/database/status", bob).json().getString("file");
      assertEquals(0, g.stop());
    }
    try (GauntletProcess g = new GauntletProcess(data, Map.of())) {
      g.start();
      String bob = g.token("bob", "bob-password");
      assertEquals(file, g.get("/api/v1/database/status", bob).json().getString("file"));
      assertEquals(1, g.get("/api/v1/scorers", bob).json().getInteger("total"));
      g.stop();
    }
  }
}
