package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model output is hostile: a CSV export never hands a spreadsheet a formula to run. */
class CsvFormulaTest {

  static final List<String> FORMULAS = List.of("=HYPERLINK(\"http://x.test\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1");

  @TempDir
  Path dir;
  Connection c;
  Dashboard dashboard;

  @BeforeEach
  void open() throws Exception {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    DashboardData d = new DashboardData();
    Instant at = DashboardData.daysAgo(0).minusSeconds(3600);
    int n = 0;
    for (String answer : FORMULAS) {
      d.score(d.exchange("prompt " + n, answer, at.plusSeconds(n++), "gen", "x", null), "judge", "true_false", "false", at, null);
    }
    d.score(d.exchange("plain", "a plain answer", at.plusSeconds(n), "gen", "x", null), "judge", "true_false", "false", at, null);
    new PieceStore(c).append(d.batch());
    dashboard = new Dashboard(c);
  }

  @AfterEach
  void close() throws Exception {
    c.close();
  }

  @Test
  void csvCellsThatWouldRunAsFormulasStartWithAnApostropheAndJsonlKeepsTheText() throws Exception {
    Path csv = dir.resolve("out.csv");
    dashboard.export(DashboardFilter.parse(new JsonObject()), "csv", csv);
    String text = Files.readString(csv);
    for (String formula : FORMULAS) {
      String quoted = formula.replace("\"", "\"\"");
      assertFalse(text.contains("," + formula + ",") || text.contains(",\"" + quoted + "\""), "a formula cell went out as is: " + formula);
      assertTrue(text.contains("'" + quoted), "defused with a leading apostrophe: " + formula + "\n" + text);
    }
    assertTrue(text.contains("a plain answer") && !text.contains("'a plain answer"), "other text is untouched");

    Path jsonl = dir.resolve("out.jsonl");
    dashboard.export(DashboardFilter.parse(new JsonObject()), "jsonl", jsonl);
    assertTrue(Files.readString(jsonl).contains("\"@SUM(A1)\""), "JSONL is data, not a spreadsheet: the text stays as the model wrote it");
  }
}
