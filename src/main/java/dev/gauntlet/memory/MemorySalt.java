package dev.gauntlet.memory;

import dev.gauntlet.appdb.AppDatabase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Decides the salt that names memory files, and refuses a start whose salt would silently give
 * every user a new, empty memory: the fingerprint of the first salt is kept in the app database
 * and every later start must present the same one.
 */
public final class MemorySalt {

  static final String FINGERPRINT = "memory.salt.fingerprint";
  static final String GENERATED = "memory.salt.generated";

  /** Thrown when the configured salt does not match the one the data directory was made with. */
  public static final class Mismatch extends RuntimeException {
    Mismatch(String message) {
      super(message);
    }
  }

  private MemorySalt() {}

  /** The salt bytes to name memory files with; throws {@link Mismatch} rather than switch files. */
  public static byte[] resolve(String configured, AppDatabase db) {
    Optional<String> storedPrint = db.setting(FINGERPRINT);
    Optional<String> generated = db.setting(GENERATED);
    String salt;
    if (configured != null && !configured.isEmpty()) {
      salt = configured;
    } else if (generated.isPresent()) {
      salt = generated.get();
    } else if (storedPrint.isPresent()) {
      throw new Mismatch("memory salt missing: the memory files in this data directory were named with a configured salt "
          + "(fingerprint " + storedPrint.get() + "), and none is configured now. Starting would give every user a new, "
          + "empty memory. Set memory.salt or PYRIT_DB_SALT to the original salt, or point GAUNTLET_DATA_DIR at a new directory.");
    } else {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      salt = HexFormat.of().formatHex(random);
      db.putSetting(GENERATED, salt);
    }
    String print = fingerprint(salt);
    if (storedPrint.isPresent() && !storedPrint.get().equals(print)) {
      throw new Mismatch("memory salt mismatch: the salt given (fingerprint " + print + ") is not the one the memory files in "
          + db.file().getParent() + " were named with (fingerprint " + storedPrint.get() + "). Starting would give every user a "
          + "new, empty memory. Restore the original salt in memory.salt or PYRIT_DB_SALT"
          + (generated.isPresent() ? " (or unset it: this directory keeps its own generated salt)" : "")
          + ", or point GAUNTLET_DATA_DIR at a new directory.");
    }
    if (storedPrint.isEmpty()) {
      db.putSetting(FINGERPRINT, print);
    }
    return salt.getBytes(StandardCharsets.UTF_8);
  }

  /** A short, non-reversible fingerprint of a salt, safe to print and store. */
  static String fingerprint(String salt) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] d = sha.digest(("gauntlet salt fingerprint\0" + salt).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
