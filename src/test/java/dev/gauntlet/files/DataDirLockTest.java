package dev.gauntlet.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data directory's lock: held once, named in the refusal, given back at a stop, and a stale file is no lock. */
class DataDirLockTest {

  @TempDir
  Path dir;

  @Test
  void aDirectoryIsHeldOnceAndFreeAgainAfterRelease() throws Exception {
    DataDirLock.acquire(dir);
    try {
      String content = Files.readString(dir.resolve(DataDirLock.FILE));
      assertTrue(content.contains("pid=" + ProcessHandle.current().pid()), content);
      DataDirLock.Held again = assertThrows(DataDirLock.Held.class, () -> DataDirLock.acquire(dir.resolve(".")));
      assertTrue(again.getMessage().contains(dir.toAbsolutePath().normalize().toString()), again.getMessage());
    } finally {
      DataDirLock.release(dir);
    }
    DataDirLock.acquire(dir);
    DataDirLock.release(dir);
  }

  @Test
  void aLockFileLeftByAKilledProcessBlocksNothing() throws Exception {
    Files.writeString(dir.resolve(DataDirLock.FILE), "pid=999999\nhost=gone\nstarted=2020-01-01T00:00:00Z\n");
    DataDirLock.acquire(dir);
    try {
      assertTrue(Files.readString(dir.resolve(DataDirLock.FILE)).contains("pid=" + ProcessHandle.current().pid()),
          "the new holder's name replaces the old one");
    } finally {
      DataDirLock.release(dir);
    }
  }

  @Test
  void theHolderIsDescribedByPidHostAndStart() {
    assertEquals("Gauntlet pid 42 on host box, started 2026-01-01T00:00:00Z",
        DataDirLock.describe("pid=42\nhost=box\nstarted=2026-01-01T00:00:00Z\n"));
  }
}
