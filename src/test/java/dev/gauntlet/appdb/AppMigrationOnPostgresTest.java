package dev.gauntlet.appdb;

import dev.gauntlet.testing.AppDbBackend;

/** Every {@link AppMigrationTest} again, on a real PostgreSQL server: older databases upgrade in place there too. */
class AppMigrationOnPostgresTest extends AppMigrationTest {

  @Override
  AppDbBackend backend() {
    return AppDbBackend.POSTGRES;
  }
}
