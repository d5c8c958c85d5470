package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** The PyRIT 1.x export from an open memory, for the command line, tests and the bench (the server goes through its shard). */
public final class PyritExports {

  private PyritExports() {}

  /** Writes what {@code filter} keeps ({@code execution_id}, {@code conversation_id}, …) to {@code path}; see {@link PyritExport}. */
  public static JsonObject write(Connection memory, JsonObject filter, Path path) throws SQLException {
    return PyritExport.write(memory, filter, path);
  }
}
