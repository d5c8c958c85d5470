package dev.gauntlet.appdb;

import dev.gauntlet.testing.AppDbBackend;

/** Every {@link SessionsTest} again, on a real PostgreSQL server. */
class SessionsOnPostgresTest extends SessionsTest {

  @Override
  AppDbBackend backend() {
    return AppDbBackend.POSTGRES;
  }
}
