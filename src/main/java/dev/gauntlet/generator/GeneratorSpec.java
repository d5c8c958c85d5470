package dev.gauntlet.generator;

import io.vertx.core.json.JsonObject;

/**
 * A generator configuration ready to build: its id and name as users see them, its catalog type,
 * its parameters validated against that type with secrets already opened, and the egress gate of
 * its owner (where it may connect).
 */
public record GeneratorSpec(String id, String name, String type, JsonObject params, Egress.Gate egress) {

  /** A spec whose egress is open (loopback included): for generators built outside a user's run, e.g. tests. */
  public GeneratorSpec(String id, String name, String type, JsonObject params) {
    this(id, name, type, params, Egress.Gate.OPEN);
  }
}
