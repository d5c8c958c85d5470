package dev.gauntlet.converter;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Catalog;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import dev.gauntlet.catalog.TypeSpec;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The converter types users can configure, as served by {@code /converters/types}: encodings,
 * obfuscations and LLM rewrites. Every type's parameters are declared here, once.
 */
public final class Converters {

  public static final String ENCODING = "encoding";
  public static final String OBFUSCATION = "obfuscation";
  public static final String LLM = "llm";
  /** Look-alike Unicode: other scripts, styles and marks a reader still takes for the same letters. */
  public static final String UNICODE = "unicode";
  /** The prompt inside a frame: a jailbreak template, a program to run, variables to join, a suffix. */
  public static final String TEMPLATE = "template";

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

    c.add("unicode_escape", ENCODING, "Every UTF-16 unit as a \\uXXXX escape", none, (p, ctx) -> new Ciphers.UnicodeEscape());
    c.add("html_entity", ENCODING, "Every character as a numeric HTML character reference (&#72;)",
        ParamSchema.of(Param.choice("form", "decimal", "hex").defaultValue("decimal").describe("&#72; or &#x48;")),
        (p, ctx) -> new Ciphers.HtmlEntity(p.getString("form").equals("hex")));
    c.add("char_code", ENCODING, "Decimal code points (Hi becomes 72 105)",
        ParamSchema.of(Param.string("separator").defaultValue(" ").describe("put between two code points"))
            .checkTogether(nonEmpty("separator")),
        (p, ctx) -> new Ciphers.CharCode(p.getString("separator")));
    c.add("base32", ENCODING, "RFC 4648 Base32 of the UTF-8 bytes", none, (p, ctx) -> new Ciphers.Base32());
    c.add("ascii85", ENCODING, "Ascii85 (base85) of the UTF-8 bytes, as btoa writes it", none,
        (p, ctx) -> new Ciphers.Ascii85());
    c.add("vigenere", ENCODING, "Vigenère cipher: each letter shifted by the matching letter of a key",
        ParamSchema.of(Param.string("key").defaultValue("gauntlet").describe("letters only; a shifts by 0, z by 25"))
            .checkTogether(Converters::vigenereKey),
        (p, ctx) -> new Ciphers.Vigenere(p.getString("key"), false));
    c.add("rail_fence", ENCODING, "Rail fence cipher: written in a zigzag over rails, read rail by rail",
        ParamSchema.of(Param.integer("rails").min(2).max(10).defaultValue(3).describe("number of rails")),
        (p, ctx) -> new Ciphers.RailFence(p.getInteger("rails")));
    c.add("tap_code", ENCODING, "Tap code: each letter as row and column dots in a 5×5 square (K as C)", none,
        (p, ctx) -> new Ciphers.TapCode());
    c.add("braille", ENCODING, "Grade-1 English braille in Unicode braille cells (⠓⠑⠇⠇⠕)", none,
        (p, ctx) -> new Scripts.Braille());

    c.add("superscript", UNICODE, "Letters and digits as superscripts (ˢᵘᵖᵉʳ)", none,
        (p, ctx) -> new Scripts.CharMap(Scripts.SUPERSCRIPT));
    c.add("subscript", UNICODE, "Letters and digits as subscripts where Unicode has them (ₛᵤₚ)", none,
        (p, ctx) -> new Scripts.CharMap(Scripts.SUBSCRIPT));
    c.add("small_caps", UNICODE, "Lower-case letters as small capitals (ꜱᴍᴀʟʟ)", none,
        (p, ctx) -> new Scripts.CharMap(Scripts.SMALL_CAPS));
    c.add("emoji_letters", UNICODE, "Letters as regional-indicator emoji, digits as keycaps", none,
        (p, ctx) -> new Scripts.EmojiLetters());
    c.add("upside_down", UNICODE, "The text turned upside down: reversed, with rotated look-alikes (uʍop)", none,
        (p, ctx) -> new Scripts.UpsideDown());
    c.add("math_alphanumeric", UNICODE, "Letters in a style of Unicode's mathematical alphanumerics (𝐛𝐨𝐥𝐝, 𝕕𝕠𝕦𝕓𝕝𝕖)",
        ParamSchema.of(Param.choice("style", Scripts.MathAlphanumeric.styles().toArray(String[]::new))
            .defaultValue("bold").describe("the letter style")),
        (p, ctx) -> new Scripts.MathAlphanumeric(p.getString("style")));
    c.add("zalgo", UNICODE, "Combining marks stacked on every letter and digit, at random",
        ParamSchema.of(Param.integer("intensity").min(1).max(20).defaultValue(3).describe("at most this many marks a character"),
            seed()),
        (p, ctx) -> new SeededScripts.Zalgo(p.getInteger("intensity"), p.getLong("seed")));
    c.add("homoglyph", UNICODE, "Letters and digits replaced by look-alikes from mixed scripts (Greek, Armenian,"
        + " Cherokee, mathematical sans-serif), picked at random",
        ParamSchema.of(probability(0.5, "chance that a letter or digit is replaced"), seed()),
        (p, ctx) -> new SeededScripts.Homoglyph(p.getDouble("probability"), p.getLong("seed")));

