package dev.gauntlet.budget;

import dev.gauntlet.testing.AppDbBackend;

/** Every {@link LocalProviderBudgetsTest} again, on a real PostgreSQL server: the usage sums work there too. */
class LocalProviderBudgetsOnPostgresTest extends LocalProviderBudgetsTest {

  @Override
  AppDbBackend backend() {
    return AppDbBackend.POSTGRES;
  }
}
