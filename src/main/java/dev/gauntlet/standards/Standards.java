package dev.gauntlet.standards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standards table ({@code standards/frameworks.json}): the frameworks teams report against,
 * their controls, and which controls each attack (orchestrator type), converter category and
 * harm category tests. A control is named {@code framework:control}, e.g. {@code owasp_llm:LLM01};
 * probes carry such ids in {@code Probe.taxonomy()}. Read once; every mapped id is checked at load,
 * so a typo in the table fails the first use rather than a report.
 */
public final class Standards {

  /** One framework with its controls, in the table's order. */
  public record Framework(String id, String name, String version, String published, String url, List<Control> controls) {}

  /** One control; {@link #key()} is the {@code framework:control} id used everywhere else. */
  public record Control(String framework, String id, String name, String description) {
    public String key() {
      return framework + ":" + id;
    }
  }

  private static final String RESOURCE = "standards/frameworks.json";
  private static final Standards TABLE = load();

  private final JsonObject json;
  private final Map<String, Framework> frameworks;
  private final Map<String, Control> controls;
  private final Map<String, List<String>> attacks;
  private final Map<String, List<String>> converterCategories;
  private final Map<String, List<String>> harmCategories;

  private Standards(JsonObject json) {
    this.json = json;
    Map<String, Framework> fw = new LinkedHashMap<>();
    Map<String, Control> cs = new LinkedHashMap<>();
    for (Object f : json.getJsonArray("frameworks")) {
      JsonObject o = (JsonObject) f;
      String fid = o.getString("id");
      List<Control> list = new ArrayList<>();
      for (Object c : o.getJsonArray("controls")) {
        JsonObject co = (JsonObject) c;
        Control control = new Control(fid, co.getString("id"), co.getString("name"), co.getString("description"));
        if (cs.putIfAbsent(control.key(), control) != null) {
          throw new IllegalStateException("control '" + control.key() + "' listed twice");
        }
        list.add(control);
      }
      fw.put(fid, new Framework(fid, o.getString("name"), o.getString("version"), o.getString("published"), o.getString("url"),
          List.copyOf(list)));
    }
    this.frameworks = fw;
    this.controls = cs;
    this.attacks = mapping(json, "attacks");
    this.converterCategories = mapping(json, "converter_categories");
    this.harmCategories = mapping(json, "harm_categories");
  }

  private Map<String, List<String>> mapping(JsonObject json, String name) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    JsonObject m = json.getJsonObject(name, new JsonObject());
    for (String key : m.fieldNames()) {
      List<String> ids = new ArrayList<>();
      for (Object id : m.getJsonArray(key)) {
        if (!controls.containsKey((String) id)) {
          throw new IllegalStateException(name + "." + key + " maps to unknown control '" + id + "'");
        }
        ids.add((String) id);
      }
      out.put(key, List.copyOf(ids));
    }
    return out;
  }

  private static Standards load() {
    try (InputStream in = Standards.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new Standards(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The table Gauntlet ships. */
  public static Standards table() {
    return TABLE;
  }

  public Collection<Framework> frameworks() {
    return frameworks.values();
  }

  public Framework framework(String id) {
    return frameworks.get(id);
  }

  /** Whether {@code key} ({@code framework:control}) is in the table. */
  public boolean has(String key) {
    return controls.containsKey(key);
  }

  public Control control(String key) {
    return controls.get(key);
  }

  /** The controls an orchestrator type tests; none for a type the table does not know. */
  public List<String> forAttack(String orchestratorType) {
    return attacks.getOrDefault(orchestratorType, List.of());
  }

  /** The controls a converter category tests; an unknown category maps to nothing. */
  public List<String> forConverterCategory(String category) {
    return converterCategories.getOrDefault(category, List.of());
  }

  /** The controls a harm category tests; an unknown one maps to nothing. */
  public List<String> forHarmCategory(String harm) {
    return harmCategories.getOrDefault(harm, List.of());
  }

  public Set<String> attacks() {
    return attacks.keySet();
  }

  public Set<String> harmCategories() {
    return harmCategories.keySet();
  }

  /** Keeps only ids in the table, in order, without repeats. */
  public List<String> known(Collection<String> keys) {
    Set<String> out = new LinkedHashSet<>();
    for (String k : keys) {
      if (has(k)) {
        out.add(k);
      }
    }
    return List.copyOf(out);
  }

  /** The whole table as served by {@code standards.list}. */
  public JsonObject toJson() {
    JsonArray fws = new JsonArray();
    for (Framework f : frameworks.values()) {
      JsonArray cs = new JsonArray();
      f.controls().forEach(c -> cs.add(new JsonObject().put("id", c.id()).put("key", c.key()).put("name", c.name())
          .put("description", c.description())));
      fws.add(new JsonObject().put("id", f.id()).put("name", f.name()).put("version", f.version()).put("published", f.published())
          .put("url", f.url()).put("controls", cs));
    }
    return new JsonObject().put("frameworks", fws).put("attacks", json.getJsonObject("attacks").copy())
        .put("converter_categories", json.getJsonObject("converter_categories").copy())
        .put("harm_categories", json.getJsonObject("harm_categories").copy());
  }
}
