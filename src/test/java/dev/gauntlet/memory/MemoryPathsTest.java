package dev.gauntlet.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryPathsTest {

  private static final byte[] SALT = "default_salt_2025".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  @Test
  void memoryFileNameMatchesViolentUtfFormula() {
    // python3 -c 'import hashlib;print(hashlib.sha256(b"default_salt_2025"+"alice".encode("utf-8")).hexdigest())'
    assertEquals("pyrit_memory_1e4bceb06ee74dbf426a7b87faaeb5caa0d275f4133140d70603050e9f0a4848.db",
        new MemoryPaths(dir, SALT).fileName("alice"));
  }

  @Test
  void usernameIsHashedAsUtf8() {
    // python3 -c 'import hashlib;print(hashlib.sha256(b"default_salt_2025"+"jos\u00e9".encode("utf-8")).hexdigest())'
    assertEquals("pyrit_memory_7d5e0aca8afc523b04e647967fd67b975a97d85fa831ed92677da3c582082fa1.db",
        new MemoryPaths(dir, SALT).fileName("jos\u00e9"));
  }

  @Test
  void differentUsersGetDifferentFiles() {
    MemoryPaths paths = new MemoryPaths(dir, SALT);
    // python3 -c 'import hashlib;print(hashlib.sha256(b"default_salt_2025"+"bob".encode("utf-8")).hexdigest())'
    assertEquals("pyrit_memory_63641bbc80a14466aa72a55fe4a1be8b6bbc69d57c0d025f67768454ec4f1cd1.db", paths.fileName("bob"));
    assertNotEquals(paths.fileName("alice"), paths.fileName("bob"));
    assertNotEquals(paths.fileName("alice"), paths.fileName("Alice"), "usernames are case-sensitive, as in ViolentUTF");
  }

  @Test
  void sameInputsGiveSameFile() {
    MemoryPaths first = new MemoryPaths(dir, SALT);
    MemoryPaths second = new MemoryPaths(dir, "default_salt_2025".getBytes(StandardCharsets.UTF_8));
    assertEquals(first.fileName("alice"), second.fileName("alice"));
    assertEquals(first.fileFor("alice"), second.fileFor("alice"));
  }

  @Test
  void differentSaltGivesDifferentFile() {
    assertNotEquals(new MemoryPaths(dir, SALT).fileName("alice"),
        new MemoryPaths(dir, "another_salt".getBytes(StandardCharsets.UTF_8)).fileName("alice"));
  }

  @Test
  void saltArrayChangedByCallerDoesNotMoveMemory() {
    byte[] salt = SALT.clone();
    MemoryPaths paths = new MemoryPaths(dir, salt);
    String before = paths.fileName("alice");
    salt[0] = 'X';
    assertEquals(before, paths.fileName("alice"));
  }

  @Test
  void fileForIsTheNamedFileInTheMemoryDirectory() {
    MemoryPaths paths = new MemoryPaths(dir.resolve("memory/../memory"), SALT);
    Path file = paths.fileFor("alice");
    assertEquals(dir.resolve("memory").toAbsolutePath().normalize(), file.getParent());
    assertEquals(paths.fileName("alice"), file.getFileName().toString());
    assertTrue(MemoryPaths.FILE_NAME.matcher(file.getFileName().toString()).matches());
  }

  @Test
  void userHashIsTheHexPartOfTheFileName() {
    assertEquals("1e4bceb06ee74dbf426a7b87faaeb5caa0d275f4133140d70603050e9f0a4848",
        new MemoryPaths(dir, SALT).userHash("alice"));
  }
}
