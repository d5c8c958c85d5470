package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which configurations refer to one: an orchestrator's target, attacker or judge generator, its
 * dataset, scorers and converter chain; a composite scorer's members; an LLM converter's or a
 * judge's generator. {@code references} is the catalogs' map of which parameter of which type
 * names which kind ({@code {"scorers": {"composite": {"scorer_ids": "scorers"}}}}).
 */
final class ConfigUsers {

  private final Connection c;

  ConfigUsers(Connection c) {
    this.c = c;
  }

  /** Every configuration whose parameters name {@code id} of {@code kind}: [{kind, id, name, parameter}], oldest first. */
  JsonArray of(ConfigKind kind, String id, JsonObject references) throws SQLException {
    JsonArray out = new JsonArray();
    for (String table : references.fieldNames()) {
      if (ConfigKind.byTable(table).isEmpty() || table.equals(ConfigKind.DATASETS.table())) {
        continue;
      }
      JsonObject byType = references.getJsonObject(table);
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, type, parameters FROM " + table + " ORDER BY created_at, id");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject byParam = byType.getJsonObject(rs.getString(3));
          if (byParam == null) {
            continue;
          }
          JsonObject params = new JsonObject(rs.getString(4));
          for (String param : byParam.fieldNames()) {
            if (kind.table().equals(byParam.getString(param)) && names(params.getValue(param), id)) {
              out.add(new JsonObject().put("kind", ConfigKind.byTable(table).get().singular()).put("id", rs.getString(1))
                  .put("name", rs.getString(2)).put("parameter", param));
              break;
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean names(Object value, String id) {
    return value instanceof JsonArray a ? a.contains(id) : id.equals(value);
  }
}
