package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.UUID;

/** Generators, datasets, converters, scorers and orchestrators in one user's memory. */
final class ConfigStore {

  private final Connection c;
  private final String username;

  ConfigStore(Connection c, String username) {
    this.c = c;
    this.username = username;
  }

  JsonObject list(ConfigKind kind, int offset, int limit) throws SQLException {
    String columns = kind == ConfigKind.DATASETS
        ? "id, name, description, prompt_count, created_at, updated_at"
        : "id, name, type, parameters, created_at, updated_at";
    JsonArray items = Rows.all(c, "SELECT " + columns + " FROM " + kind.table() + " ORDER BY created_at, id LIMIT ? OFFSET ?",
        limit, offset);
    return new JsonObject().put("items", items).put("total", count(kind)).put("offset", offset).put("limit", limit);
  }

  JsonObject get(ConfigKind kind, String id, int promptOffset, int promptLimit) throws SQLException {
    JsonObject row = find(kind, id);
    if (kind == ConfigKind.DATASETS) {
      row.put("prompts", prompts(id, promptOffset, promptLimit));
    }
    return row;
  }

  /**
   * A configuration and every configuration it refers to, transitively, read in one pass: what
   * an execution is launched from. {@code references} says, per kind and type, which parameters
   * name which kind, e.g. {@code {"orchestrators": {"prompt_sending": {"generator_id": "generators"}}}}:
   * the catalogs that know it live outside memory. Answers {@code {"configs": {"table/id": row}}},
   * rows as stored (secrets sealed), a dataset without its prompts; a missing one is a 404.
   */
  JsonObject withReferences(ConfigKind kind, String id, JsonObject references) throws SQLException {
    JsonObject found = new JsonObject();
    java.util.ArrayDeque<String[]> next = new java.util.ArrayDeque<>();
    next.add(new String[] {kind.table(), id});
    while (!next.isEmpty()) {
      String[] ref = next.poll();
      String key = ref[0] + "/" + ref[1];
      if (found.containsKey(key)) {
        continue;
      }
      ConfigKind k = ConfigKind.byTable(ref[0])
          .orElseThrow(() -> Problem.badRequest("unknown_kind", "unknown configuration kind '" + ref[0] + "'"));
      JsonObject row = find(k, ref[1]);
      found.put(key, row);
      if (k == ConfigKind.DATASETS) {
        continue;
      }
      JsonObject params = row.getJsonObject("parameters", new JsonObject());
      JsonObject byParam = references.getJsonObject(k.table(), new JsonObject()).getJsonObject(row.getString("type"), new JsonObject());
      for (String param : byParam.fieldNames()) {
        Object v = params.getValue(param);
        for (Object target : v instanceof JsonArray a ? a : v == null ? new JsonArray() : new JsonArray().add(v)) {
          if (target instanceof String t) {
            next.add(new String[] {byParam.getString(param), t});
          }
        }
      }
    }
    return new JsonObject().put("configs", found);
  }

