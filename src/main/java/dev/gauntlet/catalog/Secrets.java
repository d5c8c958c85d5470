package dev.gauntlet.catalog;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.SecretBox;
import io.vertx.core.json.JsonObject;

import java.util.function.UnaryOperator;

/**
 * The secret parameters of a configuration ({@link Param.Kind#SECRET} values and every value of a
 * {@link Param.Kind#SECRET_MAP}) across their three states: sealed for storage, masked for the
 * API, opened only to build the live object. Other parameters pass through unchanged.
 */
public final class Secrets {

  private Secrets() {}

  /**
   * Stored form of {@code incoming}: secrets sealed. A secret given as {@link ParamSchema#MASK}
   * (what the API showed) keeps the previously stored value, so clients can send back what they
   * read without re-entering keys.
   */
  public static JsonObject seal(ParamSchema schema, JsonObject incoming, JsonObject previousStored, SecretBox box) {
    JsonObject out = incoming.copy();
    JsonObject previous = previousStored == null ? new JsonObject() : previousStored;
    for (Param p : schema.params()) {
      Object v = out.getValue(p.name());
      if (v == null) {
        continue;
      }
      String at = "parameters." + p.name();
      if (p.kind() == Param.Kind.SECRET) {
        out.put(p.name(), sealOne(v, previous.getValue(p.name()), at, box));
      } else if (p.kind() == Param.Kind.SECRET_MAP) {
        if (ParamSchema.MASK.equals(v)) {
          out.put(p.name(), keep(previous.getValue(p.name()), at));
          continue;
        }
        if (!(v instanceof JsonObject map)) {
          throw Problem.badRequest("invalid_parameter", at + " must be an object of string values");
        }
        JsonObject before = previous.getValue(p.name()) instanceof JsonObject o ? o : new JsonObject();
        JsonObject sealed = new JsonObject();
        for (String key : map.fieldNames()) {
          sealed.put(key, sealOne(map.getValue(key), before.getValue(key), at + "." + key, box));
        }
        out.put(p.name(), sealed);
      }
    }
    return out;
  }

  /** What the API returns: every secret replaced by {@link ParamSchema#MASK}; header names stay visible. */
  public static JsonObject mask(ParamSchema schema, JsonObject stored) {
    return transform(schema, stored, v -> ParamSchema.MASK);
  }

  /** The plaintext parameters for building the live object; never store or return the result. */
  public static JsonObject open(ParamSchema schema, JsonObject stored, SecretBox box) {
    return transform(schema, stored, box::open);
  }

  private static JsonObject transform(ParamSchema schema, JsonObject stored, UnaryOperator<String> f) {
    JsonObject out = stored.copy();
    for (Param p : schema.params()) {
      Object v = out.getValue(p.name());
      if (v instanceof String s && p.kind() == Param.Kind.SECRET) {
        out.put(p.name(), f.apply(s));
      } else if (v instanceof JsonObject map && p.kind() == Param.Kind.SECRET_MAP) {
        JsonObject m = new JsonObject();
        map.forEach(e -> m.put(e.getKey(), f.apply(String.valueOf(e.getValue()))));
        out.put(p.name(), m);
      }
    }
    return out;
  }

  private static String sealOne(Object given, Object previous, String at, SecretBox box) {
    if (!(given instanceof String s)) {
      throw Problem.badRequest("invalid_parameter", at + " must be a string");
    }
    return ParamSchema.MASK.equals(s) ? (String) keep(previous, at) : box.seal(s);
  }

  private static Object keep(Object previous, String at) {
    if (previous == null) {
      throw Problem.badRequest("invalid_parameter", at + " is masked but no value is stored for it; send the secret itself");
    }
    return previous;
  }
}
