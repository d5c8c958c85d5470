package dev.gauntlet.catalog;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parameters of one catalog type: validation with defaults, and the JSON that describes them. */
public final class ParamSchema {

  /** What secret parameters look like when read back through the API. */
  public static final String MASK = "********";

  private final Map<String, Param> params = new LinkedHashMap<>();
  private List<java.util.function.Consumer<JsonObject>> together = List.of();

  private ParamSchema(List<Param> params) {
    for (Param p : params) {
      if (this.params.put(p.name(), p) != null) {
        throw new IllegalArgumentException("parameter '" + p.name() + "' declared twice");
      }
    }
  }

  public static ParamSchema of(Param... params) {
    return new ParamSchema(List.of(params));
  }

  /** This schema and more parameters, e.g. the resilience settings every generator shares. */
  public ParamSchema with(Param... more) {
    List<Param> all = new java.util.ArrayList<>(params.values());
    all.addAll(List.of(more));
    return new ParamSchema(all);
  }

  public List<Param> params() {
    return List.copyOf(params.values());
  }

  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    params.values().forEach(p -> out.add(p.toJson()));
    return out;
  }

  /**
   * Checks given parameters and returns them complete: defaults filled, numbers in range,
   * unknown names refused. Problems name the parameter: {@code parameters.shift must be ...}.
   */
  public JsonObject validate(JsonObject given) {
    JsonObject in = given == null ? new JsonObject() : given;
    for (String key : in.fieldNames()) {
      if (!params.containsKey(key)) {
        throw Problem.badRequest("unknown_parameter", "unknown parameter '" + key + "'; known: " + params.keySet());
      }
    }
    JsonObject out = new JsonObject();
    for (Param p : params.values()) {
      Object v = in.getValue(p.name());
      if (v == null) {
        if (p.isRequired()) {
          throw Problem.badRequest("missing_parameter", "parameters." + p.name() + " is required");
        }
        if (p.defaultValue() != null) {
          Object d = p.defaultValue();
          out.put(p.name(), d instanceof List<?> l ? new JsonArray(l) : d);
        }
        continue;
      }
      out.put(p.name(), check(p, v));
    }
    together.forEach(c -> c.accept(out));
    return out;
  }

  /**
   * This schema with a check over the complete parameters, run after each one is valid, for rules
   * a single parameter cannot state (a key's alphabet, a replacement's groups against its pattern).
   * The check throws a 400 {@link Problem} naming the parameter; it runs wherever the schema
   * validates, so a configuration is refused when it is saved, not when it is first used.
   */
  public ParamSchema checkTogether(java.util.function.Consumer<JsonObject> check) {
    ParamSchema s = new ParamSchema(params());
    s.together = java.util.stream.Stream.concat(together.stream(), java.util.stream.Stream.of(check)).toList();
    return s;
  }

  private static Object check(Param p, Object v) {
    String at = "parameters." + p.name();
    switch (p.kind()) {
      case STRING, TEXT, SECRET, GENERATOR_ID, SCORER_ID, DATASET_ID -> {
        if (!(v instanceof String s)) {
          throw Problem.badRequest("invalid_parameter", at + " must be a string");
        }
        if (p.kind() != Param.Kind.TEXT && p.kind() != Param.Kind.STRING && s.isEmpty()) {
          throw Problem.badRequest("invalid_parameter", at + " must not be empty");
        }
        if (s.length() > (p.kind() == Param.Kind.TEXT ? 100_000 : 4_000)) {
          throw Problem.badRequest("invalid_parameter", at + " is too long");
        }
        return s;
      }
      case URL -> {
        if (!(v instanceof String s) || s.isBlank()) {
          throw Problem.badRequest("invalid_parameter", at + " must be an absolute http:// or https:// URL");
        }
        if (s.length() > 4_000) {
          throw Problem.badRequest("invalid_parameter", at + " is too long");
        }
        java.net.URI uri;
        try {
          uri = new java.net.URI(s.replaceAll("\\{\\{\\w+}}", "x"));
        } catch (java.net.URISyntaxException e) {
          throw Problem.badRequest("invalid_parameter", at + " is not a valid URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null || uri.getUserInfo() != null) {
          throw Problem.badRequest("invalid_parameter", at + " must be an absolute http:// or https:// URL with a host (and no user:password@)");
        }
        return s;
      }
      case REGEX -> {
        if (!(v instanceof String s) || s.isEmpty()) {
          throw Problem.badRequest("invalid_parameter", at + " must be a non-empty regular expression");
        }
        try {
          java.util.regex.Pattern.compile(s);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw Problem.badRequest("invalid_parameter", at + " is not a valid regular expression: " + e.getDescription()
              + " near index " + e.getIndex());
        }
        return s;
      }
      case SECRET_MAP -> {
        if (!(v instanceof JsonObject o) || !o.stream().allMatch(e -> e.getValue() instanceof String)) {
          throw Problem.badRequest("invalid_parameter", at + " must be an object of string values");
        }
        return o;
      }
      case CHOICE -> {
        if (!(v instanceof String s) || !p.choices().contains(s)) {
          throw Problem.badRequest("invalid_parameter", at + " must be one of " + p.choices());
        }
        return s;
      }
      case INTEGER -> {
        if (!(v instanceof Integer || v instanceof Long)) {
          throw Problem.badRequest("invalid_parameter", at + " must be a whole number");
        }
        range(p, ((Number) v).doubleValue(), at);
        return ((Number) v).longValue() == ((Number) v).intValue() ? (Object) ((Number) v).intValue() : v;
      }
      case NUMBER -> {
        if (!(v instanceof Number n)) {
          throw Problem.badRequest("invalid_parameter", at + " must be a number");
        }
        range(p, n.doubleValue(), at);
        return n.doubleValue();
      }
      case BOOLEAN -> {
        if (!(v instanceof Boolean)) {
          throw Problem.badRequest("invalid_parameter", at + " must be true or false");
        }
        return v;
      }
      case STRING_LIST, SCORER_IDS, CONVERTER_IDS -> {
        if (!(v instanceof JsonArray a) || !a.stream().allMatch(x -> x instanceof String)) {
          throw Problem.badRequest("invalid_parameter", at + " must be an array of strings");
        }
        return a;
      }
      case OBJECT_LIST -> {
        if (!(v instanceof JsonArray a) || !a.stream().allMatch(x -> x instanceof JsonObject)) {
          throw Problem.badRequest("invalid_parameter", at + " must be an array of objects");
        }
        return a;
      }
      case OBJECT -> {
        if (!(v instanceof JsonObject)) {
          throw Problem.badRequest("invalid_parameter", at + " must be a JSON object");
        }
        return v;
      }
      default -> throw new IllegalStateException(p.kind().name());
    }
  }

  private static void range(Param p, double d, String at) {
    if ((p.minimum() != null && d < p.minimum()) || (p.maximum() != null && d > p.maximum())) {
      throw Problem.badRequest("invalid_parameter", at + " must be between " + fmt(p.minimum()) + " and " + fmt(p.maximum()));
    }
  }

  private static String fmt(Double d) {
    if (d == null) {
      return "any";
    }
    return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
  }
}
