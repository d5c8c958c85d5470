package dev.gauntlet.probe;

import io.vertx.core.json.JsonObject;

/** A scorer a probe asks for: a scorer catalog type and its parameters, created in the user's memory when the probe runs. */
public record Detector(String name, String scorerType, JsonObject parameters) {

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("type", scorerType).put("parameters", parameters.copy());
  }
}
