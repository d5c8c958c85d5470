package dev.gauntlet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One Gauntlet per data directory: a second process started on a directory another one uses
 * exits and names the first, which carries on; once the first is killed, its lock file left
 * behind blocks nothing.
 */
class DataDirLockIT {

  @TempDir
  Path tmp;

  @Test
  void aSecondProcessOnTheSameDataDirectoryIsRefusedAndNamesTheFirst() throws Exception {
    Path data = tmp.resolve("first").resolve("data");
    Files.createDirectories(data.getParent());
    // the second reaches the same directory by another path (its own log file name, too)
    Path alias = Files.createSymbolicLink(tmp.resolve("second"), data.getParent());
    try (GauntletProcess first = new GauntletProcess(data, Map.of());
         GauntletProcess second = new GauntletProcess(alias.resolve("data"), Map.of())) {
      first.start();
      String alice = first.newUser(first.adminToken(), "alice");

      int code = second.startExpectingExit(60);
      assertNotEquals(0, code, "the second process must not start");
      String out = second.output();
      assertTrue(out.contains("in use by Gauntlet pid " + first.pid() + " on host "), out);
      assertTrue(out.contains("started 20"), "the message says when the first started: " + out);
      assertTrue(out.contains("GAUNTLET_DATA_DIR"), "the message names the way out: " + out);

      assertEquals(200, first.get("/api/v1/auth/me", alice).status(), "the first process is unaffected");
      assertEquals(200, first.get("/api/v1/generators", alice).status(), "and its users' memories open");

      first.kill();
      assertTrue(Files.exists(data.resolve("gauntlet.lock")), "a killed process leaves its lock file");
      second.start();
      assertEquals(200, second.get("/api/v1/auth/me", second.token("alice", "alice-password")).status(),
          "a stale lock file does not block a restart");
      assertEquals(0, second.stop());
    }
  }
}
