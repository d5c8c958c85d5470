package dev.gauntlet.schema;

import java.util.List;

/**
 * One step of a store's schema: applied once, in its own transaction, and recorded in that
 * store's {@code schema_version} table. Append new versions to a store's list; never edit one
 * that has shipped, since files already carrying its version will not run it again.
 */
public record Migration(int version, String description, List<String> statements) {

  public Migration {
    statements = List.copyOf(statements);
  }
}
