package dev.gauntlet.scorer;

import dev.gauntlet.generator.Generator;

/** What a scorer may need besides its parameters: generators and other scorers, resolved by id. */
public interface ScorerContext {

  /** The caller's generator with this id; throws a 404 {@link dev.gauntlet.Problem} if there is none. */
  Generator generator(String id);

  /** The caller's scorer with this id, for combinators; throws a 404 problem if there is none. */
  Scorer scorer(String id);

  /** How a rationale names a scorer: its name, where the context knows it, else its id. */
  default String scorerName(String id) {
    return id;
  }
}
