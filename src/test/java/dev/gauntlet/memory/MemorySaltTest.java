package dev.gauntlet.memory;

import dev.gauntlet.appdb.AppDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemorySaltTest {

  @TempDir
  Path dir;

  /** One "start": opens the app database in the data directory, resolves the salt, closes. */
  private <T> T start(Function<AppDatabase, T> work) {
    try (AppDatabase db = AppDatabase.open(dir.resolve("gauntlet.db"))) {
      return work.apply(db);
    }
  }

  private byte[] startWith(String configured) {
    return start(db -> MemorySalt.resolve(configured, db));
  }

  @Test
  void firstStartWithConfiguredSaltStoresItsFingerprint() {
    byte[] salt = startWith("default_salt_2025");
    assertArrayEquals("default_salt_2025".getBytes(StandardCharsets.UTF_8), salt);
    String stored = start(db -> db.setting(MemorySalt.FINGERPRINT).orElseThrow());
    assertEquals(MemorySalt.fingerprint("default_salt_2025"), stored);
    assertFalse(stored.contains("default_salt_2025"), "the fingerprint does not reveal the salt");
    assertTrue(start(db -> db.setting(MemorySalt.GENERATED)).isEmpty(), "a configured salt is not stored");
  }

  @Test
  void secondStartWithSameSaltIsAccepted() {
    startWith("default_salt_2025");
    assertArrayEquals("default_salt_2025".getBytes(StandardCharsets.UTF_8), startWith("default_salt_2025"));
  }

  @Test
  void differentSaltIsRefusedNamingTheProblemAndTheWayOut() {
    startWith("default_salt_2025");
    MemorySalt.Mismatch e = assertThrows(MemorySalt.Mismatch.class, () -> startWith("another_salt"));
    String m = e.getMessage();
    assertTrue(m.contains("salt mismatch"), m);
    assertTrue(m.contains("new, empty memory"), m);
    assertTrue(m.contains("PYRIT_DB_SALT"), m);
    assertTrue(m.contains("memory.salt"), m);
    assertTrue(m.contains("GAUNTLET_DATA_DIR") && m.contains("new directory"), m);
    assertFalse(m.contains("another_salt") || m.contains("default_salt_2025"), "the salts themselves are not printed");
  }

  @Test
  void refusedStartLeavesTheOriginalSaltUsable() {
    startWith("default_salt_2025");
    assertThrows(MemorySalt.Mismatch.class, () -> startWith("another_salt"));
    assertArrayEquals("default_salt_2025".getBytes(StandardCharsets.UTF_8), startWith("default_salt_2025"));
  }

  @Test
  void noSaltConfiguredGeneratesOneAndReusesIt() {
    byte[] first = startWith("");
    assertEquals(64, first.length, "32 random bytes as hex");
    assertTrue(new String(first, StandardCharsets.UTF_8).matches("[0-9a-f]{64}"));
    assertArrayEquals(first, startWith(""));
    assertArrayEquals(first, startWith(null));
  }

  @Test
  void generatedSaltsDifferBetweenDataDirectories(@TempDir Path other) {
    byte[] here = startWith("");
    byte[] there;
    try (AppDatabase db = AppDatabase.open(other.resolve("gauntlet.db"))) {
      there = MemorySalt.resolve("", db);
    }
    assertFalse(java.util.Arrays.equals(here, there));
  }

  @Test
  void generatedSaltThenDifferentConfiguredSaltIsRefused() {
    startWith("");
    MemorySalt.Mismatch e = assertThrows(MemorySalt.Mismatch.class, () -> startWith("default_salt_2025"));
    assertTrue(e.getMessage().contains("unset it"), e.getMessage());
  }

  @Test
  void generatedSaltMayAlsoBeGivenExplicitly() {
    byte[] generated = startWith("");
    assertArrayEquals(generated, startWith(new String(generated, StandardCharsets.UTF_8)));
  }

  @Test
  void configuredSaltThenNoSaltIsRefused() {
    startWith("default_salt_2025");
    MemorySalt.Mismatch e = assertThrows(MemorySalt.Mismatch.class, () -> startWith(""));
    assertTrue(e.getMessage().contains("PYRIT_DB_SALT"), e.getMessage());
    assertTrue(start(db -> db.setting(MemorySalt.GENERATED)).isEmpty(), "no salt was generated over the configured one");
  }
}
