package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.converter.ConverterTesting.convert;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Known answers, computed outside Java (python3 base64, codecs, urllib.parse) or by hand. */
class EncodingsTest {

  @Test
  void base64EncodesUtf8Bytes() {
    assertEquals("aGVsbG8=", convert("base64", "hello"));
    // python3 -c 'import base64;print(base64.b64encode("héllo 你好 😀".encode()).decode())'
    assertEquals("aMOpbGxvIOS9oOWlvSDwn5iA", convert("base64", "héllo 你好 😀"));
    assertEquals("", convert("base64", ""));
  }

  @Test
  void rot13ShiftsLettersAndKeepsTheRest() {
    // python3 -c 'import codecs;print(codecs.encode("Hello, World!","rot13"))'
    assertEquals("Uryyb, Jbeyq!", convert("rot13", "Hello, World!"));
    assertEquals("é 123 你好", convert("rot13", "é 123 你好"));
  }

  @Test
  void caesarShiftsByThreeByDefaultAndWrapsAround() {
    assertEquals("def", convert("caesar", "abc"));
    assertEquals("abc ABC!", convert("caesar", "xyz XYZ!"));
    assertEquals("zab", convert("caesar", new JsonObject().put("shift", 25), "abc"));
    assertEquals("Uryyb", convert("caesar", new JsonObject().put("shift", 13), "Hello"));
  }

  @Test
  void atbashMirrorsTheAlphabet() {
    assertEquals("zyx CBA", convert("atbash", "abc XYZ"));
    assertEquals("Svool, 42", convert("atbash", "Hello, 42"));
  }

  @Test
  void morseSpellsLettersDigitsAndPunctuation() {
    assertEquals("... --- ...", convert("morse", "SOS"));
    assertEquals("... --- ...", convert("morse", "sos"), "morse has no case");
    assertEquals(".... .. / - .... . .-. .", convert("morse", "Hi there"));
    assertEquals(".---- ..--- ...-- / .-.-.- --..-- ..--..", convert("morse", "123 .,?"));
  }

  @Test
  void morseKeepsCharactersWithoutACodeAsTheyAre() {
    assertEquals(".- é / 你", convert("morse", "aé 你"));
  }

  @Test
  void binaryWritesEightBitsPerUtf8Byte() {
    assertEquals("01101000 01101001", convert("binary", "hi"));
    // é is the two UTF-8 bytes C3 A9
    assertEquals("01101000 11000011 10101001", convert("binary", "hé"));
    assertEquals("", convert("binary", ""));
  }

  @Test
  void hexWritesLowerCaseUtf8Bytes() {
    assertEquals("68656c6c6f", convert("hex", "hello"));
    // python3 -c 'print("hé😀".encode().hex())'
    assertEquals("68c3a9f09f9880", convert("hex", "hé😀"));
  }

  @Test
  void urlPercentEncodesAllButUnreservedCharacters() {
    assertEquals("hello%20world%21", convert("url", "hello world!"));
    // python3 -c 'import urllib.parse;print(urllib.parse.quote("a b&c/é~", safe=""))'
    assertEquals("a%20b%26c%2F%C3%A9~", convert("url", "a b&c/é~"));
    assertEquals("A-z_0.9~", convert("url", "A-z_0.9~"));
  }

  @Test
  void natoSpellsLettersAndDigits() {
    assertEquals("Alfa Bravo One", convert("nato", "ab1"));
    assertEquals("Hotel India / X-ray Zulu Nine Zero", convert("nato", "HI xz90"));
    assertEquals("Alfa Slash Bravo !", convert("nato", "a/b!"));
  }
}
