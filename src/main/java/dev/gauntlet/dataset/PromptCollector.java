package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import dev.gauntlet.dataset.DatasetFormats.FieldMapping;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the rows, objects and lines every format yields into seed prompts: picks the value and
 * harm-category fields, keeps the rest as metadata, skips blank values and enforces the limits.
 */
final class PromptCollector {

  static final List<String> VALUE_FIELDS = List.of("value", "prompt", "text", "question", "goal", "objective");
  static final List<String> CATEGORY_FIELDS = List.of("harm_categories", "harm_category", "category", "categories");

  private static final Pattern CATEGORY_SEPARATORS = Pattern.compile("[;,|]");
  private static final int MAX_DEPTH = 64;
  private static final int MAX_FIELDS = 200;

  private final FieldMapping mapping;
  private final List<SeedPrompt> prompts = new ArrayList<>();
  private int skipped;
  private String name;
  private String description;
  private final Set<String> fields = new LinkedHashSet<>();
  private String valueField;
  private String categoryField;

  PromptCollector(FieldMapping mapping) {
    this.mapping = mapping == null ? FieldMapping.AUTO : mapping;
  }

  List<SeedPrompt> prompts() {
    return prompts;
  }

  int skipped() {
    return skipped;
  }

  String name() {
    return name;
  }

  String description() {
    return description;
  }

  /** The field (or column) names seen, in order of first sight, for a mapping form to offer. */
  Set<String> fields() {
    return fields;
  }

  /** The field the first prompt's text came from; null for formats without named fields. */
  String valueField() {
    return valueField;
  }

  String categoryField() {
    return categoryField;
  }

  /** The dataset's own name and description, for formats that carry them; non-text values are ignored. */
  void describe(Object datasetName, Object datasetDescription) {
    name = datasetName instanceof String s && !s.isBlank() ? s.trim() : null;
    description = datasetDescription instanceof String s && !s.isBlank() ? s.trim() : null;
  }

  /** Adds a prompt unless its value is blank, which is counted instead. */
  void add(String value, List<String> categories, JsonObject metadata) {
    if (value == null || value.isBlank()) {
      skipped++;
      return;
    }
    if (prompts.size() >= DatasetFormats.MAX_PROMPTS) {
      throw Problem.badRequest("too_many_prompts", "a dataset holds at most " + DatasetFormats.MAX_PROMPTS + " prompts");
    }
    prompts.add(new SeedPrompt(value, categories, metadata));
  }

  /**
   * Adds one element of a JSON or YAML prompt list: a bare string, or an object whose value
   * and categories fields the mapping picks. {@code where} prefixes any error.
   */
  void addElement(Object element, String where, List<String> defaultCategories, Map<String, Object> inherited) {
    if (element == null) {
      skipped++;
    } else if (element instanceof Map<?, ?> map) {
      addObject(map, where, defaultCategories, inherited);
    } else if (element instanceof Collection<?>) {
      throw Problem.badRequest("invalid_dataset", where + ": expected a prompt object or string, found a list");
    } else {
      add(scalarText(element), defaultCategories, inheritedMetadata(inherited, Map.of(), where));
    }
  }

