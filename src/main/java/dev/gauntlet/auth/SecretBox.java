package dev.gauntlet.auth;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encrypts configuration secrets (API keys, header values) at rest with AES-256-GCM. A sealed
 * value reads {@code enc:v1:} + base64(iv ‖ ciphertext ‖ tag) with a fresh 12-byte IV each
 * time, so equal secrets never look equal on disk, and any change to it is detected on open.
 */
public final class SecretBox {

  /** Marks a sealed value; the version lets a later key or cipher change tell old values apart. */
  public static final String PREFIX = "enc:v1:";

  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the secret key must be " + KEY_BYTES + " bytes, got " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A box over a raw 32-byte key. */
  public static SecretBox of(byte[] key) {
    return new SecretBox(key.clone());
  }

  /**
   * The configured key ({@code GAUNTLET_SECRET_KEY}, base64 of 32 bytes) when given, else the key
   * in {@code keyFile}, generated there once with mode 0600 if missing. Blocking file I/O: call
   * at startup or off the event loop.
   */
  public static SecretBox load(String configuredKey, Path keyFile) {
    if (configuredKey != null && !configuredKey.isBlank()) {
      return new SecretBox(decodeKey(configuredKey, "GAUNTLET_SECRET_KEY"));
    }
    if (keyFile == null) {
      throw new IllegalArgumentException("no secret key configured and no key file given");
    }
    try {
      if (!Files.exists(keyFile)) {
        create(keyFile);
      }
      return new SecretBox(decodeKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret key file " + keyFile, e);
    }
  }

  /** A fresh random key, base64, suitable for {@code GAUNTLET_SECRET_KEY}. */
  public static String generateKey() {
    byte[] k = new byte[KEY_BYTES];
    RANDOM.nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  public String seal(String plaintext) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** The plaintext; a {@link SecretException} when the value is not sealed, altered, or sealed under another key. */
  public String open(String sealed) {
    if (!isSealed(sealed)) {
      throw new SecretException("the value is not a sealed secret");
    }
    byte[] all;
    try {
      all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new SecretException("the sealed secret is not valid base64");
    }
    if (all.length < IV_BYTES + TAG_BITS / 8) {
      throw new SecretException("the sealed secret is truncated");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
      return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new SecretException("the sealed secret was altered or sealed with a different key");
    } catch (GeneralSecurityException e) {
      throw new SecretException("the sealed secret cannot be opened: " + e.getMessage());
    }
  }

  /** A sealed secret that cannot be opened. */
  public static final class SecretException extends RuntimeException {
    public SecretException(String message) {
      super(message);
    }
  }

  private static byte[] decodeKey(String base64, String source) {
    byte[] k;
    try {
      k = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is not valid base64");
    }
    if (k.length != KEY_BYTES) {
      throw new IllegalArgumentException(source + " must hold base64 of " + KEY_BYTES + " bytes, got " + k.length);
    }
    return k;
  }

  /** Written beside the target and linked into place, so a crash never leaves a half-written key. */
  private static void create(Path keyFile) throws IOException {
    Path dir = keyFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] ownerOnly = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, ".secret-key", ".tmp", ownerOnly);
    try {
      Files.writeString(tmp, generateKey() + "\n", StandardCharsets.US_ASCII);
      try {
        // a hard link never replaces: if another process created the key first, theirs is kept
        Files.createLink(keyFile, tmp);
      } catch (FileAlreadyExistsException raced) {
        // use theirs
      } catch (UnsupportedOperationException | IOException noLinks) {
        Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
