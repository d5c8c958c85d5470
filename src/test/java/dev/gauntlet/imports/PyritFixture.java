package dev.gauntlet.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds small PyRIT memories for tests: the layout from {@code imports/pyrit-<revision>.sql}
 * (written by this project from PyRIT's Alembic migrations), then rows inserted by column name.
 * No file of PyRIT's own is used or checked in.
 */
public final class PyritFixture implements AutoCloseable {

  /** PyRIT 0.13.0's schema, the root of the migrations. */
  public static final String ROOT = "3b8f2c1a9d07";
  /** The last revision before Conversations, with labels on attack results not yet added. */
  public static final String BEFORE_CONVERSATIONS = "e373726d391b";
  /** The first revision with Conversations: what the export writes. */
  public static final String EXPORTED = "b2f4c6a8d1e3";
  /** After score_value became nullable (a partial layout: the tables Gauntlet reads). */
  public static final String UNDETERMINED = "5a1d3c7e9f04";
  public static final java.util.List<String> ALL = java.util.List.of(ROOT, BEFORE_CONVERSATIONS, EXPORTED, UNDETERMINED);

  final Path file;
  final String layout;
  /** A piece carries its target and attack (before b2f4c6a8d1e3) rather than its conversation and attack result. */
  final boolean targetOnPiece;
  /** A piece carries its labels (before 24b44ef076b6); from 108a72344872 its attack result does too. */
  final boolean labelsOnPiece;
  private final Connection c;

  private PyritFixture(Path file, String layout, Connection c) {
    this.file = file;
    this.layout = layout;
    this.targetOnPiece = targetOnPiece(layout);
    this.labelsOnPiece = !layout.equals(UNDETERMINED);
    this.c = c;
  }

  public static boolean targetOnPiece(String layout) {
    return layout.equals(ROOT) || layout.equals(BEFORE_CONVERSATIONS);
  }

  /** Whether a score may lack a value (from 5a1d3c7e9f04). */
  public static boolean undeterminedScores(String layout) {
    return layout.equals(UNDETERMINED);
  }

  /** The PyRIT version the fixture's pieces name, as a PyRIT of that era would. */
  public static String pyritVersion(String layout) {
    return targetOnPiece(layout) ? "0.13.0" : layout.equals(EXPORTED) ? "1.0.0" : "1.1.0";
  }

  /** A new memory at Alembic revision {@code layout} (one of {@link #ALL}) at {@code file}. */
  public static PyritFixture create(Path file, String layout) throws SQLException, IOException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      for (String statement : statements("/imports/pyrit-" + layout + ".sql")) {
        s.execute(statement);
      }
    }
    c.setAutoCommit(false);
    return new PyritFixture(file, layout, c);
  }

  static List<String> statements(String resource) throws IOException {
    String sql;
    try (InputStream in = PyritFixture.class.getResourceAsStream(resource)) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder clean = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.startsWith("--")) {
        clean.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : clean.toString().split(";\\s*\n")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  public static String id(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  PyritFixture insert(String table, Map<String, Object> row) throws SQLException {
    String columns = String.join(", ", row.keySet());
    String marks = String.join(", ", row.keySet().stream().map(k -> "?").toList());
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"" + table + "\" (" + columns + ") VALUES (" + marks + ")")) {
      int i = 1;
      for (Object v : row.values()) {
        ps.setObject(i++, v);
      }
      ps.executeUpdate();
    }
    return this;
  }

  /** A piece in this layout: early revisions keep labels and the target on the piece, later ones on its conversation and attack result. */
  PyritFixture piece(String name, String conversation, int sequence, String role, String text, String time, String labels,
                     String target) throws SQLException {
    Map<String, Object> r = row("id", id(name), "role", role, "conversation_id", conversation, "sequence", sequence,
        "timestamp", time, "prompt_metadata", "{\"source\":\"fixture\"}", "converter_identifiers",
        "[{\"class_name\":\"Base64Converter\",\"class_module\":\"pyrit.prompt_converter\"}]", "response_error", "none",
        "original_value_data_type", "text", "original_value", text, "converted_value_data_type", "text", "converted_value", text,
        "original_prompt_id", id(name), "pyrit_version", pyritVersion(layout));
    if (labelsOnPiece) {
      r.put("labels", labels == null ? "{}" : labels);
    }
    if (targetOnPiece) {
      r.put("prompt_target_identifier", target);
      r.put("attack_identifier", "{\"class_name\":\"PromptSendingAttack\",\"class_module\":\"pyrit.executor.attack\"}");
    }
    return insert("PromptMemoryEntries", r);
  }

  PyritFixture score(String name, String piece, String value, String type, String scorerClass, String time) throws SQLException {
    Map<String, Object> r = row("id", id(name), "score_value", value, "score_value_description", "d", "score_type", type,
        "score_category", "[\"jailbreak\"]", "score_rationale", "because", "score_metadata", "{}",
        "scorer_class_identifier", "{\"class_name\":\"" + scorerClass + "\",\"class_module\":\"pyrit.score\"}",
        "prompt_request_response_id", id(piece), "timestamp", time, "objective", "get the secret");
    if (undeterminedScores(layout)) {
      // 5a1d3c7e9f04 backfills 'complete' for scores with a value; the word for one without is the fixture's
      r.put("status", value == null ? "undetermined" : "complete");
    }
    return insert("ScoreEntries", r);
  }

  PyritFixture attack(String name, String conversation, String outcome, String reason, String time, String labels,
                      String adversarialConversation) throws SQLException {
    return attack(name, conversation, "get the secret", outcome, reason, time, labels, adversarialConversation);
  }

  PyritFixture attack(String name, String conversation, String objective, String outcome, String reason, String time, String labels,
                      String adversarialConversation) throws SQLException {
    Map<String, Object> r = row("id", id(name), "conversation_id", conversation, "objective", objective,
        "executed_turns", 1, "execution_time_ms", 10, "outcome", outcome, "outcome_reason", reason, "timestamp", time,
        "adversarial_chat_conversation_ids", adversarialConversation == null ? null : "[\"" + adversarialConversation + "\"]");
    // before f1a2b3c4d5e6 the attack's own identifier, the atomic attack's (a scenario's) left empty as a lone attack leaves it
    r.put(targetOnPiece ? "attack_identifier" : "atomic_attack_identifier",
        "{\"class_name\":\"RedTeamingAttack\",\"class_module\":\"pyrit.executor.attack\"}");
    if (!targetOnPiece) {
      r.put("labels", labels);
    }
    if (layout.equals(UNDETERMINED)) {
      r.put("targeted_harm_categories", "[\"violent crime\"]");
    }
    return insert("AttackResultEntries", r);
  }

  PyritFixture conversation(String conversation, String target) throws SQLException {
    return insert("Conversations", row("conversation_id", conversation, "target_identifier", target, "pyrit_version", pyritVersion(layout)));
  }

  PyritFixture seed(String name, String value, String dataset, String time) throws SQLException {
    return insert("SeedPromptEntries", row("id", id(name), "value", value, "data_type", "text", "dataset_name", dataset,
        "harm_categories", "[\"violence\"]", "date_added", time, "added_by", "fixture", "role", "user", "seed_type", "prompt"));
  }

  void execute(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    c.commit();
    c.close();
  }
}
