package dev.gauntlet.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

  @TempDir
  Path dir;

  @Test
  void sealedValueOpensAndDiffersEachTime() {
    SecretBox box = SecretBox.load(SecretBox.generateKey(), null);

    String a = box.seal("sk-123");
    String b = box.seal("sk-123");

    assertTrue(a.startsWith("enc:v1:"));
    assertNotEquals(a, b);
    assertFalse(a.contains("sk-123"));
    assertEquals("sk-123", box.open(a));
    assertEquals("", box.open(box.seal("")));
    assertEquals("ключ ✓", box.open(box.seal("ключ ✓")));
  }

  @Test
  void keyFileIsCreatedOnceOwnerOnlyAndReused() throws Exception {
    Path keyFile = dir.resolve("keys/secret.key");

    SecretBox first = SecretBox.load(null, keyFile);
    String sealed = first.seal("hello");
    SecretBox again = SecretBox.load("", keyFile);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals(32, Base64.getDecoder().decode(Files.readString(keyFile).trim()).length);
    assertEquals("hello", again.open(sealed));
    try (var files = Files.list(keyFile.getParent())) {
      assertEquals(1, files.count(), "no temporary file left beside the key");
    }
  }

  @Test
  void configuredKeyWinsAndNoKeyFileIsWritten() {
    String key = SecretBox.generateKey();
    Path keyFile = dir.resolve("secret.key");

    String sealed = SecretBox.load(key, keyFile).seal("v");

    assertFalse(Files.exists(keyFile));
    assertEquals("v", SecretBox.load(key, null).open(sealed));
  }

  @Test
  void differentKeyCannotOpen() {
    String sealed = SecretBox.load(SecretBox.generateKey(), null).seal("secret");

    SecretBox.SecretException e = assertThrows(SecretBox.SecretException.class,
        () -> SecretBox.load(SecretBox.generateKey(), null).open(sealed));
    assertTrue(e.getMessage().contains("different key"), e.getMessage());
  }

  @Test
  void tamperedCiphertextIsDetected() {
    SecretBox box = SecretBox.load(SecretBox.generateKey(), null);
    byte[] raw = Base64.getDecoder().decode(box.seal("secret").substring("enc:v1:".length()));
    raw[raw.length - 20] ^= 1;
    String tampered = "enc:v1:" + Base64.getEncoder().encodeToString(raw);

    assertThrows(SecretBox.SecretException.class, () -> box.open(tampered));
    assertThrows(SecretBox.SecretException.class, () -> box.open("enc:v1:AAAA"));
    assertThrows(SecretBox.SecretException.class, () -> box.open("enc:v1:not base64!"));
    assertThrows(SecretBox.SecretException.class, () -> box.open("plaintext"));
  }

  @Test
  void keyOfTheWrongLengthIsRefused() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretBox.load(shortKey, null));
    assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
  }
}
