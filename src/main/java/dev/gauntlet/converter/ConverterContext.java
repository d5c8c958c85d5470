package dev.gauntlet.converter;

import dev.gauntlet.generator.Generator;

/** What a converter may need besides its parameters: generators, already resolved by id. */
public interface ConverterContext {

  /** The caller's generator with this id; throws a 404 {@link dev.gauntlet.Problem} if there is none. */
  Generator generator(String id);
}
