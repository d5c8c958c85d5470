package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Names in one memory: unique per kind whatever their case, the free names Gauntlet picks, and duplicates from older memories. */
class ConfigNamesTest {

  @TempDir
  Path dir;
  Connection c;
  ConfigStore store;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    store = new ConfigStore(c, "names-user");
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  static JsonObject generator(String name) {
    return new JsonObject().put("name", name).put("type", "simulated").put("parameters", new JsonObject());
  }

  @Test
  void aTakenNameIsRefusedOrTheNextFreeOneTakenAsAsked() throws SQLException {
    store.create(ConfigKind.GENERATORS, generator("Target"));
    Problem taken = assertThrows(Problem.class, () -> store.create(ConfigKind.GENERATORS, generator("TARGET")));
    assertEquals(409, taken.status());
    assertEquals("target (2)", store.create(ConfigKind.GENERATORS, generator("target"), ConfigNaming.NEXT_FREE).getString("name"));
    assertEquals("target (3)", store.create(ConfigKind.GENERATORS, generator("target"), ConfigNaming.NEXT_FREE).getString("name"));
    assertEquals("Target (copy)", store.create(ConfigKind.GENERATORS, generator("Target"), ConfigNaming.COPY).getString("name"));
    assertEquals("Target (copy 2)", store.create(ConfigKind.GENERATORS, generator("Target"), ConfigNaming.COPY).getString("name"));
  }

  @Test
  void aNameNearTheLimitStaysWithinItWhenSuffixed() throws SQLException {
    String longName = "n".repeat(ConfigKind.MAX_NAME);
    store.create(ConfigKind.GENERATORS, generator(longName));
    String copy = store.create(ConfigKind.GENERATORS, generator(longName), ConfigNaming.COPY).getString("name");
    assertEquals(ConfigKind.MAX_NAME, copy.length());
    assertEquals(true, copy.endsWith(" (copy)"));
  }

  @Test
  void duplicatesFromAnOlderMemoryStillReadAndTheirNextSaveMustChooseAFreeName() throws SQLException {
    String first = store.create(ConfigKind.GENERATORS, generator("Twin")).getString("id");
    try (Statement s = c.createStatement()) {
      // as a memory written before names were unique may hold them
      s.execute("INSERT INTO generators SELECT 'twin-2', 'twin', type, parameters, created_at, updated_at FROM generators WHERE id = '"
          + first + "'");
    }
    JsonArray items = store.list(ConfigKind.GENERATORS, 0, 10).getJsonArray("items");
    assertEquals(2, items.size(), "both still read");
    assertEquals("twin", store.get(ConfigKind.GENERATORS, "twin-2", 0, 0).getString("name"));

    Problem refused = assertThrows(Problem.class, () -> store.replace(ConfigKind.GENERATORS, "twin-2", generator("twin")));
    assertEquals(409, refused.status());
    assertEquals("Twin B", store.replace(ConfigKind.GENERATORS, "twin-2", generator("Twin B")).getString("name"));
    assertEquals("Twin", store.replace(ConfigKind.GENERATORS, first, generator("Twin")).getString("name"), "now free of its twin");
  }
}
