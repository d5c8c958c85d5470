package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import dev.gauntlet.dataset.DatasetFormats.FieldMapping;
import dev.gauntlet.dataset.DatasetFormats.Format;
import dev.gauntlet.dataset.JsonPrompts.Located;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The public attack sets users bring, each read with its field mapping preset from the set's
 * published layout, so nobody has to know that HarmBench calls its prompt "Behavior" or that a
 * promptfoo test keeps it among its "vars". A mapping the caller gives still wins. Every error
 * names the line (CSV) or the line and column (JSON, YAML) where it went wrong.
 */
public final class AttackSets {

  /** Where a file comes from; {@code AUTO} reads it by its own layout (Gauntlet's and PyRIT's). */
  public enum Source {
    AUTO("auto", "the file's own layout: PyRIT seed YAML, or a prompt/value/text field", null),
    HARMBENCH("harmbench", "HarmBench behaviours CSV (Behavior, SemanticCategory, ContextString, BehaviorID)", Format.CSV),
    ADVBENCH("advbench", "AdvBench CSV: harmful_behaviors (goal, target) or harmful_strings (target)", Format.CSV),
    JAILBREAKBENCH("jailbreakbench", "JailbreakBench behaviours CSV (Goal, Category) or an artifact JSON (jailbreaks[].prompt)", null),
    GARAK("garak_payload", "a garak payload JSON (garak_payload_name, payload_types, payloads)", Format.JSON),
    PROMPTFOO("promptfoo", "promptfoo tests: CSV of vars (with __expected columns), or YAML/JSON test cases with vars", null);

    private final String id;
    private final String description;
    private final Format defaultFormat;

    Source(String id, String description, Format defaultFormat) {
      this.id = id;
      this.description = description;
      this.defaultFormat = defaultFormat;
    }

    public String id() {
      return id;
    }

    public String description() {
      return description;
    }

    /** The format a file from this source comes in when the caller names none; null when it varies. */
    public Format defaultFormat() {
      return defaultFormat;
    }

    /** A source by id ("harmbench"); a null or blank name is {@code AUTO}; a 400 listing the known ones otherwise. */
    public static Source fromName(String name) {
      if (name == null || name.isBlank()) {
        return AUTO;
      }
      String n = name.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(s -> s.id.equals(n)).findFirst().orElseThrow(() -> Problem.badRequest(
          "unknown_source", "unknown dataset source '" + name + "'; known: " + ids()));
    }

    public static List<String> ids() {
      return Arrays.stream(values()).map(Source::id).toList();
    }
  }

  /** Columns a promptfoo test's prompt variable is commonly called, in the order tried. */
  private static final List<String> PROMPTFOO_VARS = List.of("prompt", "query", "question", "input", "text", "message", "goal");

  private AttackSets() {
  }

  /** Reads {@code text} as {@code source} lays it out; the collector holds the prompts and the set's name. */
  static PromptCollector read(String text, Format format, FieldMapping mapping, Source source) {
    return switch (source) {
      case AUTO -> throw new IllegalArgumentException("AUTO is read by DatasetFormats");
      case HARMBENCH -> harmBench(text, only(format, source, Format.CSV), mapping);
      case ADVBENCH -> advBench(text, only(format, source, Format.CSV), mapping);
      case JAILBREAKBENCH -> format == Format.JSON ? jailbreakBenchArtifact(text, mapping)
          : csv(text, only(format, source, Format.CSV, Format.JSON), or(mapping, "Goal", "Category"), "JailbreakBench behaviours");
      case GARAK -> garak(text, only(format, source, Format.JSON));
      case PROMPTFOO -> promptfoo(text, only(format, source, Format.CSV, Format.YAML, Format.JSON), mapping);
    };
  }

