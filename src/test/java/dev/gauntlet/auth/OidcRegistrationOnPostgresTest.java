package dev.gauntlet.auth;

import dev.gauntlet.testing.AppDbBackend;

/** Every {@link OidcRegistrationTest} again, on a real PostgreSQL server. */
class OidcRegistrationOnPostgresTest extends OidcRegistrationTest {

  @Override
  AppDbBackend backend() {
    return AppDbBackend.POSTGRES;
  }
}
