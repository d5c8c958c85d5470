package dev.gauntlet.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A user's memory file, and the folder it lives in, are readable by Gauntlet's account alone. */
class MemoryFileModeTest {

  @TempDir
  Path tmp;

  @Test
  void aNewMemoryIs0600InA0700Folder() throws Exception {
    Path file = tmp.resolve("memory/pyrit_memory_x.db");
    UserMemory memory = UserMemory.open("alice", file, "64MB", 1);
    try {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    } finally {
      memory.close();
    }
  }
}
