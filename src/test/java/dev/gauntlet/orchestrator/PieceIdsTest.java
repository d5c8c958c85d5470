package dev.gauntlet.orchestrator;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PieceIdsTest {

  /** Version 4, IETF variant, never repeated: across many buffer refills and across threads. */
  @Test
  void idsAreRandomVersionFourUuidsNeverRepeatedAcrossRefillsAndThreads() throws InterruptedException {
    Set<UUID> seen = ConcurrentHashMap.newKeySet();
    Runnable draw = () -> {
      for (int i = 0; i < 20_000; i++) { // 20,000 ids: 78 reads of 4 KiB each
        UUID id = PieceIds.next();
        assertEquals(4, id.version(), id.toString());
        assertEquals(2, id.variant(), id.toString());
        assertTrue(seen.add(id), "repeated " + id);
      }
    };
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(draw);
      threads[t].start();
    }
    draw.run();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(100_000, seen.size());
    // the bits are not stuck: every one of the 122 random bits takes both values
    long orHigh = 0;
    long andHigh = -1;
    for (UUID id : seen) {
      orHigh |= id.getMostSignificantBits();
      andHigh &= id.getMostSignificantBits();
    }
    assertEquals(-1L & ~0xF000L | 0x4000L, orHigh, "every random bit of the high half is set in some id");
    assertEquals(0x4000L, andHigh, "every random bit of the high half is clear in some id");
  }

  @Test
  void theKernelsGeneratorIsReadWhereItExistsAndSha1prngTakesOverWhereItDoesNot() {
    PieceIds.Source kernel = new PieceIds.Source(PieceIds.open(Path.of("/dev/urandom")));
    assertTrue(kernel.kernel(), "/dev/urandom is read on this machine");
    PieceIds.Source none = new PieceIds.Source(PieceIds.open(Path.of("/nonexistent/urandom")));
    assertFalse(none.kernel());
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      ids.add(PieceIds.next(kernel));
      UUID fallback = PieceIds.next(none);
      assertEquals(4, fallback.version());
      ids.add(fallback);
    }
    assertEquals(2_000, ids.size());
  }
}
