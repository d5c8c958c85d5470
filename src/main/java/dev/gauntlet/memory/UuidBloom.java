package dev.gauntlet.memory;

import java.util.UUID;

/**
 * A Bloom filter over UUIDs that keeps all of an id's sixteen bits in one 64-byte block (two in
 * each of its eight words), so a lookup or an insert touches one cache line (a classic filter at the same error rate touches about
 * twenty, scattered over megabytes). It never forgets an id it was given; it may, rarely, claim
 * one it was not: about one in a million at its capacity, and fewer below.
 *
 * <p>Not thread-safe: each filter belongs to one memory shard's thread.
 */
final class UuidBloom {

  static final int BITS_PER_ID = 32;
  private static final int BLOCK_BITS = 512;
  private static final int WORDS_PER_BLOCK = BLOCK_BITS / Long.SIZE;

  private final long[] words;
  private final long blocks;

  UuidBloom(long capacity) {
    long bits = Math.max(BLOCK_BITS, Math.multiplyExact(capacity, BITS_PER_ID));
    long blockCount = (bits + BLOCK_BITS - 1) / BLOCK_BITS;
    if (blockCount * WORDS_PER_BLOCK > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("capacity too large for one filter: " + capacity);
    }
    this.blocks = blockCount;
    this.words = new long[(int) (blockCount * WORDS_PER_BLOCK)];
  }

  void put(UUID id) {
    long h1 = hash1(id);
    long h2 = hash2(h1, id);
    long h3 = mix(h2 + 0x9E3779B97F4A7C15L);
    int base = blockBase(h1);
    for (int w = 0; w < WORDS_PER_BLOCK; w++) {
      words[base + w] |= bits(h2, h3, w);
    }
  }

  boolean mightContain(UUID id) {
    long h1 = hash1(id);
    long h2 = hash2(h1, id);
    long h3 = mix(h2 + 0x9E3779B97F4A7C15L);
    int base = blockBase(h1);
    for (int w = 0; w < WORDS_PER_BLOCK; w++) {
      long m = bits(h2, h3, w);
      if ((words[base + w] & m) != m) {
        return false;
      }
    }
    return true;
  }

  /** Two bits in each of the block's eight words, picked by six independent hash bits each. */
  private static long bits(long h2, long h3, int word) {
    int shift = 6 * word;
    return (1L << (h2 >>> shift)) | (1L << (h3 >>> shift));
  }

  /** The block an id lives in: the high bits of its first hash, scaled without a division. */
  private int blockBase(long h1) {
    return (int) Math.multiplyHigh(h1 >>> 1, blocks << 1) * WORDS_PER_BLOCK;
  }

  // ids may be sequential or time-ordered, not random, so both halves are mixed thoroughly
  private static long hash1(UUID id) {
    return mix(id.getMostSignificantBits() ^ mix(id.getLeastSignificantBits() + 0x9E3779B97F4A7C15L));
  }

  private static long hash2(long h1, UUID id) {
    return mix(h1 ^ id.getLeastSignificantBits() ^ 0xC2B2AE3D27D4EB4FL);
  }

  /** MurmurHash3's 64-bit finalizer. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
