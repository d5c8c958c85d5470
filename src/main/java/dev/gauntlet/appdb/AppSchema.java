package dev.gauntlet.appdb;

import dev.gauntlet.schema.Migration;
import dev.gauntlet.schema.SchemaMigrator;

import java.util.ArrayList;
import java.util.List;

/**
 * The app database's ordered migrations, applied by {@link SchemaMigrator}. Append new versions;
 * never edit an applied one. One list for both databases: what SQLite and PostgreSQL spell
 * differently comes from {@link Dialect} ({@code d}).
 */
final class AppSchema {

  /** The SQLite list, as every embedded app database has applied it. */
  static final List<Migration> MIGRATIONS = migrations(Dialect.SQLITE);

  static List<Migration> migrations(Dialect d) {
    return List.of(
      new Migration(1, "accounts, keys, audit, settings", join(List.of(
          """
          CREATE TABLE settings (
            key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)""",
          """
          CREATE TABLE users (
            id TEXT PRIMARY KEY,
            issuer TEXT NOT NULL, subject TEXT NOT NULL,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT,
            roles TEXT NOT NULL,
            memory_file TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL, last_login_at TEXT,
            disabled INTEGER NOT NULL DEFAULT 0,
            UNIQUE (issuer, subject))""",
          """
          CREATE TABLE local_accounts (
            user_id TEXT PRIMARY KEY REFERENCES users(id),
            %s,
            password_hash TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            password_changed_at TEXT NOT NULL)""".formatted(d.caseInsensitiveUniqueColumn("login")),
          """
          CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            name TEXT NOT NULL, prefix TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            scopes TEXT NOT NULL,
            created_at TEXT NOT NULL, expires_at TEXT,
            last_used_at TEXT, last_used_from TEXT, revoked_at TEXT)""",
          "CREATE INDEX api_keys_user ON api_keys(user_id)",
          """
          CREATE TABLE audit_log (
            id %s,
            at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, resource TEXT,
            outcome TEXT NOT NULL, status INTEGER, address TEXT, user_agent TEXT, detail TEXT)""".formatted(d.autoIncrementKey()),
          "CREATE INDEX audit_log_at ON audit_log(at)",
          """
          CREATE TABLE memory_switch_events (
            id %s,
            at TEXT NOT NULL, username TEXT NOT NULL,
            registered_file TEXT, attempted_file TEXT NOT NULL, origin TEXT)""".formatted(d.autoIncrementKey())),
          d.caseInsensitiveUniqueIndex("local_accounts", "login"),
          // the audit log is evidence: no statement may change or remove a row
          d.appendOnly("audit_log", "the audit log is append-only"))),
      // which executions are unfinished, and whose, so a restart can resume them without
      // opening every memory file
      new Migration(2, "execution index", List.of(
          """
          CREATE TABLE execution_index (
            id TEXT PRIMARY KEY, username TEXT NOT NULL, memory_file TEXT NOT NULL,
            orchestrator_id TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
          "CREATE INDEX execution_index_status ON execution_index(status)")),
      // browser sessions outlive a restart; only a hash of the cookie's id is kept, so a copy of
      // the database signs nobody in. A generated first-admin password must be replaced.
      new Migration(3, "web sessions, forced password change", List.of(
          """
          CREATE TABLE web_sessions (
            id_hash TEXT PRIMARY KEY,
            user_id TEXT REFERENCES users(id),
            csrf TEXT, provider_id_token TEXT,
            created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, expires_at TEXT NOT NULL)""",
          "CREATE INDEX web_sessions_user ON web_sessions(user_id)",
          "CREATE INDEX web_sessions_expires ON web_sessions(expires_at)",
          "ALTER TABLE local_accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0")),
      // an admin's budgets per provider endpoint host, shared by every user and execution (and every
      // node of a cluster on one database); what each host used per UTC day, summed by every process
      new Migration(4, "provider budgets", List.of(
          """
          CREATE TABLE provider_budgets (
            host TEXT PRIMARY KEY,
            requests_per_minute INTEGER NOT NULL DEFAULT 0,
            tokens_per_day BIGINT NOT NULL DEFAULT 0,
            spend_cap_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
            prices TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL, updated_by TEXT)""",
          """
          CREATE TABLE provider_budget_usage (
            host TEXT NOT NULL, day TEXT NOT NULL,
            requests BIGINT NOT NULL DEFAULT 0, tokens BIGINT NOT NULL DEFAULT 0,
            spend_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
            PRIMARY KEY (host, day))""")));
  }

  @SafeVarargs
  private static List<String> join(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all;
  }

  /** The SQLite migrator, as the tests and the offline commands use it. */
  static final SchemaMigrator MIGRATOR = migrator(Dialect.SQLITE);

  /** The migrator for a dialect; its schema_version table is declared the same on both. */
  static SchemaMigrator migrator(Dialect d) {
    return new SchemaMigrator("app database", SchemaMigrator.VersionTable.SQLITE, migrations(d));
  }

  private AppSchema() {}
}
