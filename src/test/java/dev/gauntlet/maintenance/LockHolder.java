package dev.gauntlet.maintenance;

import java.sql.Connection;
import java.sql.DriverManager;

/** Run in a child JVM: holds a DuckDB file open (as a running Gauntlet would) until stdin closes. */
public final class LockHolder {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)");
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait
      }
    }
  }
}
