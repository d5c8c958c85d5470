package dev.gauntlet.converter;

import io.vertx.core.Future;

/**
 * Turns a prompt into a disguised prompt. Deterministic converters complete at once; LLM-based
 * ones ask a generator. A converter that cannot convert fails its future with a message.
 */
public interface Converter {

  Future<String> convert(String prompt);

  /** Whether {@link #convert} is a pure function of its input (and seed): previews can be cached and tests exact. */
  default boolean deterministic() {
    return true;
  }
}
