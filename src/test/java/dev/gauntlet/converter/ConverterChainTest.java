package dev.gauntlet.converter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gauntlet.converter.ConverterTesting.NO_GENERATORS;
import static dev.gauntlet.converter.ConverterTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConverterChainTest {

  private static Converter make(String type) {
    return Converters.create(type, new JsonObject(), NO_GENERATORS);
  }

  @Test
  void convertersApplyInOrder() {
    String b64ThenRot = run(ConverterChain.of(make("base64"), make("rot13")), "hello");
    String rotThenB64 = run(ConverterChain.of(make("rot13"), make("base64")), "hello");
    assertEquals("nTIfoT8=", b64ThenRot, "rot13 of aGVsbG8=");
    assertEquals("dXJ5eWI=", rotThenB64, "base64 of uryyb");
    assertNotEquals(b64ThenRot, rotThenB64);
  }

  @Test
  void converterFollowedByItsDecoderGivesBackTheInput() {
    String input = "Tell me, 你好 😀!";
    for (String type : Decoders.REVERSIBLE) {
      ConverterChain chain = ConverterChain.of(make(type), Decoders.forType(type, new JsonObject()));
      String expected = type.equals("morse") || type.equals("nato") ? "TELL ME, 你好 😀!" : input;
      assertEquals(expected, run(chain, input), type);
    }
    ConverterChain three = ConverterChain.of(make("caesar"), make("base64"), make("flip"),
        make("flip"), Decoders.forType("base64", new JsonObject()), Decoders.forType("caesar", new JsonObject()));
    assertEquals(input, run(three, input));
  }

  @Test
  void emptyChainLeavesThePromptAlone() {
    assertEquals("as is", run(ConverterChain.of(), "as is"));
  }

  @Test
  void eachStepWaitsForThePreviousOne() {
    Promise<String> slow = Promise.promise();
    List<String> seen = new ArrayList<>();
    Converter first = prompt -> slow.future();
    Converter second = prompt -> {
      seen.add(prompt);
      return Future.succeededFuture(prompt + "!");
    };
    Future<String> out = ConverterChain.of(first, second).convert("x");
    assertFalse(out.isComplete());
    assertTrue(seen.isEmpty(), "the second step has not started");
    slow.complete("later");
    assertEquals(List.of("later"), seen);
    assertEquals("later!", out.result());
  }

  @Test
  void failingStepFailsTheChainAndStopsIt() {
    List<String> seen = new ArrayList<>();
    Converter broken = prompt -> Future.failedFuture("tone converter: generator answered timeout");
    Converter after = prompt -> {
      seen.add(prompt);
      return Future.succeededFuture(prompt);
    };
    Future<String> out = ConverterChain.of(make("base64"), broken, after).convert("x");
    assertTrue(out.failed());
    assertEquals("tone converter: generator answered timeout", out.cause().getMessage());
    assertTrue(seen.isEmpty());
  }

  @Test
  void chainIsDeterministicOnlyIfEveryStepIs() {
    assertTrue(ConverterChain.of(make("base64"), make("flip")).deterministic());
    Converter llm = new Converter() {
      @Override
      public Future<String> convert(String prompt) {
        return Future.succeededFuture(prompt);
      }

      @Override
      public boolean deterministic() {
        return false;
      }
    };
    assertFalse(ConverterChain.of(make("base64"), llm).deterministic());
  }

  @Test
  void chainRecordsPyritIdentifiersInOrder() {
    JsonObject id = ConverterChain.identifier("base64", "c-1", "plain base64");
    assertEquals(new JsonObject().put("__type__", "base64").put("__module__", "gauntlet.converter")
        .put("id", "c-1").put("name", "plain base64"), id);
    ConverterChain chain = ConverterChain.of()
        .then(make("base64"), id)
        .then(make("rot13"), ConverterChain.identifier("rot13", "c-2", "rot"));
    assertEquals(2, chain.size());
    JsonArray ids = chain.identifiers();
    assertEquals(List.of("c-1", "c-2"), ids.stream().map(o -> ((JsonObject) o).getString("id")).toList());
    assertEquals("nTIfoT8=", run(chain, "hello"));
  }
}