  JsonObject create(ConfigKind kind, JsonObject valid) throws SQLException {
    String id = UUID.randomUUID().toString();
    LocalDateTime now = Rows.now();
    inTransaction(() -> {
      if (kind == ConfigKind.DATASETS) {
        insertDataset(id, valid, now, now);
      } else {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + kind.table() + " VALUES (?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, id);
          ps.setString(2, valid.getString("name"));
          ps.setString(3, valid.getString("type"));
          ps.setString(4, valid.getJsonObject("parameters").encode());
          ps.setObject(5, now);
          ps.setObject(6, now);
          ps.executeUpdate();
        }
      }
    });
    return get(kind, id, 0, 100);
  }

  JsonObject replace(ConfigKind kind, String id, JsonObject valid) throws SQLException {
    JsonObject existing = find(kind, id);
    LocalDateTime created = LocalDateTime.parse(existing.getString("created_at").replace("Z", ""));
    LocalDateTime now = Rows.now();
    inTransaction(() -> {
      if (kind == ConfigKind.DATASETS) {
        deleteDataset(id);
        insertDataset(id, valid, created, now);
      } else {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE " + kind.table() + " SET name = ?, type = ?, parameters = ?, updated_at = ? WHERE id = ?")) {
          ps.setString(1, valid.getString("name"));
          ps.setString(2, valid.getString("type"));
          ps.setString(3, valid.getJsonObject("parameters").encode());
          ps.setObject(4, now);
          ps.setString(5, id);
          ps.executeUpdate();
        }
      }
    });
    return get(kind, id, 0, 100);
  }

  void delete(ConfigKind kind, String id) throws SQLException {
    find(kind, id);
    inTransaction(() -> {
      if (kind == ConfigKind.DATASETS) {
        deleteDataset(id);
      } else {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + kind.table() + " WHERE id = ?")) {
          ps.setString(1, id);
          ps.executeUpdate();
        }
      }
    });
  }

  private JsonObject find(ConfigKind kind, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + kind.table() + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw Problem.notFound(kind.singular(), id);
        }
        return Rows.toJson(rs);
      }
    }
  }

  private long count(ConfigKind kind) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + kind.table()); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private JsonArray prompts(String datasetId, int offset, int limit) throws SQLException {
    return Rows.all(c, "SELECT d.sequence, s.id AS seed_prompt_id, s.value, s.harm_categories, s.prompt_metadata AS metadata "
        + "FROM dataset_prompts d "
        + "JOIN SeedPromptEntries s ON s.id = d.seed_prompt_id WHERE d.dataset_id = ? ORDER BY d.sequence LIMIT ? OFFSET ?",
        datasetId, limit, offset);
  }

  private static final JsonObject EMPTY = new JsonObject();

  /** A dataset's prompts become SeedPromptEntries rows (metadata in PyRIT's prompt_metadata), ordered by dataset_prompts. */
  private void insertDataset(String id, JsonObject valid, LocalDateTime created, LocalDateTime now) throws SQLException {
    JsonArray prompts = valid.getJsonArray("prompts");
    String name = valid.getString("name");
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, valid.getString("description"));
      ps.setInt(4, prompts.size());
      ps.setObject(5, created);
      ps.setObject(6, now);
      ps.executeUpdate();
    }
    if (prompts.isEmpty()) {
      return;
    }
    DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
    UUID[] seedIds = new UUID[prompts.size()];
    DuckDBAppender seeds = duck.createAppender("main", "SeedPromptEntries");
    try {
      int pending = 0;
      for (int i = 0; i < prompts.size(); i++) {
        JsonObject p = prompts.getJsonObject(i);
        String value = p.getString("value");
        seedIds[i] = UUID.randomUUID();
        seeds.beginRow().append(seedIds[i]).append(value).append(PieceBatch.sha256(value)).append("text")
            .append((String) null).append(name).append(p.getJsonArray("harm_categories").encode())
            .append((String) null).append("[]").append("[]").append("gauntlet").append(now).append(username)
            .append(p.getJsonObject("metadata", EMPTY).encode()).append("[]").append((UUID) null).append(i);
        pending = Appends.endRow(seeds, pending, "SeedPromptEntries");
      }
      Appends.flush(seeds, pending, "SeedPromptEntries");
    } finally {
      Appends.close(seeds);
    }
    DuckDBAppender order = duck.createAppender("main", "dataset_prompts");
    try {
      int pending = 0;
      for (int i = 0; i < seedIds.length; i++) {
        order.beginRow().append(id).append(i).append(seedIds[i]);
        pending = Appends.endRow(order, pending, "dataset_prompts");
      }
      Appends.flush(order, pending, "dataset_prompts");
    } finally {
      Appends.close(order);
    }
  }

  private void deleteDataset(String id) throws SQLException {
    try (PreparedStatement seeds = c.prepareStatement(
        "DELETE FROM SeedPromptEntries WHERE id IN (SELECT seed_prompt_id FROM dataset_prompts WHERE dataset_id = ?)");
         PreparedStatement order = c.prepareStatement("DELETE FROM dataset_prompts WHERE dataset_id = ?");
         PreparedStatement row = c.prepareStatement("DELETE FROM datasets WHERE id = ?")) {
      seeds.setString(1, id);
      seeds.executeUpdate();
      order.setString(1, id);
      order.executeUpdate();
      row.setString(1, id);
      row.executeUpdate();
    }
  }

  private void inTransaction(Appends.Work work) throws SQLException {
    Appends.inTransaction(c, work);
  }
}
