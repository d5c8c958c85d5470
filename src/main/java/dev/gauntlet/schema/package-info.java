/**
 * Schema migrations for Gauntlet's databases: one {@link dev.gauntlet.schema.Migration} record and
 * one loop, {@link dev.gauntlet.schema.SchemaMigrator}, shared by the app database (SQLite,
 * {@code appdb/AppSchema}) and every user's memory (DuckDB, {@code memory/MemorySchema}). Each store
 * keeps its own ordered list beside its code; only the way a list is applied lives here.
 */
package dev.gauntlet.schema;
