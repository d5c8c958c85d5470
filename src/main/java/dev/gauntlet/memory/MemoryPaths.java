package dev.gauntlet.memory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one place a memory path is decided: {@code pyrit_memory_<hex sha256(salt ‖ username)>.db}
 * in the memory directory, ViolentUTF's naming, so its files open as they are. Nothing else in
 * Gauntlet builds a memory path.
 */
public final class MemoryPaths {

  public static final Pattern FILE_NAME = Pattern.compile("pyrit_memory_[0-9a-f]{64}\\.db");

  private final Path dir;
  private final byte[] salt;

  public MemoryPaths(Path dir, byte[] salt) {
    this.dir = dir.toAbsolutePath().normalize();
    this.salt = salt.clone();
  }

  public Path dir() {
    return dir;
  }

  /** The file name of a user's memory, from the frozen canonical username. */
  public String fileName(String username) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      sha.update(username.getBytes(StandardCharsets.UTF_8));
      return "pyrit_memory_" + HexFormat.of().formatHex(sha.digest()) + ".db";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path fileFor(String username) {
    return dir.resolve(fileName(username));
  }

  /** The per-user folder name for uploads, reports and backups: the memory hash. */
  public String userHash(String username) {
    String name = fileName(username);
    return name.substring("pyrit_memory_".length(), name.length() - ".db".length());
  }
}
