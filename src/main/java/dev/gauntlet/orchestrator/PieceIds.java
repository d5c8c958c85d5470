package dev.gauntlet.orchestrator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for the conversations, pieces and scores an execution writes, five or
 * more per prompt, drawn on the event loop its prompts share. {@link UUID#randomUUID} shares one
 * generator that takes a lock, reads {@code /dev/urandom} every two ids and mixes in a SHA-1
 * digest. Here each thread reads the kernel's generator ({@code /dev/urandom}, a cryptographic
 * one) 4 KiB at a time, 256 ids a read (one file, opened once), with nothing computed per id: a SHA-1 digest per id cost
 * about 23 µs while the JIT had not compiled it yet, the first few hundred prompts after a start.
 * Where {@code /dev/urandom} cannot be read, a SHA1PRNG {@link SecureRandom} per thread, as
 * before. The same 122 random bits either way.
 */
final class PieceIds {

  private static final Path URANDOM = Path.of("/dev/urandom");
  private static final int BUFFER = 4096;

  /** The kernel's generator, opened once and read by every thread (a read takes its own slice); null where it cannot be opened. */
  private static final class Shared {
    static final FileChannel CHANNEL = open(URANDOM);
  }

  static FileChannel open(Path device) {
    try {
      return FileChannel.open(device, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /** One thread's source of random bytes. */
  static final class Source {
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).position(BUFFER);
    private final FileChannel urandom;
    private SecureRandom fallback;

    Source(FileChannel urandom) {
      this.urandom = urandom;
      if (urandom == null) {
        fallback = sha1prng();
      }
    }

    /** Whether this source reads the kernel's generator (false: the SHA1PRNG fallback). */
    boolean kernel() {
      return fallback == null;
    }

    void next(byte[] into) {
      if (fallback == null && buffer.remaining() < into.length && !refill()) {
        fallback = sha1prng();
      }
      if (fallback != null) {
        fallback.nextBytes(into);
        return;
      }
      buffer.get(into);
    }

    private boolean refill() {
      buffer.clear();
      try {
        while (buffer.hasRemaining()) {
          if (urandom.read(buffer) < 0) {
            return false;
          }
        }
        buffer.flip();
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    private static SecureRandom sha1prng() {
      try {
        return SecureRandom.getInstance("SHA1PRNG");
      } catch (NoSuchAlgorithmException e) {
        return new SecureRandom();
      }
    }
  }

  private static final ThreadLocal<Source> SOURCE = ThreadLocal.withInitial(() -> new Source(Shared.CHANNEL));

  private PieceIds() {}

  static UUID next() {
    return next(SOURCE.get());
  }

  static UUID next(Source source) {
    byte[] b = new byte[16];
    source.next(b);
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
