package dev.gauntlet.appdb;

import dev.gauntlet.testing.AppDbBackend;

/** Every {@link AppDatabaseTest} again, on a real PostgreSQL server. */
class AppDatabaseOnPostgresTest extends AppDatabaseTest {

  @Override
  AppDbBackend backend() {
    return AppDbBackend.POSTGRES;
  }
}
