package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole configuration, read once at start into typed holders.
 *
 * <p>Layers, later wins: the defaults embedded in the jar (the repository's {@code conf.json}),
 * the file given by {@code -conf FILE} (or {@code ./conf.json} if present), then environment
 * variables. Every key has a variable named {@code GAUNTLET_} + its path in upper snake case
 * ({@code memory.maxOpen} is {@code GAUNTLET_MEMORY_MAX_OPEN}); {@link #ALIASES} adds the short
 * names the README documents and ViolentUTF's {@code PYRIT_DB_SALT}.
 */
public record GauntletConfig(Path dataDir, HttpConfig http, MemoryConfig memory, AuthConfig auth,
                             OrchestratorConfig orchestrator, RateLimitConfig rateLimit, dev.gauntlet.generator.Egress.Policy egress,
                             JsonObject raw, ClusterConfig cluster) {

  /** Variables that name a key by something other than its derived name. */
  public static final Map<String, String> ALIASES = Map.of(
      "GAUNTLET_ADMIN_PASSWORD", "auth.adminPassword",
      "PYRIT_DB_SALT", "memory.salt",
      "GAUNTLET_SECRET_KEY", "auth.secretKey");

  public static GauntletConfig load(Path confFile, Map<String, String> env) {
    JsonObject merged = embeddedDefaults();
    Path file = confFile != null ? confFile : Path.of("conf.json");
    if (confFile != null && !Files.isRegularFile(confFile)) {
      throw new IllegalArgumentException("configuration file not found: " + confFile);
    }
    if (Files.isRegularFile(file)) {
      try {
        deepMerge(merged, new JsonObject(Files.readString(file)));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("cannot read configuration " + file + ": " + e.getMessage(), e);
      }
    }
    applyEnv(merged, env);
    return from(merged);
  }

  public static GauntletConfig from(JsonObject json) {
    Path dataDir = Path.of(json.getString("dataDir", "data")).toAbsolutePath().normalize();
    return new GauntletConfig(dataDir,
        HttpConfig.from(json.getJsonObject("http", new JsonObject())),
        MemoryConfig.from(json.getJsonObject("memory", new JsonObject()), dataDir),
        AuthConfig.from(json.getJsonObject("auth", new JsonObject())),
        OrchestratorConfig.from(json.getJsonObject("orchestrator", new JsonObject())),
        RateLimitConfig.from(json.getJsonObject("rateLimit", new JsonObject())),
        dev.gauntlet.generator.Egress.Policy.from(json.getJsonObject("generators", new JsonObject()).getJsonObject("egress")),
        json,
        ClusterConfig.from(json.getJsonObject("cluster", new JsonObject())));
  }

  public Path appDatabaseFile() {
    return dataDir.resolve("gauntlet.db");
  }

  /** The app database: embedded SQLite by default, PostgreSQL when {@code appdb.url} is set. */
  public AppDbConfig appDb() {
    return AppDbConfig.from(raw.getJsonObject("appdb", new JsonObject()), dataDir);
  }

  public Path filesDir() {
    return dataDir.resolve("files");
  }

  static JsonObject embeddedDefaults() {
    try (InputStream in = GauntletConfig.class.getResourceAsStream("/conf.json")) {
      if (in == null) {
        throw new IllegalStateException("conf.json is missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every variable a key can be set by: derived names first, then the aliases. */
  public static Map<String, String> environmentNames() {
    Map<String, String> names = new LinkedHashMap<>();
    collect(embeddedDefaults(), "", names);
    ALIASES.forEach((variable, path) -> names.put(variable, path));
    return names;
  }

  private static void collect(JsonObject json, String prefix, Map<String, String> out) {
    for (String key : json.fieldNames()) {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      Object value = json.getValue(key);
      if (value instanceof JsonObject child) {
        collect(child, path, out);
      } else {
        out.put(variableFor(path), path);
      }
    }
  }

  static String variableFor(String path) {
    StringBuilder b = new StringBuilder("GAUNTLET_");
    for (char c : path.toCharArray()) {
      if (c == '.') {
        b.append('_');
      } else if (Character.isUpperCase(c)) {
        b.append('_').append(c);
      } else {
        b.append(Character.toUpperCase(c));
      }
    }
    return b.toString();
  }

  static void applyEnv(JsonObject merged, Map<String, String> env) {
    Map<String, String> names = environmentNames();
    // aliases first so that the longer, exact name wins when both are set
    for (boolean aliasPass : new boolean[] {true, false}) {
      for (Map.Entry<String, String> e : names.entrySet()) {
        boolean isAlias = ALIASES.containsKey(e.getKey());
        String value = env.get(e.getKey());
        if (isAlias == aliasPass && value != null) {
          set(merged, e.getValue(), value);
        }
      }
    }
  }

  private static void set(JsonObject root, String path, String text) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = node.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        node.put(parts[i], next);
      }
      node = next;
    }
    String key = parts[parts.length - 1];
    Object current = node.getValue(key);
    try {
      if (current instanceof Integer || current instanceof Long) {
        node.put(key, Long.parseLong(text.trim()));
      } else if (current instanceof Boolean) {
        node.put(key, Boolean.parseBoolean(text.trim()));
      } else if (current instanceof Number) {
        node.put(key, Double.parseDouble(text.trim()));
      } else {
        node.put(key, text);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("environment variable for " + path + " must be a number, got '" + text + "'");
    }
  }

  private static void deepMerge(JsonObject target, JsonObject source) {
    for (String key : source.fieldNames()) {
      Object value = source.getValue(key);
      if (value instanceof JsonObject child && target.getValue(key) instanceof JsonObject existing) {
        deepMerge(existing, child);
      } else {
        target.put(key, value);
      }
    }
  }
}