  private void addObject(Map<?, ?> object, String where, List<String> defaultCategories, Map<String, Object> inherited) {
    List<String> keys = object.keySet().stream().map(String::valueOf).toList();
    String valueKey = valueKey(keys, where, "field");
    String categoryKey = categoryKey(keys);
    Object rawValue = lookup(object, valueKey);
    if (rawValue instanceof Map<?, ?> || rawValue instanceof Collection<?>) {
      throw Problem.badRequest("invalid_dataset", where + ": '" + valueKey + "' must be text");
    }
    List<String> categories = categoryKey == null || lookup(object, categoryKey) == null
        ? defaultCategories : categories(lookup(object, categoryKey), where);
    JsonObject metadata = inheritedMetadata(inherited, object, where);
    for (Map.Entry<?, ?> e : object.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!key.equals(valueKey) && !key.equals(categoryKey)) {
        metadata.put(key, toJsonValue(e.getValue(), where, 0));
      }
    }
    add(rawValue == null ? null : scalarText(rawValue), categories, metadata);
  }

  private JsonObject inheritedMetadata(Map<String, Object> inherited, Map<?, ?> own, String where) {
    JsonObject metadata = new JsonObject();
    inherited.forEach((k, v) -> {
      if (!own.containsKey(k)) {
        metadata.put(k, toJsonValue(v, where, 0));
      }
    });
    return metadata;
  }

  /**
   * The field (or column) holding the prompt text among {@code found}: the mapped one, else
   * the first conventional name present; case-insensitive. A 400 lists what was found otherwise.
   */
  String valueKey(List<String> found, String where, String noun) {
    found.stream().limit(Math.max(0, MAX_FIELDS - fields.size())).forEach(fields::add);
    String key = match(found, mapping.value() != null ? List.of(mapping.value()) : VALUE_FIELDS);
    if (key == null) {
      String wanted = mapping.value() != null
          ? "no " + noun + " '" + mapping.value() + "'"
          : "no prompt " + noun + " (looked for " + String.join(", ", VALUE_FIELDS) + ")";
      throw Problem.badRequest("missing_value_field", where + ": " + wanted + "; " + noun + "s found: " + found);
    }
    if (valueField == null) {
      valueField = key;
    }
    return key;
  }

  /** The harm-categories field: the mapped one, else a conventional one; null when absent. */
  String categoryKey(List<String> found) {
    String key = match(found, mapping.harmCategories() != null ? List.of(mapping.harmCategories()) : CATEGORY_FIELDS);
    if (categoryField == null) {
      categoryField = key;
    }
    return key;
  }

  /** As {@link #categoryKey}, but a column the mapping names must exist (rows of a table all share it). */
  String requiredCategoryKey(List<String> found, String where, String noun) {
    String key = categoryKey(found);
    if (key == null && mapping.harmCategories() != null) {
      throw Problem.badRequest("missing_category_field", where + ": no " + noun + " '" + mapping.harmCategories()
          + "'; " + noun + "s found: " + found);
    }
    return key;
  }

  private static String match(List<String> found, List<String> wanted) {
    for (String w : wanted) {
      for (String f : found) {
        if (f.equals(w)) {
          return f;
        }
      }
      for (String f : found) {
        if (f.trim().equalsIgnoreCase(w.trim())) {
          return f;
        }
      }
    }
    return null;
  }

  private static Object lookup(Map<?, ?> object, String key) {
    for (Map.Entry<?, ?> e : object.entrySet()) {
      if (String.valueOf(e.getKey()).equals(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Harm categories from a list, or from one string split on ';', ',' or '|'; trimmed, blanks and repeats dropped. */
  static List<String> categories(Object raw, String where) {
    Set<String> out = new LinkedHashSet<>();
    if (raw == null) {
      return List.of();
    } else if (raw instanceof Collection<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> || item instanceof Collection<?>) {
          throw Problem.badRequest("invalid_dataset", where + ": harm categories must be strings");
        }
        if (item != null) {
          splitInto(String.valueOf(item), out);
        }
      }
    } else if (raw instanceof Map<?, ?>) {
      throw Problem.badRequest("invalid_dataset", where + ": harm categories must be a list or a string");
    } else {
      splitInto(String.valueOf(raw), out);
    }
    return List.copyOf(out);
  }

  private static void splitInto(String text, Set<String> out) {
    for (String part : CATEGORY_SEPARATORS.split(text)) {
      String c = part.trim();
      if (!c.isEmpty()) {
        out.add(c);
      }
    }
  }

  private static String scalarText(Object scalar) {
    return scalar instanceof Date d ? d.toInstant().toString() : String.valueOf(scalar);
  }

  /** JSON- or YAML-loaded values as Vert.x JSON; YAML dates become ISO instants. */
  static Object toJsonValue(Object v, String where, int depth) {
    if (depth > MAX_DEPTH) {
      throw Problem.badRequest("invalid_dataset", where + ": nested more than " + MAX_DEPTH + " levels deep");
    }
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Map<?, ?> map) {
      JsonObject o = new JsonObject();
      map.forEach((k, x) -> o.put(String.valueOf(k), toJsonValue(x, where, depth + 1)));
      return o;
    }
    if (v instanceof Collection<?> list) {
      JsonArray a = new JsonArray();
      list.forEach(x -> a.add(toJsonValue(x, where, depth + 1)));
      return a;
    }
    if (v instanceof Date d) {
      return d.toInstant().toString();
    }
    if (v instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return String.valueOf(v);
  }
}
