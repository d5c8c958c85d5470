package dev.gauntlet.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordsTest {

  /**
   * The reference implementation's argon2id vector (phc-winner-argon2): password "password",
   * salt "somesalt", t=2, m=65536, p=1, 32-byte output. Proves interoperability with hashes
   * made elsewhere, not only with our own.
   */
  private static final String REFERENCE = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

  @Test
  void hashVerifiesItsPassword() {
    String hash = Passwords.hash("correct horse battery");
    assertTrue(Passwords.verify("correct horse battery", hash));
  }

  @Test
  void wrongPasswordFails() {
    String hash = Passwords.hash("correct horse battery");
    assertFalse(Passwords.verify("correct horse batterY", hash));
    assertFalse(Passwords.verify("", hash));
  }

  @Test
  void hashesOfSamePasswordDifferBecauseSalted() {
    String a = Passwords.hash("same password");
    String b = Passwords.hash("same password");
    assertNotEquals(a, b);
    assertNotEquals(a.split("\\$")[4], b.split("\\$")[4], "each hash has its own salt");
    assertTrue(Passwords.verify("same password", a) && Passwords.verify("same password", b));
  }

  @Test
  void hashIsArgon2idPhcStringWithOwaspParameters() {
    String hash = Passwords.hash("pw-format-check");
    assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
  }

  @Test
  void referenceVectorFromAnotherImplementationVerifies() {
    assertTrue(Passwords.verify("password", REFERENCE));
    assertFalse(Passwords.verify("passwore", REFERENCE));
  }

  @Test
  void tamperedHashFails() {
    String hash = Passwords.hash("tamper me");
    char last = hash.charAt(hash.length() - 2);
    String tampered = hash.substring(0, hash.length() - 2) + (last == 'A' ? 'B' : 'A') + hash.charAt(hash.length() - 1);
    assertFalse(Passwords.verify("tamper me", tampered));
  }

  @Test
  void malformedStoredHashIsFalseNotAnException() {
    String[] malformed = {
        null, "", "garbage", "$argon2id$", "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ012",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=x,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,q=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,p=1$!!not base64!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,p=0$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$",
        "$argon2id$v=19$,,$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    };
    for (String stored : malformed) {
      assertFalse(Passwords.verify("password", stored), String.valueOf(stored));
    }
  }

  @Test
  void generatedPasswordsAreLongAndDistinct() {
    String a = Passwords.generate();
    String b = Passwords.generate();
    assertTrue(a.matches("[A-Za-z0-9_-]{24}"), a);
    assertNotEquals(a, b);
  }
}
