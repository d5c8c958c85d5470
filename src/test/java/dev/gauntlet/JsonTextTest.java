package dev.gauntlet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A piece's metadata written by JsonText reads back as the very object it was written from. */
class JsonTextTest {

  @Test
  void writesWhatVertxWritesForFlatAndNestedValues() {
    JsonObject meta = new JsonObject().put("execution_id", "e-1").put("prompt_index", 41).put("latency_ms", 12L)
        .put("ok", true).put("none", (String) null).put("score", 0.25)
        .put("error_detail", "HTTP 500: \"quoted\"\n\ttab \u0001 é \ud83d\ude00 </script>")
        .put("tool_calls", new JsonArray().add(new JsonObject().put("name", "f").put("arguments", "{\"a\":1}")))
        .put("turn", new JsonObject().put("n", 2));

    String written = JsonText.object(meta.getMap());

    assertEquals(meta.encode(), written);
    assertEquals(meta, new JsonObject(written));
  }

  @Test
  void anEmptyObjectIsTwoBraces() {
    assertEquals("{}", JsonText.object(new JsonObject().getMap()));
  }
}
