package dev.gauntlet.imports;

import dev.gauntlet.memory.Consolidation;
import dev.gauntlet.memory.ImportStore;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A user's memory file opened directly, as the command line does, with imports run into it and rows read back. */
public final class ImportFixture implements AutoCloseable {

  public final Connection c;

  public ImportFixture(Path dir) throws SQLException {
    c = Consolidation.openTarget(dir.resolve("memory").resolve("pyrit_memory_test.db"));
  }

  /** Imports {@code file} (format null: recognized); returns the reply. */
  public JsonObject run(Path file, String format, boolean dryRun) throws Exception {
    return ImportRunner.run(file, file.getFileName().toString(), format, "alice", dryRun, LandingTarget.direct(ImportStore.direct(c)));
  }

  /** How many rows {@code table} got added by an import reply. */
  public static long added(JsonObject reply, String table) {
    JsonObject t = reply.getJsonObject("tables").getJsonObject(table);
    return t == null ? 0 : t.getLong("added");
  }

  public long count(String from) throws SQLException {
    return Long.parseLong(one("SELECT count(*) FROM " + from));
  }

  public String one(String sql) throws SQLException {
    List<String> all = column(sql);
    return all.isEmpty() ? null : all.get(0);
  }

  public List<String> column(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Every table an import writes is empty and no staging table is left. */
  public boolean nothingStored() throws SQLException {
    return count("PromptMemoryEntries") == 0 && count("ScoreEntries") == 0 && count("executions") == 0
        && count("execution_results") == 0 && count("information_schema.tables WHERE table_name LIKE 'import_staging_%'") == 0;
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
