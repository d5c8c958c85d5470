package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backlog larger than one transaction can hold under the memory's DuckDB limit is caught up in
 * batches, each committed with its position, so the dashboard reads right after any backlog and
 * after a catch-up interrupted between batches.
 */
class DashboardBacklogTest {

  /** Exchanges in the backlog: a prompt, an answer and a score each. */
  static final int EXCHANGES = 150_000;
  static final String SMALL_LIMIT = "48MB";

  @TempDir
  Path dir;
  Connection c;

  @BeforeEach
  void open() throws SQLException {
    Properties props = new Properties();
    props.setProperty("memory_limit", "1GB");
    props.setProperty("threads", "1");
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"), props);
    MemorySchema.migrate(c);
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void aBacklogOneTransactionCannotHoldIsCaughtUpInBatchesAndReadsRight() throws SQLException {
    backlog(EXCHANGES);
    // one transaction over the whole backlog, as the catch-up was, runs out of memory under this limit
    SQLException oom = assertThrows(SQLException.class, () -> Appends.inTransaction(c, () -> DashboardIndex.rebuild(c)));
    assertTrue(oom.getMessage().contains("Out of Memory"), oom.getMessage());

    JsonObject summary = new Dashboard(c).summary(DashboardFilter.ALL);
    assertEquals(EXCHANGES + 1, summary.getLong("prompts"));
    assertEquals(EXCHANGES + 1, summary.getLong("scores"));
    assertEquals(EXCHANGES + 1, summary.getLong("successes"), "every score in the backlog says the attack worked");
    assertEquals(EXCHANGES + 1, new Dashboard(c).results(ResultsQuery.parse(new JsonObject())).getLong("total"));
  }

  @Test
  void aCatchUpInterruptedBetweenBatchesResumesWhereItStoppedAndCountsNothingTwice() throws SQLException {
    backlog(20_000);
    // a first process catches up three batches of 5,000 rowids, then stops (killed between transactions)
    new DashboardIndex(c, null, DashboardIndex.COMPACT_FLOOR, 5_000).catchUp(3);
    long[] state = state();
    assertEquals(15_000, state[0], "the position after the last committed batch");
    // the next one reads the position from the memory and does the rest
    JsonObject summary = new Dashboard(c).summary(DashboardFilter.ALL);
    assertEquals(20_001, summary.getLong("prompts"));
    assertEquals(20_001, summary.getLong("scores"));
    assertEquals(20_001, summary.getLong("successes"));
    List<Long> totals = List.of(scalar("SELECT count(*) FROM dashboard_results"), scalar("SELECT sum(prompts) FROM dashboard_rollup"),
        scalar("SELECT sum(scores) FROM dashboard_rollup"), scalar("SELECT sum(attack_succeeded) FROM dashboard_rollup"));
    c.close();
    // a larger limit for the reference: every row rebuilt in one transaction gives the same totals
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    Appends.inTransaction(c, () -> DashboardIndex.rebuild(c));
    assertEquals(totals, List.of(scalar("SELECT count(*) FROM dashboard_results"), scalar("SELECT sum(prompts) FROM dashboard_rollup"),
        scalar("SELECT sum(scores) FROM dashboard_rollup"), scalar("SELECT sum(attack_succeeded) FROM dashboard_rollup")));
  }

  /**
   * One exchange stored as Gauntlet stores it, then {@code n} copies made in SQL (fast enough for
   * a unit test): every prompt first, then every answer, then every score, so batches of pieces
   * meet answers whose prompts an earlier batch holds.
   */
  private void backlog(int n) throws SQLException {
    DashboardData d = new DashboardData();
    UUID answer = d.exchange("tell me a secret", "here it is", Instant.now(), "gen", "exec-1", null);
    d.score(answer, "refusal", "true_false", "false", Instant.now(), new JsonObject().put("attack_success", true));
    new PieceStore(c).append(d.batch());
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE copies AS SELECT range AS i, 'conversation-' || range AS conversation, uuid() AS answer FROM range(" + n + ")");
      s.execute("CREATE TEMP TABLE template_pieces AS SELECT * FROM PromptMemoryEntries");
      s.execute("CREATE TEMP TABLE template_scores AS SELECT * FROM ScoreEntries");
      s.execute("INSERT INTO PromptMemoryEntries SELECT p.* REPLACE (uuid() AS id, k.conversation AS conversation_id) "
          + "FROM temp.template_pieces p, temp.copies k WHERE p.role = 'user'");
      s.execute("INSERT INTO PromptMemoryEntries SELECT p.* REPLACE (k.answer AS id, k.conversation AS conversation_id) "
          + "FROM temp.template_pieces p, temp.copies k WHERE p.role = 'assistant'");
      s.execute("INSERT INTO ScoreEntries SELECT t.* REPLACE (uuid() AS id, k.answer AS prompt_request_response_id) "
          + "FROM temp.template_scores t, temp.copies k");
      s.execute("DROP TABLE temp.copies");
      // built with room to spare; read under the small limit, as a server at a tight memory.duckdbMemoryLimit would
      s.execute("SET memory_limit = '" + SMALL_LIMIT + "'");
    }
  }

  private long[] state() throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM dashboard_state")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
    }
  }

  private long scalar(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
