package dev.gauntlet.imports.garak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttemptIdsTest {

  @Test
  void keepsTheSameMembersAsAHashSetThroughAddsAndRemoves() {
    Random r = new Random(7);
    AttemptIds ids = new AttemptIds();
    Set<UUID> expected = new HashSet<>();
    List<UUID> seen = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      if (seen.isEmpty() || r.nextInt(3) > 0) {
        UUID u = new UUID(r.nextLong(), r.nextInt(64)); // few distinct low halves: many collisions of the slot hash
        seen.add(u);
        assertEquals(expected.add(u), ids.add(u));
      } else {
        UUID u = seen.get(r.nextInt(seen.size()));
        assertEquals(expected.remove(u), ids.remove(u));
      }
    }
    assertEquals(expected.size(), ids.size());
    for (UUID u : seen) {
      assertEquals(expected.contains(u), ids.contains(u));
    }
  }

  @Test
  void anIdThatIsNotAUuidIsKeptByItsName() {
    AttemptIds ids = new AttemptIds();
    assertTrue(ids.add(AttemptIds.key("attempt-1")));
    assertFalse(ids.add(AttemptIds.key("attempt-1")));
    assertFalse(ids.contains(AttemptIds.key("attempt-2")));
  }
}
