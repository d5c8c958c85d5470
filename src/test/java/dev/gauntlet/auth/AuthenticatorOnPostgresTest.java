package dev.gauntlet.auth;

import dev.gauntlet.testing.AppDbBackend;

/** Every {@link AuthenticatorTest} again, on a real PostgreSQL server. */
class AuthenticatorOnPostgresTest extends AuthenticatorTest {

  @Override
  AppDbBackend backend() {
    return AppDbBackend.POSTGRES;
  }
}
