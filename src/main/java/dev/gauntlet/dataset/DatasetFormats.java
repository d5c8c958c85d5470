package dev.gauntlet.dataset;

import dev.gauntlet.Problem;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads an uploaded dataset file (CSV, TSV, JSON, JSONL, TXT or PyRIT's YAML seed-prompt
 * layout) into seed prompts. Every failure is a 400 naming where in the file it went wrong.
 */
public final class DatasetFormats {

  public static final int MAX_BYTES = 20 * 1024 * 1024;
  public static final int MAX_PROMPTS = 200_000;

  private DatasetFormats() {
  }

  public enum Format {
    CSV("csv"), TSV("tsv", "tab"), JSON("json"), JSONL("jsonl", "ndjson"), TXT("txt", "text"), YAML("yaml", "yml");

    private final List<String> extensions;

    Format(String... extensions) {
      this.extensions = List.of(extensions);
    }

    public List<String> extensions() {
      return extensions;
    }

    /** The format a file name's extension names; a 400 listing the supported ones otherwise. */
    public static Format fromFileName(String fileName) {
      String name = fileName == null ? "" : fileName.trim();
      int dot = name.lastIndexOf('.');
      String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
      return byExtension(ext).orElseThrow(() -> Problem.badRequest("unsupported_format",
          "cannot tell the format of '" + name + "'; supported extensions: " + supported()));
    }

    /** A format by its name or extension ("csv", "YAML", "yml"); a 400 listing the supported ones otherwise. */
    public static Format fromName(String formatName) {
      String n = formatName == null ? "" : formatName.trim().toLowerCase(Locale.ROOT);
      return byExtension(n).orElseThrow(() -> Problem.badRequest("unsupported_format",
          "unknown dataset format '" + formatName + "'; supported: " + supported()));
    }

    private static java.util.Optional<Format> byExtension(String ext) {
      return Arrays.stream(values()).filter(f -> f.extensions.contains(ext)).findFirst();
    }

    private static String supported() {
      return Arrays.stream(values()).flatMap(f -> f.extensions.stream()).map(e -> "." + e)
          .collect(Collectors.joining(", "));
    }
  }

  /**
   * Which field holds the prompt text and which its harm categories. A null name means
   * auto-detect: value among {@code value, prompt, text, question, goal, objective} and
   * categories among {@code harm_categories, harm_category, category, categories},
   * case-insensitively. A named field must exist as a CSV/TSV column.
   */
  public record FieldMapping(String value, String harmCategories) {
    public static final FieldMapping AUTO = new FieldMapping(null, null);

    public FieldMapping {
      value = value == null || value.isBlank() ? null : value.trim();
      harmCategories = harmCategories == null || harmCategories.isBlank() ? null : harmCategories.trim();
    }
  }

  /**
   * What a file held: its own name and description where the format has them, how many blank
   * values were skipped, and for a field-mapping form the field names seen and the two chosen
   * (null where the file has no named fields or no categories).
   */
  public record Parsed(String name, String description, List<SeedPrompt> prompts, int skippedBlank,
                       List<String> fields, String valueField, String categoryField) {
  }

  public static List<SeedPrompt> parse(byte[] content, Format format, FieldMapping mapping) {
    return read(content, format, mapping).prompts();
  }

  public static Parsed read(byte[] content, Format format, FieldMapping mapping) {
    return read(content, format, mapping, AttackSets.Source.AUTO);
  }

  /** As {@link #read(byte[], Format, FieldMapping)}, laid out as {@code source} publishes its files. */
  public static Parsed read(byte[] content, Format format, FieldMapping mapping, AttackSets.Source source) {
    if (content == null) {
      throw Problem.badRequest("invalid_dataset", "the file is empty");
    }
    if (content.length > MAX_BYTES) {
      throw Problem.badRequest("too_large", "a dataset file holds at most " + MAX_BYTES / (1024 * 1024) + " MB");
    }
    String text = decodeUtf8(content);
    FieldMapping fields = mapping == null ? FieldMapping.AUTO : mapping;
    PromptCollector out;
    if (source != null && source != AttackSets.Source.AUTO) {
      out = AttackSets.read(text, format, fields, source);
    } else {
      out = new PromptCollector(fields);
      switch (format) {
        case CSV -> CsvPrompts.read(text, ',', out);
        case TSV -> CsvPrompts.read(text, '\t', out);
        case JSON -> JsonPrompts.readDocument(text, out);
        case JSONL -> JsonPrompts.readLines(text, out);
        case TXT -> readLines(text, out);
        case YAML -> YamlPrompts.read(text, out);
      }
    }
    if (out.prompts().isEmpty()) {
      throw Problem.badRequest("no_prompts", "no prompts found"
          + (out.skipped() > 0 ? " (" + out.skipped() + " blank values skipped)" : ""));
    }
    return new Parsed(out.name(), out.description(), List.copyOf(out.prompts()), out.skipped(),
        List.copyOf(out.fields()), out.valueField(), out.categoryField());
  }

  private static void readLines(String text, PromptCollector out) {
    // String.lines() splits on \n, \r\n and \r alike; a blank line is no prompt
    text.lines().forEach(line -> {
      if (!line.isBlank()) {
        out.add(line, List.of(), null);
      }
    });
  }

  /** Strict UTF-8 without a leading byte-order mark; a 400 names the first bad byte. */
  static String decodeUtf8(byte[] content) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content);
    // UTF-8 never yields more chars than bytes
    CharBuffer chars = CharBuffer.allocate(content.length + 1);
    CoderResult result = decoder.decode(in, chars, true);
    if (!result.isError()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      throw Problem.badRequest("invalid_encoding", "the file is not valid UTF-8: bad byte at offset " + in.position());
    }
    chars.flip();
    if (chars.hasRemaining() && chars.charAt(0) == '\uFEFF') {
      chars.position(1);
    }
    return chars.toString();
  }
}
