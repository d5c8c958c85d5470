package dev.gauntlet.converter;

import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.function.UnaryOperator;

/** The inverse of each reversible converter type, so tests (and previews) can check a round trip. */
final class Decoders {

  /** Morse and NATO forget case: they decode to upper-case letters. */
  static final Set<String> REVERSIBLE = Set.of("base64", "rot13", "caesar", "atbash", "morse", "binary", "hex", "url",
      "nato", "flip", "character_space", "string_join", "zero_width", "word_reverse", "fullwidth", "bubble_text",
      "ascii_smuggler", "unicode_escape", "html_entity", "char_code", "base32", "ascii85", "vigenere", "rail_fence");

  private Decoders() {
  }

  /** The decoder of a type configured with these parameters (defaults filled as for the converter). */
  static Converter forType(String type, JsonObject parameters) {
    JsonObject p = Converters.catalog().validate(type, parameters);
    return switch (type) {
      case "base64" -> text(Encodings.Base64Text::decode);
      case "rot13" -> new Encodings.Caesar(13);
      case "caesar" -> new Encodings.Caesar(p.getInteger("shift")).inverse();
      case "atbash" -> new Encodings.Atbash();
      case "morse" -> text(Encodings.Morse.INSTANCE::decode);
      case "nato" -> text(Encodings.Nato.INSTANCE::decode);
      case "binary" -> text(Encodings.Binary::decode);
      case "hex" -> text(Encodings.Hex::decode);
      case "url" -> text(Encodings.Url::decode);
      case "flip" -> new Obfuscations.Flip();
      case "word_reverse" -> new Obfuscations.WordReverse();
      case "character_space" -> text(new Obfuscations.Interleave(p.getString("separator"))::decode);
      case "zero_width" -> text(new Obfuscations.Interleave(Obfuscations.Interleave.ZERO_WIDTH_SPACE)::decode);
      case "string_join" -> text(new Obfuscations.StringJoin(p.getString("join_value"))::decode);
      case "fullwidth" -> text(Obfuscations.Fullwidth::decode);
      case "bubble_text" -> text(Obfuscations.BubbleText::decode);
      case "ascii_smuggler" -> text(Obfuscations.AsciiSmuggler::decode);
      case "unicode_escape" -> text(Ciphers.UnicodeEscape::decode);
      case "html_entity" -> text(Ciphers.HtmlEntity::decode);
      case "char_code" -> text(new Ciphers.CharCode(p.getString("separator"))::decode);
      case "base32" -> text(Ciphers.Base32::decode);
      case "ascii85" -> text(Ciphers.Ascii85::decode);
      case "vigenere" -> new Ciphers.Vigenere(p.getString("key"), true);
      case "rail_fence" -> text(new Ciphers.RailFence(p.getInteger("rails"))::decode);
      default -> throw new IllegalArgumentException("converter type '" + type + "' cannot be decoded");
    };
  }

  private static Converter text(UnaryOperator<String> decode) {
    return new TextConverter() {
      @Override
      String apply(String text) {
        return decode.apply(text);
      }
    };
  }
}
