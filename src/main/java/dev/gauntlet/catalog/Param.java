package dev.gauntlet.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One parameter of a catalog type, declared once: it validates input, fills defaults, and is
 * served by {@code /types} so forms and clients see the same rules. Built fluently:
 * {@code Param.integer("shift").min(1).max(25).defaultValue(3).describe("letters to shift")}.
 */
public final class Param {

  /** What a parameter holds. The {@code *_ID(S)} kinds name other configurations of the caller. */
  public enum Kind {
    STRING, TEXT, INTEGER, NUMBER, BOOLEAN, STRING_LIST, OBJECT, SECRET, CHOICE, REGEX,
    /** An absolute http:// or https:// URL with a host, checked when saved; {@code {{placeholders}}} may stand in its path or query. */
    URL,
    /** An array of JSON objects, such as the pieces of a batch or the turns of a chat. */
    OBJECT_LIST,
    /** An object of string values that are all secrets, such as HTTP headers carrying keys. */
    SECRET_MAP,
    GENERATOR_ID, SCORER_ID, SCORER_IDS, CONVERTER_IDS, DATASET_ID
  }

  private final String name;
  private final Kind kind;
  private boolean required;
  private Object defaultValue;
  private String description = "";
  private Double min;
  private Double max;
  private List<String> choices = List.of();

  private Param(String name, Kind kind) {
    this.name = name;
    this.kind = kind;
  }

  public static Param string(String name) {
    return new Param(name, Kind.STRING);
  }

  /** Long free text, such as a template or a system prompt. */
  public static Param text(String name) {
    return new Param(name, Kind.TEXT);
  }

  public static Param integer(String name) {
    return new Param(name, Kind.INTEGER);
  }

  public static Param number(String name) {
    return new Param(name, Kind.NUMBER);
  }

  public static Param bool(String name) {
    return new Param(name, Kind.BOOLEAN);
  }

  public static Param strings(String name) {
    return new Param(name, Kind.STRING_LIST);
  }

  public static Param object(String name) {
    return new Param(name, Kind.OBJECT);
  }

  public static Param objects(String name) {
    return new Param(name, Kind.OBJECT_LIST);
  }

  /** Encrypted at rest and never returned by the API. */
  public static Param secret(String name) {
    return new Param(name, Kind.SECRET);
  }

  /** A Java regular expression, refused at configuration time if it does not compile. */
  public static Param url(String name) {
    return new Param(name, Kind.URL);
  }

  public static Param regex(String name) {
    return new Param(name, Kind.REGEX);
  }

  /** An object whose string values are secrets: encrypted at rest, masked when read. */
  public static Param secretMap(String name) {
    return new Param(name, Kind.SECRET_MAP);
  }

  public static Param choice(String name, String... choices) {
    Param p = new Param(name, Kind.CHOICE);
    p.choices = List.of(choices);
    return p;
  }

  public static Param reference(String name, Kind kind) {
    if (!kind.name().endsWith("_ID") && !kind.name().endsWith("_IDS")) {
      throw new IllegalArgumentException(kind + " is not a reference kind");
    }
    return new Param(name, kind);
  }

  public Param required() {
    this.required = true;
    return this;
  }

  public Param defaultValue(Object value) {
    this.defaultValue = value;
    return this;
  }

  public Param describe(String description) {
    this.description = description;
    return this;
  }

  public Param min(double min) {
    this.min = min;
    return this;
  }

  public Param max(double max) {
    this.max = max;
    return this;
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isRequired() {
    return required;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public Double minimum() {
    return min;
  }

  public Double maximum() {
    return max;
  }

  public List<String> choices() {
    return choices;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("name", name).put("kind", kind.name().toLowerCase()).put("required", required)
        .put("description", description);
    if (defaultValue != null) {
      j.put("default", defaultValue instanceof List<?> l ? new JsonArray(l) : defaultValue);
    }
    if (min != null) {
      j.put("min", min);
    }
    if (max != null) {
      j.put("max", max);
    }
    if (!choices.isEmpty()) {
      j.put("choices", new JsonArray(choices));
    }
    return j;
  }
}
