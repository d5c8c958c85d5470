package dev.gauntlet.auth;

import dev.gauntlet.testing.AppDbBackend;

/** Every {@link AccountLockoutTest} again, on a real PostgreSQL server. */
class AccountLockoutOnPostgresTest extends AccountLockoutTest {

  @Override
  AppDbBackend backend() {
    return AppDbBackend.POSTGRES;
  }
}
