package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.PieceBatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.TreeMap;

/**
 * How a scorer is named beside every score it gives ({@code scorer_class_identifier}): its type,
 * id and name, and its {@code version}, a stable hash of its type and parameters, so an edited
 * scorer is a new version and the dashboard can tell "the new judge" from "the old one".
 */
public final class ScorerIdentity {

  private ScorerIdentity() {}

  /** A stored scorer configuration's identifier. */
  static JsonObject of(JsonObject config) {
    return Resolver.identifier("gauntlet.scorer", config)
        .put("version", version(config.getString("type"), config.getJsonObject("parameters")));
  }

  /**
   * The first 12 hex digits of SHA-256 over the type, a newline and the parameters as canonical
   * JSON (keys sorted at every level), as stored. The one place a scorer's version is computed:
   * once {@code dev.gauntlet.verdict.stats.ScorerVersion} is on main, this delegates to it.
   */
  public static String version(String type, JsonObject params) {
    StringBuilder canonical = new StringBuilder(type == null ? "" : type).append('\n');
    canonical(params == null ? new JsonObject() : params, canonical);
    return PieceBatch.sha256(canonical.toString()).substring(0, 12);
  }

  private static void canonical(Object v, StringBuilder out) {
    if (v instanceof JsonObject o) {
      out.append('{');
      boolean first = true;
      for (var e : new TreeMap<>(o.getMap()).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(io.vertx.core.json.Json.encode(e.getKey())).append(':');
        canonical(o.getValue(e.getKey()), out);
      }
      out.append('}');
    } else if (v instanceof JsonArray a) {
      out.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        canonical(a.getValue(i), out);
      }
      out.append(']');
    } else {
      out.append(io.vertx.core.json.Json.encode(v));
    }
  }
}