    c.add("pig_latin", OBFUSCATION, "Pig latin (Hello world becomes Ellohay orldway)", none,
        (p, ctx) -> new Words.PigLatin());
    c.add("camel_case", OBFUSCATION, "The words joined as one camelCase identifier, punctuation dropped", none,
        (p, ctx) -> new Words.IdentifierCase(false));
    c.add("snake_case", OBFUSCATION, "The words joined as one snake_case identifier, punctuation dropped", none,
        (p, ctx) -> new Words.IdentifierCase(true));
    c.add("reverse_words", OBFUSCATION, "The word order reversed, each word spelled as it was", none,
        (p, ctx) -> new Words.ReverseWords());
    c.add("first_letter", OBFUSCATION, "The first letter of each word (Tell me a secret becomes T m a s)",
        ParamSchema.of(Param.string("separator").defaultValue(" ").describe("put between two letters")),
        (p, ctx) -> new Words.FirstLetter(p.getString("separator")));
    c.add("word_split", OBFUSCATION, "Words of four letters or more split in two at random",
        ParamSchema.of(probability(0.5, "chance that a word is split"),
            Param.string("separator").defaultValue(" ").describe("put where a word is split"), seed())
            .checkTogether(nonEmpty("separator")),
        (p, ctx) -> new Words.WordSplit(p.getDouble("probability"), p.getString("separator"), p.getLong("seed")));
    c.add("insert_punctuation", OBFUSCATION, "A punctuation mark inserted inside words, at random",
        ParamSchema.of(probability(0.5, "chance that a word gets a mark"),
            Param.string("punctuation").defaultValue(",.;:!?-'").describe("the marks to pick from"), seed())
            .checkTogether(nonEmpty("punctuation")),
        (p, ctx) -> new Words.InsertPunctuation(p.getDouble("probability"), p.getString("punctuation"), p.getLong("seed")));
    c.add("search_replace", OBFUSCATION, "Every match of a regular expression replaced ($1 names a group)",
        ParamSchema.of(Param.regex("pattern").required().describe("Java regular expression to find"),
            Param.string("replacement").defaultValue("").describe("what replaces each match; \\$ for a literal $"),
            Param.bool("case_insensitive").defaultValue(false).describe("whether letter case is ignored"))
            .checkTogether(p -> searchPattern(p)),
        (p, ctx) -> new Words.SearchReplace(searchPattern(p), p.getString("replacement")));
    c.add("ascii_art", OBFUSCATION, "The prompt drawn in a five-row block font of # (A–Z, 0–9)",
        ParamSchema.of(Param.integer("width").min(20).max(400).defaultValue(80).describe("columns before a new band")),
        (p, ctx) -> new AsciiArt(p.getInteger("width")));
    c.add("ansi_escape", TEMPLATE, "The prompt wrapped in an ANSI terminal style code and a reset",
        ParamSchema.of(Param.choice("style", Frames.AnsiEscape.STYLES.keySet().stream().sorted().toArray(String[]::new))
                .defaultValue("bold").describe("the SGR style"),
            Param.choice("form", Frames.AnsiEscape.FORMS.keySet().stream().sorted().toArray(String[]::new))
                .defaultValue("raw").describe("raw ESC, or written as \\x1b, \\033 or \\u001b")),
        (p, ctx) -> new Frames.AnsiEscape(p.getString("style"), p.getString("form")));

