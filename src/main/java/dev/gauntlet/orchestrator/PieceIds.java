package dev.gauntlet.orchestrator;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for the conversations, pieces and scores an execution writes, five or
 * more per prompt. {@link UUID#randomUUID} shares one generator that takes a lock and reads
 * {@code /dev/urandom} every two ids; here each thread has its own {@link SecureRandom}
 * (SHA1PRNG, seeded by the system when first used), so an id costs one digest and no system call,
 * with the same 122 random bits.
 */
final class PieceIds {

  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
    try {
      return SecureRandom.getInstance("SHA1PRNG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  });

  private PieceIds() {}

  static UUID next() {
    byte[] b = new byte[16];
    RANDOM.get().nextBytes(b);
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (b[i] & 0xff);
      low = (low << 8) | (b[i + 8] & 0xff);
    }
    high = (high & ~0xF000L) | 0x4000L; // version 4
    low = (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(high, low);
  }
}
