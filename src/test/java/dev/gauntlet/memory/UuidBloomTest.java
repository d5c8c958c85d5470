package dev.gauntlet.memory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

class UuidBloomTest {

  @Test
  void neverForgetsAnIdItWasGiven() {
    UuidBloom bloom = new UuidBloom(200_000);
    List<UUID> given = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      given.add(UUID.randomUUID());
      given.add(new UUID(0x0190_0000_0000_7000L + i, 0x8000_0000_0000_0000L + i)); // time-ordered, sequential
    }
    given.forEach(bloom::put);
    given.forEach(id -> assertTrue(bloom.mightContain(id), id::toString));
  }

  @Test
  void claimsFewIdsItWasNotGivenAtCapacity() {
    UuidBloom bloom = new UuidBloom(100_000);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      bloom.put(new UUID(random.nextLong(), random.nextLong()));
    }
    int claimed = 0;
    for (int i = 0; i < 2_000_000; i++) {
      if (bloom.mightContain(new UUID(random.nextLong(), random.nextLong()))) {
        claimed++;
      }
    }
    assertTrue(claimed <= 100, claimed + " false positives in 2,000,000 (expected about 10)");
  }
}
