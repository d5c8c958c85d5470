package dev.gauntlet.converter;

import dev.gauntlet.catalog.Catalog;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import dev.gauntlet.catalog.TypeSpec;
import io.vertx.core.json.JsonObject;

/**
 * The converter types users can configure, as served by {@code /converters/types}: encodings,
 * obfuscations and LLM rewrites. Every type's parameters are declared here, once.
 */
public final class Converters {

  public static final String ENCODING = "encoding";
  public static final String OBFUSCATION = "obfuscation";
  public static final String LLM = "llm";

  private static final Catalog<ConverterFactory> CATALOG = build();

  private Converters() {
  }

  public static Catalog<ConverterFactory> catalog() {
    return CATALOG;
  }

  /** Validates the parameters of a type (400 naming the bad one) and builds the converter. */
  public static Converter create(String type, JsonObject parameters, ConverterContext context) {
    TypeSpec<ConverterFactory> spec = CATALOG.get(type);
    return spec.factory().create(spec.schema().validate(parameters), context);
  }

  private static Catalog<ConverterFactory> build() {
    Catalog<ConverterFactory> c = new Catalog<>("converter");
    ParamSchema none = ParamSchema.of();

    c.add("base64", ENCODING, "Base64 of the UTF-8 bytes", none, (p, ctx) -> new Encodings.Base64Text());
    c.add("rot13", ENCODING, "ROT13: letters shifted by 13", none, (p, ctx) -> new Encodings.Caesar(13));
    c.add("caesar", ENCODING, "Caesar cipher: letters shifted by a fixed amount",
        ParamSchema.of(Param.integer("shift").min(1).max(25).defaultValue(3).describe("letters to shift forward")),
        (p, ctx) -> new Encodings.Caesar(p.getInteger("shift", 3)));
    c.add("atbash", ENCODING, "Atbash cipher: the alphabet mirrored (a↔z)", none, (p, ctx) -> new Encodings.Atbash());
    c.add("morse", ENCODING, "Morse code; words separated by /, characters without a code kept as they are",
        none, (p, ctx) -> Encodings.Morse.INSTANCE);
    c.add("binary", ENCODING, "Eight bits per UTF-8 byte, separated by spaces", none, (p, ctx) -> new Encodings.Binary());
    c.add("hex", ENCODING, "Lower-case hexadecimal of the UTF-8 bytes", none, (p, ctx) -> new Encodings.Hex());
    c.add("url", ENCODING, "Percent-encoding of everything but letters, digits and -._~", none,
        (p, ctx) -> new Encodings.Url());
    c.add("nato", ENCODING, "NATO phonetic alphabet (Alfa Bravo …), digits spelled out, words separated by /",
        none, (p, ctx) -> Encodings.Nato.INSTANCE);

    c.add("leetspeak", OBFUSCATION, "Letters replaced by look-alike digits (l337 5p34k)", none,
        (p, ctx) -> new Obfuscations.Leetspeak());
    c.add("char_swap", OBFUSCATION, "Typos: two adjacent inner letters swapped in some words",
        ParamSchema.of(probability(0.5, "chance that a word of four letters or more gets a swap"), seed()),
        (p, ctx) -> new Seeded.CharSwap(p.getDouble("probability", 0.5), p.getLong("seed", 0L)));
    c.add("diacritics", OBFUSCATION, "Combining accents added to chosen letters",
        ParamSchema.of(Param.string("target_chars").defaultValue("aeiou").describe("letters to accent, either case"),
            Param.choice("accent", Obfuscations.Diacritics.ACCENTS.keySet().stream().sorted().toArray(String[]::new))
                .defaultValue("acute").describe("the accent to add")),
        (p, ctx) -> new Obfuscations.Diacritics(p.getString("target_chars", "aeiou"), p.getString("accent", "acute")));
    c.add("unicode_confusable", OBFUSCATION, "Latin letters replaced by Cyrillic look-alikes (homoglyphs)",
        ParamSchema.of(probability(1.0, "chance that a letter with a look-alike is replaced"), seed()),
        (p, ctx) -> new Seeded.UnicodeConfusable(p.getDouble("probability", 1.0), p.getLong("seed", 0L)));
    c.add("zero_width", OBFUSCATION, "Zero-width spaces (U+200B) between all characters", none,
        (p, ctx) -> new Obfuscations.Interleave(Obfuscations.Interleave.ZERO_WIDTH_SPACE));
    c.add("flip", OBFUSCATION, "The text reversed", none, (p, ctx) -> new Obfuscations.Flip());
    c.add("character_space", OBFUSCATION, "A separator between all characters",
        ParamSchema.of(Param.string("separator").defaultValue(" ").describe("put between every two characters")),
        (p, ctx) -> new Obfuscations.Interleave(p.getString("separator", " ")));
    c.add("random_capital", OBFUSCATION, "A percentage of the letters upper-cased at random",
        ParamSchema.of(Param.number("percentage").min(0).max(100).defaultValue(50.0).describe("share of letters to capitalize"),
            seed()),
        (p, ctx) -> new Seeded.RandomCapital(p.getDouble("percentage", 50.0), p.getLong("seed", 0L)));
    c.add("prefix_suffix", OBFUSCATION, "Text added before and after the prompt",
        ParamSchema.of(Param.text("prefix").defaultValue("").describe("put before the prompt"),
            Param.text("suffix").defaultValue("").describe("put after the prompt")),
        (p, ctx) -> new Obfuscations.PrefixSuffix(p.getString("prefix", ""), p.getString("suffix", "")));
    c.add("string_join", OBFUSCATION, "The characters of each word joined by a value (h-e-l-l-o)",
        ParamSchema.of(Param.string("join_value").defaultValue("-").describe("put between the characters of a word")),
        (p, ctx) -> new Obfuscations.StringJoin(p.getString("join_value", "-")));
    c.add("repeat_token", OBFUSCATION, "A token repeated many times before, after or instead of the prompt",
        ParamSchema.of(Param.string("token").required().describe("the token to repeat"),
            Param.integer("times").min(1).max(1000).defaultValue(10).describe("how many times"),
            Param.choice("mode", "prepend", "append", "replace").defaultValue("prepend").describe("where the tokens go")),
        (p, ctx) -> new Obfuscations.RepeatToken(p.getString("token"), p.getInteger("times", 10), p.getString("mode", "prepend")));
    c.add("fullwidth", OBFUSCATION, "ASCII written with full-width characters (ＦＵＬＬ)", none,
        (p, ctx) -> new Obfuscations.Fullwidth());
    c.add("bubble_text", OBFUSCATION, "Letters and digits in circles (ⓑⓤⓑⓑⓛⓔ)", none,
        (p, ctx) -> new Obfuscations.BubbleText());
    c.add("ascii_smuggler", OBFUSCATION, "ASCII hidden in invisible Unicode tag characters",
        ParamSchema.of(Param.bool("unicode_tags").defaultValue(false).describe("wrap in the begin and cancel tags")),
        (p, ctx) -> new Obfuscations.AsciiSmuggler(p.getBoolean("unicode_tags", false)));
    c.add("remove_vowels", OBFUSCATION, "The vowels a e i o u removed", none, (p, ctx) -> new Obfuscations.RemoveVowels());
    c.add("word_reverse", OBFUSCATION, "Each word spelled backwards, word order kept", none,
        (p, ctx) -> new Obfuscations.WordReverse());

    c.add("translation", LLM, "Translated by a generator into another language",
        ParamSchema.of(generator(), Param.string("language").required().describe("the language to translate into")),
        (p, ctx) -> LlmConverter.translation(ctx.generator(p.getString("generator_id")), p.getString("language")));
    c.add("variation", LLM, "Reworded by a generator, same meaning", ParamSchema.of(generator()),
        (p, ctx) -> LlmConverter.variation(ctx.generator(p.getString("generator_id"))));
    c.add("rephrase", LLM, "Rephrased by a generator, optionally in a given style",
        ParamSchema.of(generator(), Param.string("style").describe("e.g. formal, as a poem, as a news headline")),
        (p, ctx) -> LlmConverter.rephrase(ctx.generator(p.getString("generator_id")), p.getString("style")));
    c.add("tone", LLM, "Rewritten by a generator in a given tone",
        ParamSchema.of(generator(), Param.string("tone").required().describe("e.g. angry, polite, academic")),
        (p, ctx) -> LlmConverter.tone(ctx.generator(p.getString("generator_id")), p.getString("tone")));
    c.add("tense", LLM, "Rewritten by a generator in another tense",
        ParamSchema.of(generator(), Param.string("tense").required().describe("e.g. past, future")),
        (p, ctx) -> LlmConverter.tense(ctx.generator(p.getString("generator_id")), p.getString("tense")));
    return c;
  }

  private static Param seed() {
    return Param.integer("seed").defaultValue(0).describe("same seed and prompt, same conversion");
  }

  private static Param probability(double dflt, String what) {
    return Param.number("probability").min(0).max(1).defaultValue(dflt).describe(what);
  }

  private static Param generator() {
    return Param.reference("generator_id", Param.Kind.GENERATOR_ID).required().describe("the generator that rewrites");
  }
}
