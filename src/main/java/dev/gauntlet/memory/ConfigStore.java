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
  private final ConfigNames names;

  ConfigStore(Connection c, String username) {
    this.c = c;
    this.username = username;
    this.names = new ConfigNames(c);
  }

  JsonObject list(ConfigKind kind, int offset, int limit) throws SQLException {
    return list(kind, offset, limit, false);
  }

  /**
   * A page of configurations; a dataset's with its harm categories. {@code withNames}: also every
   * configuration's name by kind and id ({@code names}) and the names of those deleted while still
   * referred to ({@code deleted}), so a list can speak names where its rows hold ids.
   */
  JsonObject list(ConfigKind kind, int offset, int limit, boolean withNames) throws SQLException {
    String columns = kind == ConfigKind.DATASETS
        ? "id, name, description, prompt_count, created_at, updated_at"
        : "id, name, type, parameters, created_at, updated_at";
    JsonArray items = Rows.all(c, "SELECT " + columns + " FROM " + kind.table() + " ORDER BY created_at, id LIMIT ? OFFSET ?",
        limit, offset);
    if (kind == ConfigKind.DATASETS && !items.isEmpty()) {
      java.util.Map<String, java.util.TreeSet<String>> categories = harmCategories(items);
      for (Object item : items) {
        JsonObject d = (JsonObject) item;
        d.put("harm_categories", new JsonArray(new java.util.ArrayList<>(categories.getOrDefault(d.getString("id"), new java.util.TreeSet<>()))));
      }
    }
    JsonObject out = new JsonObject().put("items", items).put("total", count(kind)).put("offset", offset).put("limit", limit);
    if (withNames) {
      out.put("names", names.all()).put("deleted", names.deleted());
    }
    return out;
  }

  /** The distinct harm categories of each listed dataset's prompts, sorted, in one pass over their prompts. */
  private java.util.Map<String, java.util.TreeSet<String>> harmCategories(JsonArray datasets) throws SQLException {
    Object[] ids = datasets.stream().map(d -> ((JsonObject) d).getString("id")).toArray();
    String marks = String.join(", ", java.util.Collections.nCopies(ids.length, "?"));
    java.util.Map<String, java.util.TreeSet<String>> out = new java.util.HashMap<>();
    for (Object row : Rows.all(c, "SELECT d.dataset_id AS id, CAST(s.harm_categories AS VARCHAR) AS h FROM dataset_prompts d "
        + "JOIN SeedPromptEntries s ON s.id = d.seed_prompt_id WHERE d.dataset_id IN (" + marks + ") GROUP BY 1, 2", ids)) {
      JsonObject r = (JsonObject) row;
      String h = r.getString("h");
      if (h != null && h.startsWith("[")) {
        java.util.TreeSet<String> set = out.computeIfAbsent(r.getString("id"), k -> new java.util.TreeSet<>());
        new JsonArray(h).forEach(x -> set.add(String.valueOf(x)));
      }
    }
    return out;
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
    next.add(new String[] {kind.table(), id, null, null});
    while (!next.isEmpty()) {
      String[] ref = next.poll();
      String key = ref[0] + "/" + ref[1];
      if (found.containsKey(key)) {
        continue;
      }
      ConfigKind k = ConfigKind.byTable(ref[0])
          .orElseThrow(() -> Problem.badRequest("unknown_kind", "unknown configuration kind '" + ref[0] + "'"));
      JsonObject row = ref[2] == null ? find(k, ref[1]) : findReferenced(k, ref[1], ref[2], ref[3]);
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
            next.add(new String[] {byParam.getString(param), t, k.singular(), row.getString("name")});
          }
        }
      }
    }
    return new JsonObject().put("configs", found);
  }

  JsonObject create(ConfigKind kind, JsonObject valid) throws SQLException {
    return create(kind, valid, ConfigNaming.STRICT);
  }

  /** Stores a new configuration under a name {@code naming} allows (a taken one: 409, or the next free one). */
  JsonObject create(ConfigKind kind, JsonObject valid, ConfigNaming naming) throws SQLException {
    valid.put("name", names.choose(kind, valid.getString("name"), naming, null));
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
    names.choose(kind, valid.getString("name"), ConfigNaming.STRICT, id);
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

  /**
   * A copy of a configuration under the first free "name (copy)", "name (copy 2)"…: parameters as
   * stored (a generator's secrets stay sealed), a dataset with all its prompts.
   */
  JsonObject duplicate(ConfigKind kind, String id) throws SQLException {
    JsonObject row = find(kind, id);
    JsonObject valid = new JsonObject().put("name", row.getString("name"));
    if (kind == ConfigKind.DATASETS) {
      JsonArray prompts = new JsonArray();
      for (Object p : prompts(id, 0, ConfigKind.MAX_PROMPTS)) {
        JsonObject prompt = (JsonObject) p;
        Object cats = prompt.getValue("harm_categories");
        Object metadata = prompt.getValue("metadata");
        prompts.add(new JsonObject().put("value", prompt.getString("value"))
            .put("harm_categories", cats instanceof JsonArray a ? a : new JsonArray())
            .put("metadata", metadata instanceof JsonObject m ? m : new JsonObject()));
      }
      valid.put("description", row.getString("description")).put("prompts", prompts);
    } else {
      valid.put("type", row.getString("type")).put("parameters", row.getJsonObject("parameters", new JsonObject()));
    }
    return create(kind, valid, ConfigNaming.COPY);
  }

  /**
   * Deletes a configuration unless others still refer to it ({@code references}: the catalogs'
   * map, or null to skip the check): then a 409 listing them, in its details as {@code used_by},
   * unless {@code force}; a forced delete keeps the name so that what referred to it can say what
   * is gone. Answers its name and what used it ({@code name}, {@code used_by}).
   */
  JsonObject delete(ConfigKind kind, String id, JsonObject references, boolean force) throws SQLException {
    JsonObject row = find(kind, id);
    JsonArray usedBy = references == null ? new JsonArray() : new ConfigUsers(c).of(kind, id, references);
    if (!usedBy.isEmpty() && !force) {
      StringBuilder who = new StringBuilder();
      for (int i = 0; i < usedBy.size(); i++) {
        JsonObject u = usedBy.getJsonObject(i);
        who.append(i == 0 ? "" : ", ").append(u.getString("kind")).append(" '").append(u.getString("name"))
            .append("' (").append(u.getString("id")).append(")");
      }
      throw Problem.conflict("in_use", kind.singular() + " '" + row.getString("name") + "' is used by " + who
          + "; delete with force=true to delete it anyway (they will show it as deleted and refuse to launch)")
          .withDetails(new JsonObject().put("used_by", usedBy));
    }
    delete(kind, id);
    if (!usedBy.isEmpty()) {
      names.recordDeleted(kind, id, row.getString("name"));
    }
    return new JsonObject().put("name", row.getString("name")).put("used_by", usedBy);
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

  /**
   * A configuration another one refers to; a missing one is a 409 naming both (what refers to it
   * cannot run until it is edited), with the name it had when it was deleted, if known.
   */
  private JsonObject findReferenced(ConfigKind kind, String id, String referrerKind, String referrerName) throws SQLException {
    try {
      return find(kind, id);
    } catch (Problem missing) {
      if (missing.status() != 404) {
        throw missing;
      }
      String name = names.deletedName(kind, id);
      throw Problem.conflict("broken_reference", referrerKind + " '" + referrerName + "' refers to " + kind.singular() + " "
          + (name == null ? id : "'" + name + "'") + ", which was deleted; edit the " + referrerKind
          + " to choose another " + kind.singular());
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
