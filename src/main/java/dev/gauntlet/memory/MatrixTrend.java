package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trend of each execution against the previous run of the same orchestrator (by creation
 * time): the previous one's figures beside its own, and the change in attack success rate. The
 * previous run's figures are the rollup's automatic outcomes, unfiltered: what that run did.
 */
final class MatrixTrend {

  static final String PREVIOUS = """
      SELECT id, prev, orchestrator ->> 'name' AS name, created_at FROM (
        SELECT id, orchestrator, created_at, lag(id) OVER (PARTITION BY orchestrator_id ORDER BY created_at, id) AS prev FROM executions)
      WHERE id = ANY(?)""";

  static final String FIGURES = "SELECT execution_id, " + DashboardQueries.OUTCOME_SUMS
      + " FROM dashboard_rollup WHERE scorer = '' AND execution_id = ANY(?) GROUP BY execution_id";

  private final Connection c;

  MatrixTrend(Connection c, Dashboard dashboard) {
    this.c = c;
  }

  /** Adds name, created_at, previous (id, name, figures) and rate_change to each execution's figures, most recent first. */
  void addPrevious(JsonArray executions) throws SQLException {
    Map<String, JsonObject> byId = new HashMap<>();
    executions.forEach(o -> byId.put(((JsonObject) o).getString("execution_id"), (JsonObject) o));
    if (byId.isEmpty()) {
      return;
    }
    Map<String, String> previous = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(PREVIOUS)) {
      ps.setArray(1, c.createArrayOf("VARCHAR", byId.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject e = byId.get(rs.getString("id"));
          e.put("name", rs.getString("name")).put("created_at", Rows.value(rs.getObject("created_at"), "TIMESTAMP"));
          if (rs.getString("prev") != null) {
            previous.put(rs.getString("id"), rs.getString("prev"));
          }
        }
      }
    }
    Map<String, JsonObject> figures = new HashMap<>();
    if (!previous.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(FIGURES)) {
        ps.setArray(1, c.createArrayOf("VARCHAR", new ArrayList<>(previous.values()).toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            figures.put(rs.getString("execution_id"), Dashboard.figures(0, 0, 0, rs.getLong("attack_succeeded"), rs.getLong("held"),
                rs.getLong("errors"), rs.getLong("unscored")).put("execution_id", rs.getString("execution_id")));
          }
        }
      }
    }
    previous.forEach((id, prev) -> {
      JsonObject now = byId.get(id);
      JsonObject then = figures.getOrDefault(prev, Dashboard.figures(0, 0, 0, 0, 0, 0, 0).put("execution_id", prev));
      now.put("previous", then);
      if (now.getLong("rate_denominator") > 0 && then.getLong("rate_denominator") > 0) {
        now.put("rate_change", now.getDouble("success_rate") - then.getDouble("success_rate"));
      }
    });
    List<Object> list = executions.getList();
    list.sort((x, y) -> String.valueOf(((JsonObject) y).getValue("created_at", "")).compareTo(
        String.valueOf(((JsonObject) x).getValue("created_at", ""))));
  }
}
