package dev.gauntlet.http;

import dev.gauntlet.auth.Caller;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the bridge counts as a client claiming to be someone, in a frame's headers or body. */
class BridgeForgeryTest {

  private static final Caller BOB = new Caller("id-bob", "bob", "f.db", List.of("user"), Set.of("read", "write"), "token", null);

  private static JsonObject frame(JsonObject headers, JsonObject body) {
    JsonObject f = new JsonObject().put("type", "send").put("address", "gauntlet.api").put("body", body);
    return headers == null ? f : f.put("headers", headers);
  }

  private static JsonObject op(JsonObject args) {
    return new JsonObject().put("op", "generators.list").put("args", args);
  }

  @Test
  void anyGauntletHeaderIsAForgery() {
    assertEquals("headers.gauntlet-caller", EventBusBridge.forgedField(frame(new JsonObject().put("gauntlet-caller", "{}"), op(null)), BOB));
    assertEquals("headers.Gauntlet-Address", EventBusBridge.forgedField(frame(new JsonObject().put("Gauntlet-Address", "1.2.3.4"), op(null)), BOB));
  }

  @Test
  void namingAnotherUserAnywhereIsAForgery() {
    assertEquals("headers.user", EventBusBridge.forgedField(frame(new JsonObject().put("user", "alice"), op(null)), BOB));
    assertEquals("body.username", EventBusBridge.forgedField(frame(null, op(null).put("username", "alice")), BOB));
    assertEquals("body.args.owner", EventBusBridge.forgedField(frame(null, op(new JsonObject().put("owner", "alice"))), BOB));
    assertEquals("body.args.user_id", EventBusBridge.forgedField(frame(null, op(new JsonObject().put("user_id", "id-alice"))), BOB));
    assertEquals("body.args.caller", EventBusBridge.forgedField(frame(null, op(new JsonObject().put("caller", new JsonObject()))), BOB));
    assertEquals("headers", EventBusBridge.forgedField(frame(null, op(null)).put("headers", "x"), BOB));
  }

  @Test
  void namingOneselfOrNoOneIsNot() {
    assertNull(EventBusBridge.forgedField(frame(new JsonObject().put("trace", "1"), op(new JsonObject().put("id", "g1"))), BOB));
    assertNull(EventBusBridge.forgedField(frame(null, op(new JsonObject().put("username", "bob").put("user_id", "id-bob"))), BOB));
    assertNull(EventBusBridge.forgedField(frame(null, op(new JsonObject().put("value", new JsonObject().put("user", "in a value")))), BOB),
        "only top-level fields name a caller; stored values may say anything");
  }
}
