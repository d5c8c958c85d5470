package dev.gauntlet.maintenance;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemorySalt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consolidate command over stray files built here, as ViolentUTF, PyRIT and older Gauntlets left them. */
class ConsolidationTest {

  static final String SALT = "test-salt";
  static final String SHARED_PIECE = "11111111-1111-1111-1111-111111111111";

  @TempDir
  Path tmp;
  Path data;
  Path stray;
  MemoryPaths paths;
  String out;
  String err;

  @BeforeEach
  void setUp() throws Exception {
    data = tmp.resolve("data");
    stray = tmp.resolve("stray");
    Files.createDirectories(stray);
    try (AppDatabase db = AppDatabase.open(data.resolve("gauntlet.db"))) {
      paths = new MemoryPaths(data.resolve("memory"), MemorySalt.resolve(SALT, db));
      for (String u : List.of("alice", "bob")) {
        db.inTransaction(c -> Users.insertLocal(c, u, "x", List.of("user"), paths.fileName(u)));
      }
    }
  }

  int run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GAUNTLET_DATA_DIR", data.toString());
    env.put("PYRIT_DB_SALT", SALT);
    int code = MemoryCommand.run(args, env, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  /** ViolentUTF's orchestrator file: PyRIT's tables complete, 3 pieces (one shared with the other file) and 2 scores. */
  Path orchestratorFile() throws Exception {
    Path f = stray.resolve("orchestrator_memory_abcd1234.db");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + f); Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE PromptMemoryEntries (id UUID NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL,
            sequence INTEGER NOT NULL, timestamp TIMESTAMP NOT NULL, labels JSON, prompt_metadata JSON,
            converter_identifiers JSON, prompt_target_identifier JSON, orchestrator_identifier JSON, response_error VARCHAR,
            original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL, original_value_sha256 VARCHAR,
            converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR, converted_value_sha256 VARCHAR,
            original_prompt_id UUID NOT NULL)""");
      s.execute("""
          CREATE TABLE ScoreEntries (id UUID NOT NULL, score_value VARCHAR NOT NULL, score_value_description VARCHAR,
            score_type VARCHAR NOT NULL, score_category VARCHAR, score_rationale VARCHAR, score_metadata VARCHAR,
            scorer_class_identifier JSON, prompt_request_response_id UUID, timestamp TIMESTAMP NOT NULL, task VARCHAR)""");
      for (String id : List.of(SHARED_PIECE, UUID.randomUUID().toString(), UUID.randomUUID().toString())) {
        s.execute("INSERT INTO PromptMemoryEntries VALUES ('" + id + "', 'user', 'conv-1', 0, now(), '{}', NULL, NULL, NULL, NULL, "
            + "'none', 'text', 'hello', NULL, 'text', 'hello', NULL, '" + id + "')");
      }
      for (int i = 0; i < 2; i++) {
        s.execute("INSERT INTO ScoreEntries VALUES (uuid(), 'true', NULL, 'true_false', 'jailbreak', 'r', NULL, NULL, '"
            + SHARED_PIECE + "', now(), NULL)");
      }
    }
    return f;
  }

  /** An older PyRIT-style file: PromptMemoryEntries lacks response_error and labels; SeedPromptEntries has an extra column. */
  Path pyritFile() throws Exception {
    Path f = stray.resolve("pyrit_memory_" + "0".repeat(64) + ".db");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + f); Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE PromptMemoryEntries (id UUID NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL,
            sequence INTEGER NOT NULL, timestamp TIMESTAMP NOT NULL, prompt_metadata JSON,
            converter_identifiers JSON, prompt_target_identifier JSON, orchestrator_identifier JSON,
            original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL, original_value_sha256 VARCHAR,
            converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR, converted_value_sha256 VARCHAR,
            original_prompt_id UUID NOT NULL)""");
      s.execute("""
          CREATE TABLE SeedPromptEntries (id UUID NOT NULL, value VARCHAR NOT NULL, value_sha256 VARCHAR, data_type VARCHAR NOT NULL,
            name VARCHAR, dataset_name VARCHAR, harm_categories JSON, description VARCHAR, authors JSON, groups JSON,
            source VARCHAR, date_added TIMESTAMP NOT NULL, added_by VARCHAR, prompt_metadata JSON, parameters JSON,
            prompt_group_id UUID, sequence INTEGER, extra_col VARCHAR)""");
      for (String id : List.of(SHARED_PIECE, UUID.randomUUID().toString())) {
        s.execute("INSERT INTO PromptMemoryEntries VALUES ('" + id + "', 'assistant', 'conv-2', 1, now(), NULL, NULL, NULL, NULL, "
            + "'text', 'answer', NULL, 'text', 'answer', NULL, '" + id + "')");
      }
      s.execute("INSERT INTO SeedPromptEntries VALUES (uuid(), 'seed', NULL, 'text', 'n', 'ds', '[]', NULL, '[]', '[]', NULL, "
          + "now(), NULL, NULL, NULL, NULL, 0, 'extra')");
    }
    return f;
  }

  long rows(String user, String table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + paths.fileFor(user));
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String hash(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  @Test
  void mergesByColumnNameDeduplicatesAndLeavesOriginalsByteIdentical() throws Exception {
    Path a = orchestratorFile();
    Path b = pyritFile();
    String hashA = hash(a);
    String hashB = hash(b);

    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice", "--dry-run"), err);
    assertTrue(out.contains("PromptMemoryEntries: 3 in source, 3 added, 0 already present"), out);
    assertTrue(out.contains("PromptMemoryEntries: 2 in source, 1 added, 0 already present")
        || out.contains("PromptMemoryEntries: 2 in source, 2 added, 0 already present"), out);
    assertFalse(Files.exists(paths.fileFor("alice")) && rows("alice", "PromptMemoryEntries") > 0, "a dry run writes nothing");

    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    // the shared piece is in both files: merged once
    assertTrue(out.contains("PromptMemoryEntries: 3 in source, 3 added, 0 already present"), out);
    assertTrue(out.contains("PromptMemoryEntries: 2 in source, 1 added, 1 already present"), out);
    assertTrue(out.contains("ScoreEntries: 2 in source, 2 added, 0 already present"), out);
    assertTrue(out.contains("SeedPromptEntries: 1 in source, 1 added, 0 already present; ignored columns [\"extra_col\"]"), out);
    assertTrue(out.contains("missing columns [\"labels\",\"response_error\"]"), out);
    assertTrue(out.contains("originals left in place"), out);
    assertEquals(4, rows("alice", "PromptMemoryEntries"));
    assertEquals(2, rows("alice", "ScoreEntries"));
    assertEquals(1, rows("alice", "SeedPromptEntries"));
    assertFalse(Files.exists(paths.fileFor("bob")), "bob untouched");

    // again: everything is already present
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    assertTrue(out.contains("PromptMemoryEntries: 3 in source, 0 added, 3 already present"), out);
    assertTrue(out.contains("PromptMemoryEntries: 2 in source, 0 added, 2 already present"), out);
    assertEquals(4, rows("alice", "PromptMemoryEntries"));

    assertEquals(hashA, hash(a), "the original is byte-identical");
    assertEquals(hashB, hash(b), "the original is byte-identical");
    assertFalse(Files.exists(stray.resolve(a.getFileName() + ".wal")));
  }

  /** An older Gauntlet memory: a generator, a dataset with its two prompts, an execution with one result. */
  Path olderGauntletFile() throws Exception {
    Path f = stray.resolve("gauntlet_old.db");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + f); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE generators (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, type VARCHAR NOT NULL, "
          + "parameters JSON NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)");
      s.execute("CREATE TABLE datasets (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR, "
          + "prompt_count INTEGER NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)");
      s.execute("CREATE TABLE dataset_prompts (dataset_id VARCHAR NOT NULL, sequence INTEGER NOT NULL, seed_prompt_id UUID NOT NULL, "
          + "PRIMARY KEY (dataset_id, sequence))");
      s.execute("CREATE TABLE execution_results (execution_id VARCHAR NOT NULL, prompt_index INTEGER NOT NULL, conversation_id VARCHAR, "
          + "status VARCHAR NOT NULL, attack_success BOOLEAN NOT NULL, error VARCHAR, completed_at TIMESTAMP NOT NULL, "
          + "PRIMARY KEY (execution_id, prompt_index))");
      s.execute("INSERT INTO generators VALUES ('gen-old', 'the model we lost', 'simulated', '{\"mode\":\"echo\"}', now(), now())");
      s.execute("INSERT INTO datasets VALUES ('ds-old', 'attacks', NULL, 2, now(), now())");
      s.execute("INSERT INTO dataset_prompts VALUES ('ds-old', 0, uuid()), ('ds-old', 1, uuid())");
      s.execute("INSERT INTO execution_results VALUES ('ex-old', 0, 'conv-1', 'succeeded', false, NULL, now())");
    }
    return f;
  }

  @Test
  void configurationsOfAnOlderGauntletFileAreMergedOnceByTheirKeys() throws Exception {
    olderGauntletFile();
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    assertTrue(out.contains("generators: 1 in source, 1 added, 0 already present"), out);
    assertTrue(out.contains("dataset_prompts: 2 in source, 2 added, 0 already present"), out);
    assertTrue(out.contains("execution_results: 1 in source, 1 added, 0 already present"), out);
    assertEquals(1, rows("alice", "generators WHERE id = 'gen-old' AND name = 'the model we lost'"));
    assertEquals(2, rows("alice", "dataset_prompts WHERE dataset_id = 'ds-old'"));

    // a second run finds every row by its key, composite keys included
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    assertTrue(out.contains("generators: 1 in source, 0 added, 1 already present"), out);
    assertTrue(out.contains("dataset_prompts: 2 in source, 0 added, 2 already present"), out);
    assertTrue(out.contains("execution_results: 1 in source, 0 added, 1 already present"), out);
    assertEquals(1, rows("alice", "generators"));
  }

  @Test
  void aUsersOwnFileIsSkipped() throws Exception {
    orchestratorFile();
    Path own = stray.resolve(paths.fileName("bob"));
    Files.copy(stray.resolve("orchestrator_memory_abcd1234.db"), own);
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    assertTrue(out.contains("skipped, it is the memory file of user 'bob'"), out);
    assertEquals(3, rows("alice", "PromptMemoryEntries"));
  }

  @Test
  void refusesUnknownUserAndFilesWithoutOwner() throws Exception {
    Path a = orchestratorFile();
    String before = hash(a);
    assertEquals(MemoryCommand.USAGE, run("consolidate", "--from", stray.toString(), "--user", "mallory"));
    assertTrue(err.contains("unknown user 'mallory'"), err);
    assertEquals(MemoryCommand.USAGE, run("consolidate", "--from", stray.toString()));
    assertTrue(err.contains("--user NAME"), err);
    assertTrue(err.contains("orchestrator_memory_abcd1234.db"), err);
    assertFalse(Files.exists(paths.fileFor("alice")), "nothing written");
    assertEquals(before, hash(a));
    assertEquals(MemoryCommand.USAGE, run("consolidate"));
  }

  @Test
  void saysSoWhenTheMemoryIsLockedByARunningProcess() throws Exception {
    orchestratorFile();
    Files.createDirectories(paths.dir());
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), paths.fileFor("alice").toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", r.readLine());
      assertEquals(MemoryCommand.LOCKED, run("consolidate", "--from", stray.toString(), "--user", "alice"));
      assertTrue(err.contains("is Gauntlet running"), err);
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  @Test
  void aSqliteFileIsRefusedByNameAndNoExtensionIsFetchedForIt() throws Exception {
    Path sqlite = stray.resolve("pyrit.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE PromptMemoryEntries (id TEXT PRIMARY KEY, role TEXT)");
      s.execute("INSERT INTO PromptMemoryEntries VALUES ('" + UUID.randomUUID() + "', 'user')");
    }
    String before = hash(sqlite);
    assertEquals(MemoryCommand.FAILED, run("consolidate", "--from", stray.toString(), "--user", "alice"), out);
    assertTrue(err.contains("pyrit.db") && err.contains("is a SQLite database"), err);
    assertEquals(before, hash(sqlite), "the original is untouched");
    assertEquals(0, rows("alice", "PromptMemoryEntries"));
  }

  @Test
  void aDryRunFailsWhereTheRealRunWouldAndReportsTheSameCounts() throws Exception {
    orchestratorFile();
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice", "--dry-run"), err);
    String dry = out.substring(out.indexOf("orchestrator_memory_abcd1234.db:"));
    assertEquals(0, rows("alice", "PromptMemoryEntries"), "a dry run writes nothing");
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    assertEquals(dry.substring(0, dry.indexOf("originals")), out.substring(out.indexOf("orchestrator_memory_abcd1234.db:"),
        out.indexOf("originals")), "the dry run reported what the real run then did");

    // a piece without its text breaks a NOT NULL column: the real run refuses it, so must the dry run
    Path broken = stray.resolve("orchestrator_memory_broken01.db");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + broken); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE PromptMemoryEntries (id UUID, role VARCHAR, conversation_id VARCHAR, sequence INTEGER, "
          + "timestamp TIMESTAMP, original_value_data_type VARCHAR, original_value VARCHAR, converted_value_data_type VARCHAR, "
          + "original_prompt_id UUID)");
      s.execute("INSERT INTO PromptMemoryEntries VALUES (uuid(), 'user', 'c', 0, now(), 'text', NULL, 'text', uuid())");
    }
    Files.delete(stray.resolve("orchestrator_memory_abcd1234.db"));
    assertEquals(MemoryCommand.FAILED, run("consolidate", "--from", stray.toString(), "--user", "alice", "--dry-run"));
    String dryError = err;
    assertTrue(dryError.contains("orchestrator_memory_broken01.db: FAILED"), dryError);
    assertEquals(MemoryCommand.FAILED, run("consolidate", "--from", stray.toString(), "--user", "alice"));
    assertEquals(dryError, err, "the dry run and the real run say the same");
  }

  static final String ANSWER = "22222222-2222-2222-2222-222222222222";
  static final String PROMPT = "33333333-3333-3333-3333-333333333333";

  static void piece(Statement s, String id, String role, int sequence) throws Exception {
    s.execute("INSERT INTO PromptMemoryEntries (id, role, conversation_id, sequence, timestamp, original_value_data_type, "
        + "original_value, converted_value_data_type, converted_value, original_prompt_id) VALUES ('" + id + "', '" + role
        + "', 'conv-r', " + sequence + ", now(), 'text', '" + role + " text', 'text', '" + role + " text', '" + id + "')");
  }

  static void review(Statement s, String id, long seq, String verdict, String day) throws Exception {
    s.execute("INSERT INTO reviews VALUES ('" + id + "', " + seq + ", '" + ANSWER + "', 'ex-1', 'conv-r', '" + verdict
        + "', NULL, 'alice', TIMESTAMP '" + day + " 10:00:00')");
  }

  /**
   * A current Gauntlet memory made elsewhere (another salt): a prompt and its answer, a re-scoring
   * job over that answer (its rowids those of this file), and two reviews of the answer, made on
   * 1 and 3 January.
   */
  Path currentGauntletFile() throws Exception {
    Path f = stray.resolve("gauntlet_other_salt.db");
    try (Connection c = dev.gauntlet.memory.Consolidation.openTarget(f); Statement s = c.createStatement()) {
      piece(s, PROMPT, "user", 0);
      piece(s, ANSWER, "assistant", 1);
      s.execute("INSERT INTO rescore_jobs VALUES ('job-1', 'ex-1', '[\"s\"]', '{}', 'completed', 1, 1, 1, NULL, now(), now(), now(), now())");
      s.execute("INSERT INTO rescore_answers VALUES ('job-1', 0, '" + ANSWER + "', '" + PROMPT + "', NULL, 1, 0)");
      review(s, "review-1", 1, "held", "2026-01-01");
      review(s, "review-3", 2, "attack_succeeded", "2026-01-03");
    }
    return f;
  }

  @Test
  void reviewsAndRescoringJobsAreMergedOnceTheLatestReviewCurrentAndRowidsThisFiles() throws Exception {
    currentGauntletFile();
    // alice's memory already holds three other pieces, then the answer, and her own review of it made on 4 January
    try (Connection c = dev.gauntlet.memory.Consolidation.openTarget(paths.fileFor("alice")); Statement s = c.createStatement()) {
      for (int i = 0; i < 3; i++) {
        piece(s, UUID.randomUUID().toString(), "user", 0);
      }
      piece(s, ANSWER, "assistant", 1);
      review(s, "review-4", 1, "held", "2026-01-04");
    }
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice", "--dry-run"), err);
    String dry = out.substring(out.indexOf("gauntlet_other_salt.db:"), out.indexOf("originals"));
    assertEquals(1, rows("alice", "reviews"), "a dry run writes nothing");
    assertEquals(0, rows("alice", "rescore_jobs"));
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    assertEquals(dry, out.substring(out.indexOf("gauntlet_other_salt.db:"), out.indexOf("originals")),
        "the dry run reported what the real run then did");
    assertTrue(out.contains("rescore_jobs: 1 in source, 1 added, 0 already present"), out);
    assertTrue(out.contains("rescore_answers: 1 in source, 1 added, 0 already present"), out);
    assertTrue(out.contains("reviews: 2 in source, 2 added, 0 already present"), out);

    // the reviews in the order they were made: alice's own of 4 January is the latest, so it stays current
    assertEquals(1, rows("alice", "reviews WHERE id = 'review-1' AND seq = 1"));
    assertEquals(1, rows("alice", "reviews WHERE id = 'review-3' AND seq = 2"));
    assertEquals(1, rows("alice", "reviews WHERE id = 'review-4' AND seq = 3"));
    assertEquals(1, rows("alice", "current_reviews WHERE id = 'review-4' AND verdict = 'held'"));
    // the job's answer points at this file's rows of its answer (the 4th piece) and prompt (added after it)
    assertEquals(1, rows("alice", "rescore_answers a JOIN PromptMemoryEntries p ON p.rowid = a.piece_row AND p.id = a.piece_id"));
    assertEquals(1, rows("alice", "rescore_answers a JOIN PromptMemoryEntries p ON p.rowid = a.prompt_row AND p.id = a.prompt_id"));

    // a second run finds every row by its key
    assertEquals(MemoryCommand.OK, run("consolidate", "--from", stray.toString(), "--user", "alice"), err);
    assertTrue(out.contains("rescore_jobs: 1 in source, 0 added, 1 already present"), out);
    assertTrue(out.contains("rescore_answers: 1 in source, 0 added, 1 already present"), out);
    assertTrue(out.contains("reviews: 2 in source, 0 added, 2 already present"), out);
    assertEquals(3, rows("alice", "reviews"));
  }
}
