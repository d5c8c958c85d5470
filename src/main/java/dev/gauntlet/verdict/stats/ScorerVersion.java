package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The version of a scorer: the first 16 hex digits of SHA-256 over its type and parameters in
 * canonical JSON ({@code {"parameters":…,"type":…}}, keys sorted at every depth, no whitespace).
 * Editing any parameter makes a new version, so judge quality and re-scores are kept per version;
 * saving the same settings again, in any key order, keeps the version.
 *
 * <p>It covers the scorer's own parameters only. A parameter that names another configuration
 * (a judge generator, a combinator's member scorers) is hashed as the id it holds: to version what
 * the id points to as well, pass the parameters with those references already resolved.
 */
public final class ScorerVersion {

  /** Hex digits kept: 64 bits, ample against accidental collisions among one user's scorers. */
  public static final int LENGTH = 16;

  private ScorerVersion() {
  }

  /** The version of a scorer of {@code type} with {@code parameters} (null counts as {}). */
  public static String of(String type, JsonObject parameters) {
    return HexFormat.of().formatHex(sha256(canonical(type, parameters))).substring(0, LENGTH);
  }

  /** The exact text hashed, for showing or checking a version by hand. */
  public static String canonical(String type, JsonObject parameters) {
    JsonObject whole = new JsonObject()
        .put("type", type)
        .put("parameters", parameters == null ? new JsonObject() : parameters);
    return CanonicalJson.write(whole);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