  private static Format only(Format given, Source source, Format... allowed) {
    if (!List.of(allowed).contains(given)) {
      throw Problem.badRequest("unsupported_format", source.id() + " files come as "
          + Arrays.stream(allowed).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" or "))
          + ", not " + given.name().toLowerCase(Locale.ROOT));
    }
    return given;
  }

  /** The caller's mapping where it names a field, the set's preset elsewhere. */
  private static FieldMapping or(FieldMapping given, String value, String categories) {
    return new FieldMapping(given.value() != null ? given.value() : value,
        given.harmCategories() != null ? given.harmCategories() : categories);
  }

  private static PromptCollector csv(String text, Format format, FieldMapping mapping, String name) {
    PromptCollector out = new PromptCollector(mapping);
    CsvPrompts.read(text, format == Format.TSV ? '\t' : ',', out);
    out.describe(name, null);
    return out;
  }

  /**
   * HarmBench: the behaviour is the prompt; a contextual behaviour's ContextString is the
   * material it refers to, so it goes before the behaviour, as HarmBench poses it.
   */
  private static PromptCollector harmBench(String text, Format format, FieldMapping mapping) {
    PromptCollector out = csv(text, format, or(mapping, "Behavior", "SemanticCategory"), "HarmBench behaviours");
    List<SeedPrompt> prompts = out.prompts();
    for (int i = 0; i < prompts.size(); i++) {
      SeedPrompt p = prompts.get(i);
      String context = p.metadata().getValue("ContextString") instanceof String s ? s.strip() : "";
      if (!context.isEmpty()) {
        JsonObject metadata = p.metadata().copy();
        metadata.put("behavior", p.value());
        prompts.set(i, new SeedPrompt(context + "\n\n---\n\n" + p.value(), p.harmCategories(), metadata));
      }
    }
    return out;
  }

  /** AdvBench: harmful_behaviors.csv has goal and target (the goal is the prompt); harmful_strings.csv only target. */
  private static PromptCollector advBench(String text, Format format, FieldMapping mapping) {
    String header = text.lines().findFirst().orElse("");
    boolean hasGoal = Arrays.stream(header.split(",")).anyMatch(h -> h.strip().replace("\"", "").equalsIgnoreCase("goal"));
    return csv(text, format, or(mapping, hasGoal ? "goal" : "target", null), hasGoal ? "AdvBench behaviours" : "AdvBench strings");
  }

  /**
   * A JailbreakBench artifact: the jailbreak prompts one attack method found, in a
   * {@code jailbreaks} array; a behaviour the method found no prompt for has a null prompt and
   * is counted as skipped.
   */
  private static PromptCollector jailbreakBenchArtifact(String text, FieldMapping mapping) {
    JsonPrompts.Document d = document(text);
    List<Located> jailbreaks = d.arrays().get("jailbreaks");
    if (jailbreaks == null) {
      throw Problem.badRequest("invalid_dataset", "a JailbreakBench artifact has a 'jailbreaks' array; fields found: "
          + d.fields().keySet());
    }
    PromptCollector out = new PromptCollector(or(mapping, "prompt", "category"));
    String name = "JailbreakBench artifact";
    if (d.fields().get("parameters") instanceof Map<?, ?> params && params.get("method") != null) {
      name += ": " + params.get("method") + (params.get("model") == null ? "" : " on " + params.get("model"));
    }
    out.describe(name, null);
    for (Located j : jailbreaks) {
      if (!(j.value() instanceof Map<?, ?>)) {
        throw Problem.badRequest("invalid_dataset", j.where() + ": each jailbreak must be an object");
      }
      out.addElement(j.value(), j.where(), List.of(), Map.of());
    }
    return out;
  }

  /** A garak payload file: a named list of strings, its payload types taken as harm categories. */
  private static PromptCollector garak(String text, Format format) {
    JsonPrompts.Document d = document(text);
    List<Located> payloads = d.arrays().get("payloads");
    if (payloads == null) {
      throw Problem.badRequest("invalid_dataset", "a garak payload file has a 'payloads' array; fields found: " + d.fields().keySet());
    }
    PromptCollector out = new PromptCollector(FieldMapping.AUTO);
    out.describe(d.fields().get("garak_payload_name"), null);
    List<String> categories = PromptCollector.categories(d.fields().get("payload_types"), "payload_types");
    JsonObject shared = new JsonObject();
    for (String key : List.of("lang", "bcp47", "detector_name")) {
      if (d.fields().get(key) instanceof String s && !s.isBlank()) {
        shared.put(key, s);
      }
    }
    for (Located p : payloads) {
      if (p.value() != null && !(p.value() instanceof String)) {
        throw Problem.badRequest("invalid_dataset", p.where() + ": a garak payload must be text");
      }
      out.add((String) p.value(), categories, shared.copy());
    }
    return out;
  }

  /**
   * promptfoo tests: a CSV whose columns are the test's vars (its {@code __expected},
   * {@code __description} and {@code __metadata:…} columns kept as metadata), or YAML/JSON test
   * cases ({@code vars}, {@code assert}, {@code description}, {@code metadata}) as a list or under
   * {@code tests}. The prompt is the var the caller names, else a conventionally named one, else
   * the only one; a red-team test's {@code metadata.harmCategory} (or {@code pluginId}) is its harm category.
   */
  private static PromptCollector promptfoo(String text, Format format, FieldMapping mapping) {
    if (format == Format.CSV) {
      String header = text.lines().findFirst().orElse("");
      List<String> columns = Arrays.stream(header.split(",")).map(h -> h.strip().replace("\"", "")).toList();
      String category = columns.contains("__metadata:harmCategory") ? "__metadata:harmCategory"
          : columns.contains("__metadata:pluginId") ? "__metadata:pluginId" : null;
      return csv(text, format, or(mapping, promptVar(columns, mapping, "line 1"), category), "promptfoo tests");
    }
    List<Object> tests = new ArrayList<>();
    List<String> where = new ArrayList<>();
    String name = "promptfoo tests";
    if (format == Format.YAML) {
      YamlPrompts.Loaded loaded = YamlPrompts.load(text);
      Object doc = loaded.document();
      Object list = doc instanceof Map<?, ?> config ? config.get("tests") : doc;
      if (doc instanceof Map<?, ?> config && config.get("description") instanceof String s && !s.isBlank()) {
        name = s;
      }
      if (list instanceof String ref) {
        throw Problem.badRequest("invalid_dataset", "'tests' refers to another file (" + shorten(ref) + "); upload that file instead");
      }
      if (!(list instanceof List<?> l)) {
        throw Problem.badRequest("invalid_dataset", "expected a list of promptfoo tests, or a config with a 'tests' list");
      }
      for (int i = 0; i < l.size(); i++) {
        tests.add(l.get(i));
        where.add(loaded.where(l.get(i), "tests[" + i + "]"));
      }
    } else {
      JsonPrompts.Document d = document(text);
      List<Located> list = d.topArray() != null ? d.topArray() : d.arrays().get("tests");
      if (list == null) {
        throw Problem.badRequest("invalid_dataset", "expected a JSON list of promptfoo tests, or an object with a 'tests' list; fields found: "
            + d.fields().keySet());
      }
      list.forEach(l -> {
        tests.add(l.value());
        where.add(l.where());
      });
    }
    List<Map<String, Object>> flat = new ArrayList<>();
    for (int i = 0; i < tests.size(); i++) {
      flat.add(flatten(tests.get(i), where.get(i)));
    }
    String var = flat.isEmpty() ? "prompt"
        : promptVar(((Map<?, ?>) ((Map<?, ?>) tests.get(0)).get("vars")).keySet().stream().map(String::valueOf).toList(),
        mapping, where.get(0));
    PromptCollector out = new PromptCollector(or(mapping, var, "harm_categories"));
    out.describe(name, null);
    for (int i = 0; i < flat.size(); i++) {
      out.addElement(flat.get(i), where.get(i), List.of(), Map.of());
    }
    return out;
  }

  /** A test's vars lifted to the top, its other fields beside them (prefixed when a var has the same name). */
  private static Map<String, Object> flatten(Object test, String where) {
    if (!(test instanceof Map<?, ?> t) || !(t.get("vars") instanceof Map<?, ?> vars)) {
      throw Problem.badRequest("invalid_dataset", where + ": a promptfoo test needs a 'vars' mapping");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    vars.forEach((k, v) -> out.put(String.valueOf(k), v));
    t.forEach((k, v) -> {
      String key = String.valueOf(k);
      if (!key.equals("vars")) {
        out.put(out.containsKey(key) ? "promptfoo_" + key : key, v);
      }
    });
    if (t.get("metadata") instanceof Map<?, ?> meta && !out.containsKey("harm_categories")) {
      Object category = meta.get("harmCategory") != null ? meta.get("harmCategory") : meta.get("pluginId");
      if (category instanceof String s && !s.isBlank()) {
        out.put("harm_categories", s);
      }
    }
    return out;
  }

  /** The var holding the prompt: the caller's, else a conventional name, else the only non-special one. */
  private static String promptVar(List<String> vars, FieldMapping mapping, String where) {
    if (mapping.value() != null) {
      return mapping.value();
    }
    for (String wanted : PROMPTFOO_VARS) {
      for (String v : vars) {
        if (v.equalsIgnoreCase(wanted)) {
          return v;
        }
      }
    }
    List<String> plain = vars.stream().filter(v -> !v.startsWith("__") && !v.isBlank()).toList();
    if (plain.size() == 1) {
      return plain.get(0);
    }
    throw Problem.badRequest("missing_value_field", where + ": which var holds the prompt? vars found: " + plain
        + "; name it as the prompt field (value_field)");
  }

  private static JsonPrompts.Document document(String text) {
    JsonPrompts.Document d = JsonPrompts.document(text);
    if (d == null) {
      throw Problem.badRequest("invalid_dataset", "the file is empty");
    }
    return d;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
