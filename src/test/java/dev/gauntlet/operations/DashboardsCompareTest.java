package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compare operation refuses bad arguments with a 400 naming the parameter, before the memory is asked. */
class DashboardsCompareTest {

  private final Dashboards dashboards = new Dashboards(null, null);

  private Problem refused(JsonObject args) {
    return assertThrows(Problem.class, () -> dashboards.compare(null, args));
  }

  @Test
  void moreThanSixExecutionsAreRefusedNamingMore() {
    Problem p = refused(new JsonObject().put("a", "x1").put("b", "x2").put("more", "x3,x4,x5,x6,x7"));
    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains("'more'"), p.getMessage());
  }

  @Test
  void anExecutionNamedTwiceIsRefused() {
    Problem p = refused(new JsonObject().put("a", "x1").put("b", "x2").put("more", "x3,x1"));
    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains("'more'"), p.getMessage());
    assertEquals(400, refused(new JsonObject().put("a", "x1").put("b", "x2").put("more", "x3,,x4")).status());
  }

  @Test
  void aBadChipIsRefusedNamingIt() {
    Problem outcome = refused(new JsonObject().put("a", "x1").put("b", "x2").put("outcome", "won"));
    assertEquals(400, outcome.status());
    assertTrue(outcome.getMessage().contains("'outcome'"), outcome.getMessage());
    Problem reviewed = refused(new JsonObject().put("a", "x1").put("b", "x2").put("reviewed", "maybe"));
    assertTrue(reviewed.getMessage().contains("'reviewed'"), reviewed.getMessage());
    Problem words = refused(new JsonObject().put("a", "x1").put("b", "x2").put("q", "a b c d e f g h i"));
    assertTrue(words.getMessage().contains("'q'"), words.getMessage());
  }
}
