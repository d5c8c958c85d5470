package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Turns DuckDB rows into the JSON callers see: JSON columns parsed, times as ISO-8601 UTC. */
final class Rows {

  private Rows() {}

  /** Every row {@code sql} selects with {@code args} bound in order, as JSON. */
  static JsonArray all(Connection c, String sql, Object... args) throws SQLException {
    JsonArray rows = new JsonArray();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(toJson(rs));
        }
      }
    }
    return rows;
  }

  static JsonObject toJson(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    JsonObject row = new JsonObject();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String name = md.getColumnLabel(i);
      Object v = rs.getObject(i);
      row.put(name, value(v, md.getColumnTypeName(i)));
    }
    return row;
  }

  static Object value(Object v, String typeName) {
    if (v == null) {
      return null;
    }
    if ("JSON".equalsIgnoreCase(typeName)) {
      String s = v.toString().trim();
      if (s.startsWith("{")) {
        return new JsonObject(s);
      }
      if (s.startsWith("[")) {
        return new JsonArray(s);
      }
      return s;
    }
    if (v instanceof Timestamp t) {
      return iso(t.toLocalDateTime());
    }
    if (v instanceof LocalDateTime t) {
      return iso(t);
    }
    if (v instanceof java.util.UUID || v instanceof java.math.BigInteger || v instanceof java.math.BigDecimal) {
      return v.toString();
    }
    return v;
  }

  static String iso(LocalDateTime t) {
    return t.atOffset(ZoneOffset.UTC).toInstant().toString();
  }

  static LocalDateTime now() {
    return LocalDateTime.now(ZoneOffset.UTC);
  }
}
