package dev.gauntlet.appdb;

import dev.gauntlet.schema.Migration;
import dev.gauntlet.schema.SchemaMigrator;

import java.util.List;

/**
 * The app database's ordered migrations, applied by {@link SchemaMigrator}. Append new versions;
 * never edit an applied one.
 */
final class AppSchema {

  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "accounts, keys, audit, settings", List.of(
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
            login TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            password_changed_at TEXT NOT NULL)""",
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
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, resource TEXT,
            outcome TEXT NOT NULL, status INTEGER, address TEXT, user_agent TEXT, detail TEXT)""",
          "CREATE INDEX audit_log_at ON audit_log(at)",
          // the audit log is evidence: no statement may change or remove a row
          """
          CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
          """
          CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
          """
          CREATE TABLE memory_switch_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL, username TEXT NOT NULL,
            registered_file TEXT, attempted_file TEXT NOT NULL, origin TEXT)""")),
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
          "ALTER TABLE local_accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0")));

  static final SchemaMigrator MIGRATOR = new SchemaMigrator("app database", SchemaMigrator.VersionTable.SQLITE, MIGRATIONS);

  private AppSchema() {}
}
