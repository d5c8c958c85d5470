package dev.gauntlet.auth;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.MemoryPaths;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usernames in any script, one form per name, and no name that passes for another. */
class UsernamesTest {

  @Test
  void namesInAnyScriptAreTakenInTheirNfcForm() {
    assertEquals("ren\u00e9e", Usernames.require("ren\u00e9e", "username"));
    assertEquals("ren\u00e9e", Usernames.require("rene\u0301e", "username"), "a combining accent is the same name");
    assertEquals("\u5f20\u4f1f", Usernames.require("\u5f20\u4f1f", "username"));
    assertEquals("\u0437\u043e\u044f", Usernames.require("\u0437\u043e\u044f", "username"), "Cyrillic alone is fine");
    assertEquals("\u5c71\u7530\u305f\u308d\u3046", Usernames.require("\u5c71\u7530\u305f\u308d\u3046", "username"),
        "Han and Hiragana are written together");
    assertEquals("j.doe_2@example-corp", Usernames.require("j.doe_2@example-corp", "username"));
  }

  @Test
  void invisibleControlPrivateAndMixedScriptNamesAreRefusedSayingWhy() {
    assertTrue(refused("ali\u200bce").contains("invisible"), "a zero-width space");
    assertTrue(refused("al\u0007ice").contains("control"));
    assertTrue(refused("\ue000alice").contains("start with") || refused("\ue000alice").contains("private-use"));
    assertTrue(refused("alice\ue000").contains("private-use"));
    assertTrue(refused("p\u0430ypal").contains("Cyrillic") && refused("p\u0430ypal").contains("Latin"), "a Cyrillic a in a Latin name");
    assertTrue(refused("alice smith").contains("letters, marks and digits"));
    assertTrue(refused("-alice").contains("start with"));
    assertTrue(refused("").contains("1 to 64"));
    assertTrue(refused("\u5f20".repeat(65)).contains("1 to 64"), "64 characters, not 64 bytes");
  }

  @Test
  void aNamesMemoryFileIsViolentUtfsSha256OfSaltAndTheNfcName() throws Exception {
    byte[] salt = "violentutf-salt".getBytes(StandardCharsets.UTF_8);
    MemoryPaths paths = new MemoryPaths(Path.of("memory"), salt);
    String name = Usernames.require("rene\u0301e", "username");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(salt);
    sha.update("ren\u00e9e".getBytes(StandardCharsets.UTF_8));
    assertEquals("pyrit_memory_" + HexFormat.of().formatHex(sha.digest()) + ".db", paths.fileName(name));
  }

  private static String refused(String name) {
    return assertThrows(Problem.class, () -> Usernames.require(name, "username")).getMessage();
  }
}
