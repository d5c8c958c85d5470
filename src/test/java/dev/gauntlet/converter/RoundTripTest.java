package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.gauntlet.converter.ConverterTesting.convert;
import static dev.gauntlet.converter.ConverterTesting.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every reversible converter, decoded, gives back its input (upper-cased for Morse and NATO). */
class RoundTripTest {

  static final List<String> INPUTS = List.of("", " ", "  \t\n ", "hello world", "Hello, World! 123",
      "punctuation .,;:!?'\"()[]{}<>@#$%^&*-_=+/\\|~`", "é", "naïve café", "你好", "emoji 😀 👍🏽 ❤️",
      "a-b--c*", "mixed 你好 😀 é / end\n");

  /** Each reversible type with its default parameters and, where it has some, with other ones. */
  static final List<Arguments> CONFIGURATIONS = List.of(
      Arguments.of("base64", "{}"), Arguments.of("rot13", "{}"), Arguments.of("caesar", "{}"),
      Arguments.of("caesar", "{\"shift\":25}"), Arguments.of("atbash", "{}"), Arguments.of("morse", "{}"),
      Arguments.of("binary", "{}"), Arguments.of("hex", "{}"), Arguments.of("url", "{}"), Arguments.of("nato", "{}"),
      Arguments.of("flip", "{}"), Arguments.of("word_reverse", "{}"), Arguments.of("character_space", "{}"),
      Arguments.of("character_space", "{\"separator\":\"||\"}"), Arguments.of("character_space", "{\"separator\":\"\"}"),
      Arguments.of("string_join", "{}"), Arguments.of("string_join", "{\"join_value\":\"*\"}"),
      Arguments.of("zero_width", "{}"), Arguments.of("fullwidth", "{}"), Arguments.of("bubble_text", "{}"),
      Arguments.of("ascii_smuggler", "{}"), Arguments.of("ascii_smuggler", "{\"unicode_tags\":true}"),
      Arguments.of("unicode_escape", "{}"), Arguments.of("html_entity", "{}"), Arguments.of("html_entity", "{\"form\":\"hex\"}"),
      Arguments.of("char_code", "{}"), Arguments.of("char_code", "{\"separator\":\",\"}"), Arguments.of("base32", "{}"),
      Arguments.of("ascii85", "{}"), Arguments.of("vigenere", "{}"), Arguments.of("vigenere", "{\"key\":\"LeMoN\"}"),
      Arguments.of("rail_fence", "{}"), Arguments.of("rail_fence", "{\"rails\":2}"), Arguments.of("rail_fence", "{\"rails\":10}"));

  static Stream<Arguments> cases() {
    return CONFIGURATIONS.stream().flatMap(c -> INPUTS.stream().map(in -> Arguments.of(c.get()[0], c.get()[1], in)));
  }

  @ParameterizedTest(name = "{0} {1} round-trips {2}")
  @MethodSource("cases")
  void decodingAConversionGivesBackTheInput(String type, String params, String input) {
    JsonObject p = new JsonObject(params);
    String converted = convert(type, p, input);
    String expected = type.equals("morse") || type.equals("nato") ? upperAscii(input) : input;
    assertEquals(expected, decode(type, p, converted), () -> type + " converted to " + converted);
  }

  @Test
  void everyReversibleTypeIsRoundTripped() {
    Set<String> tested = CONFIGURATIONS.stream().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
    assertEquals(Decoders.REVERSIBLE, tested);
  }

  private static String upperAscii(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> out.appendCodePoint(c >= 'a' && c <= 'z' ? c - 32 : c));
    return out.toString();
  }
}
