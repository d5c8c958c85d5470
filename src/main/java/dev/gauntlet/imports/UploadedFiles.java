package dev.gauntlet.imports;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands an uploaded file from the HTTP layer to {@code imports.create} without reading it into
 * memory and without letting any caller name a server path: the upload route registers the
 * file under a random token, the operation takes it once. A bus or MCP caller cannot guess a token.
 */
public final class UploadedFiles {

  public record Upload(Path file, String fileName) {}

  private static final Map<String, Upload> WAITING = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private UploadedFiles() {}

  public static String offer(Path file, String fileName) {
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    String t = HexFormat.of().formatHex(token);
    WAITING.put(t, new Upload(file, fileName));
    return t;
  }

  /** The upload of a token, once; null for an unknown or used token. */
  public static Upload take(String token) {
    return token == null ? null : WAITING.remove(token);
  }

  /** Forgets a token whose request ended without its operation running. */
  public static void forget(String token) {
    if (token != null) {
      WAITING.remove(token);
    }
  }
}
