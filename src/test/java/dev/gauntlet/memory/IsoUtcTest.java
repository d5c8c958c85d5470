package dev.gauntlet.memory;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IsoUtcTest {

  private static LocalDateTime general(String s) {
    return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
  }

  @Test
  void readsUtcTimesExactlyAsTheGeneralParserDoes() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000_000));
      if (i % 3 == 0) {
        t = t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      } else if (i % 3 == 1) {
        t = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      }
      String s = t.toString();
      assertEquals(general(s), IsoUtc.parse(s), s);
    }
    for (String s : new String[] {"2025-01-31T09:15:02.1Z", "2025-01-31T09:15:02.12Z", "2024-02-29T23:59:59.999999999Z"}) {
      assertEquals(general(s), IsoUtc.parse(s), s);
    }
  }

  @Test
  void leavesEverythingElseToTheGeneralParser() {
    for (String s : new String[] {"2025-01-31T09:15:02+01:00", "2025-01-31T09:15Z", "2025-01-31t09:15:02z", "2025-01-31 09:15:02Z",
        "2025-02-30T09:15:02Z", "2025-01-31T24:00:00Z", "2025-01-31T09:15:60Z", "2025-01-31T09:15:02.Z",
        "2025-01-31T09:15:02.1234567890Z", "+2025-01-31T09:15:02Z", "2025-1-31T09:15:02Z", "2025-01-31T09:15:0xZ",
        "2025-01-31T09:15:02", "", "Z"}) {
      assertNull(IsoUtc.parse(s), s);
    }
  }

  @Test
  void aBatchStillRefusesATimeThatIsNoDate() {
    io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject().put("pieces", new io.vertx.core.json.JsonArray()
        .add(new io.vertx.core.json.JsonObject().put("role", "user").put("conversation_id", "c").put("original_value", "v")
            .put("timestamp", "2025-02-30T09:15:02Z")));
    dev.gauntlet.Problem p = org.junit.jupiter.api.Assertions.assertThrows(dev.gauntlet.Problem.class, () -> PieceBatch.parse(body));
    assertEquals("invalid_field", p.code());
    org.junit.jupiter.api.Assertions.assertTrue(p.getMessage().contains("pieces[0].timestamp"), p.getMessage());
  }
}