    c.add("text_jailbreak", TEMPLATE, "The prompt inside a jailbreak-style template (or your own with {prompt})",
        ParamSchema.of(Param.choice("template", Frames.Template.TEMPLATES.keySet().stream().sorted().toArray(String[]::new))
                .defaultValue("fiction").describe("the built-in template"),
            Param.text("custom_template").describe("your own template instead; must contain {prompt}"))
            .checkTogether(p -> jailbreakTemplate(p)),
        (p, ctx) -> new Frames.Template(jailbreakTemplate(p)));
    c.add("code_chameleon", TEMPLATE, "CodeChameleon-style: the words encrypted, inside a Python program that"
        + " decrypts them, and the model asked to complete it",
        ParamSchema.of(Param.choice("scheme", CodeChameleon.SCHEMES.toArray(String[]::new)).defaultValue("reverse")
            .describe("how the words are encrypted")),
        (p, ctx) -> new CodeChameleon(p.getString("scheme")));
    c.add("payload_split", TEMPLATE, "The prompt split into variables a, b, c… and the model asked to join and answer",
        ParamSchema.of(Param.integer("parts").min(2).max(10).defaultValue(3).describe("how many variables, at most")),
        (p, ctx) -> new Frames.PayloadSplit(p.getInteger("parts")));
    c.add("suffix_append", TEMPLATE, "An adversarial-style suffix appended (a built-in one, or yours)",
        ParamSchema.of(Param.text("suffix").defaultValue(Frames.DEFAULT_SUFFIX).describe("what to append"),
            Param.string("separator").defaultValue(" ").describe("put between the prompt and the suffix"))
            .checkTogether(nonEmpty("suffix")),
        (p, ctx) -> new Obfuscations.PrefixSuffix("", p.getString("separator") + p.getString("suffix")));

    c.add("persuasion", LLM, "Rewritten by a generator as a persuasive request using a chosen technique",
        ParamSchema.of(generator(), Param.choice("technique", LlmRewrites.techniques().toArray(String[]::new))
            .defaultValue("logical_appeal").describe("the persuasion technique")),
        (p, ctx) -> LlmRewrites.persuasion(ctx.generator(p.getString("generator_id")), p.getString("technique")));
    c.add("math_framing", LLM, "Recast by a generator as a set-theory or algebra problem", ParamSchema.of(generator()),
        (p, ctx) -> LlmRewrites.mathFraming(ctx.generator(p.getString("generator_id"))));
    c.add("noise", LLM, "Typos and noise added by a generator, meaning kept",
        ParamSchema.of(generator(), Param.string("noise").describe("what kind, e.g. 'missing spaces'; typos by default")),
        (p, ctx) -> LlmRewrites.noise(ctx.generator(p.getString("generator_id")), p.getString("noise")));
    c.add("low_resource_translation", LLM, "Translated by a generator into a low-resource language",
        ParamSchema.of(generator(), Param.choice("language", LlmRewrites.languages().toArray(String[]::new))
            .defaultValue("zulu").describe("the target language")),
        (p, ctx) -> LlmRewrites.lowResourceTranslation(ctx.generator(p.getString("generator_id")), p.getString("language")));
    c.add("malicious_question", LLM, "A question written by a generator to draw the stated objective out",
        ParamSchema.of(generator()),
        (p, ctx) -> LlmRewrites.maliciousQuestion(ctx.generator(p.getString("generator_id"))));
    return c;
  }

  private static Consumer<JsonObject> nonEmpty(String name) {
    return p -> {
      if (p.getString(name, "").isEmpty()) {
        throw Problem.badRequest("invalid_parameter", "parameters." + name + " must not be empty");
      }
    };
  }

  private static void vigenereKey(JsonObject p) {
    if (!Ciphers.Vigenere.validKey(p.getString("key"))) {
      throw Problem.badRequest("invalid_parameter", "parameters.key must be one or more letters a-z");
    }
  }

  /** The pattern, once its replacement is known to refer only to groups it has. */
  private static Pattern searchPattern(JsonObject p) {
    int flags = p.getBoolean("case_insensitive") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    Pattern pattern = Pattern.compile(p.getString("pattern"), flags);
    String problem = Words.SearchReplace.problem(pattern, p.getString("replacement"));
    if (problem != null) {
      throw Problem.badRequest("invalid_parameter", "parameters.replacement " + problem);
    }
    return pattern;
  }

  private static String jailbreakTemplate(JsonObject p) {
    String custom = p.getString("custom_template");
    if (custom == null || custom.isBlank()) {
      return Frames.Template.TEMPLATES.get(p.getString("template"));
    }
    if (!custom.contains(Frames.PLACEHOLDER)) {
      throw Problem.badRequest("invalid_parameter", "parameters.custom_template must contain " + Frames.PLACEHOLDER);
    }
    return custom;
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
