package dev.gauntlet.generator;

import io.vertx.core.Vertx;

/** Builds a live generator from a stored configuration whose secrets have been opened. */
@FunctionalInterface
public interface GeneratorFactory {

  Generator create(Vertx vertx, GeneratorSpec spec);
}
