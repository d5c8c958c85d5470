package dev.gauntlet.it;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** JSON Web Tokens assembled by hand, as an attacker would: signed with any key, or not at all. */
final class Jwt {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {}

  static JsonObject claims(String subject, long expiresAt) {
    return new JsonObject().put("sub", subject).put("iss", "gauntlet").put("iat", Instant.now().getEpochSecond() - 60).put("exp", expiresAt);
  }

  static String hs256(JsonObject claims, String secret) throws Exception {
    String input = part(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + part(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code alg: none}: no signature at all. */
  static String unsigned(JsonObject claims) {
    return part(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + part(claims) + ".";
  }

  private static String part(JsonObject json) {
    return B64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
