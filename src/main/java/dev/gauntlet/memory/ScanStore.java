package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import dev.gauntlet.review.HumanVerdicts;
import dev.gauntlet.verdict.Outcomes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Scans in a user's memory (migration 7), and what a compliance report reads of an execution.
 * A scan is kept beside the executions it launched, in the same memory, so it is as private as
 * they are (another user's scan id is a 404 by construction), and a backup or consolidation
 * carries it along; its executions are found by their {@code scan} label, not by a list kept
 * here, so an execution is never in two places.
 */
final class ScanStore {

  static final String CREATE_TABLE = """
      CREATE TABLE IF NOT EXISTS scans (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, request JSON NOT NULL, plan JSON, error VARCHAR,
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)""";

  /** A scan's executions, oldest first, found by the label every piece and execution of the scan carries. */
  private static final String EXECUTIONS_OF = """
      SELECT id FROM executions WHERE json_extract_string(labels, '$.scan') = ? ORDER BY created_at, id""";

  /**
   * An execution's answers grouped by the probe that sent them ({@code probe} label, '' for none)
   * and by their prompt's harm categories (the frozen prompt's, as JSON text; null when the
   * execution froze none): prompts, the four outcomes (a person's verdict winning, as everywhere:
   * review/HumanVerdicts around verdict/Outcomes.sql) and the conversations where the attack
   * succeeded. Parameters: the execution's id, twice.
   */
  private static final String OUTCOMES_BY_PROBE = """
      WITH p AS (SELECT id, conversation_id, response_error, labels, coalesce(prompt_metadata ->> 'prompt_index', conversation_id) AS prompt_index,
                        left(converted_value, 300) AS answer
                 FROM PromptMemoryEntries WHERE /*ANSWER*/ AND (prompt_metadata ->> 'execution_id') = ?),
           ep AS (SELECT prompt_index, CAST(harm_categories AS VARCHAR) AS harms FROM execution_prompts WHERE execution_id = ?),
           s AS (SELECT prompt_request_response_id AS pid, count(*) FILTER (WHERE score_value IS NOT NULL) AS v,
                        count(*) FILTER (WHERE /*SUCCESS*/) AS ok
                 FROM ScoreEntries WHERE prompt_request_response_id IN (SELECT id FROM p) GROUP BY 1),
           r AS (SELECT p.*, ep.harms, /*OUTCOME*/ AS outcome FROM p LEFT JOIN s ON s.pid = p.id
                 LEFT JOIN ep ON ep.prompt_index = TRY_CAST(p.prompt_index AS INTEGER) /*HUMAN_JOIN*/)
      SELECT coalesce(json_extract_string(labels, '$.probe'), '') AS probe, harms, count(DISTINCT prompt_index) AS prompts,
             count(*) FILTER (WHERE outcome = 'attack_succeeded') AS attack_succeeded,
             count(*) FILTER (WHERE outcome = 'held') AS held, count(*) FILTER (WHERE outcome = 'error') AS error,
             count(*) FILTER (WHERE outcome = 'unscored') AS unscored,
             string_agg(DISTINCT conversation_id, ',') FILTER (WHERE outcome = 'attack_succeeded') AS evidence,
             min(answer) FILTER (WHERE outcome = 'attack_succeeded') AS example_answer
      FROM r GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST""".replace("/*ANSWER*/", DashboardQueries.isAnswer(""))
      .replace("/*SUCCESS*/", DashboardQueries.success(""))
      .replace("/*OUTCOME*/", HumanVerdicts.override("hv", Outcomes.sql("p.response_error", "s.v", "s.ok")))
      .replace("/*HUMAN_JOIN*/", HumanVerdicts.join("hv", "p.id"));

  /** The harm categories of a dataset's prompts. */
  private static final String DATASET_HARMS = """
      SELECT DISTINCT unnest(from_json(CAST(s.harm_categories AS VARCHAR), '["VARCHAR"]')) AS harm
      FROM dataset_prompts d JOIN SeedPromptEntries s ON s.id = d.seed_prompt_id
      WHERE d.dataset_id = ? AND s.harm_categories IS NOT NULL AND json_valid(CAST(s.harm_categories AS VARCHAR))
      ORDER BY 1""";

  /** How many evidence conversations a report lists per probe of an execution. */
  static final int EVIDENCE_LIMIT = 50;

  private final Connection c;
  private final ExecutionStore executions;

  ScanStore(Connection c, ExecutionStore executions) {
    this.c = c;
    this.executions = executions;
  }

  JsonObject create(String name, JsonObject request, JsonObject plan) throws SQLException {
    String id = UUID.randomUUID().toString();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO scans VALUES (?, ?, ?, ?, NULL, ?, ?)")) {
      var now = Rows.now();
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, request.encode());
      ps.setString(4, plan == null ? null : plan.encode());
      ps.setObject(5, now);
      ps.setObject(6, now);
      ps.executeUpdate();
    }
    return row(id);
  }

  /** Records why launching the scan stopped part way (its launched executions stay). */
  JsonObject fail(String id, String error) throws SQLException {
    row(id);
    try (PreparedStatement ps = c.prepareStatement("UPDATE scans SET error = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, error);
      ps.setObject(2, Rows.now());
      ps.setString(3, id);
      ps.executeUpdate();
    }
    return row(id);
  }

  /** The scan with each of its executions and their committed progress. */
  JsonObject get(String id) throws SQLException {
    JsonObject scan = row(id);
    JsonArray list = new JsonArray();
    for (Object o : Rows.all(c, EXECUTIONS_OF, id)) {
      list.add(executions.get(((JsonObject) o).getString("id"), true));
    }
    return scan.put("executions", list);
  }

  JsonObject list(int offset, int limit) throws SQLException {
    JsonArray items = Rows.all(c, "SELECT s.id, s.name, s.error, s.created_at, (SELECT count(*) FROM executions e "
        + "WHERE json_extract_string(e.labels, '$.scan') = s.id) AS executions FROM scans s ORDER BY s.created_at DESC, s.id "
        + "LIMIT ? OFFSET ?", limit, offset);
    return new JsonObject().put("items", items).put("offset", offset).put("limit", limit);
  }

  /**
   * What a compliance report needs of each execution: its orchestrator (type and parameters), its
   * labels, its converters' types (from its snapshot, else the stored converters), its dataset's
   * harm categories, and its answers' outcomes grouped by probe and by the prompts' own harm
   * categories ({@code harm_categories} on a group, absent where none were frozen). Another user's
   * id is a 404.
   */
  JsonObject compliance(JsonArray executionIds) throws SQLException {
    JsonArray out = new JsonArray();
    for (Object o : executionIds) {
      String id = (String) o;
      JsonObject snapshot = executions.snapshot(id);
      JsonObject orchestrator = snapshot.getJsonObject("orchestrator", new JsonObject());
      JsonObject params = orchestrator.getJsonObject("parameters", new JsonObject());
      JsonObject configs = snapshot.getJsonObject("configs");
      JsonArray converterTypes = new JsonArray();
      for (Object cid : params.getJsonArray("converter_ids", new JsonArray())) {
        String type = null;
        if (configs != null && configs.getJsonObject("converters/" + cid) != null) {
          type = configs.getJsonObject("converters/" + cid).getString("type");
        } else {
          JsonArray stored = Rows.all(c, "SELECT type FROM converters WHERE id = ?", String.valueOf(cid));
          type = stored.isEmpty() ? null : stored.getJsonObject(0).getString("type");
        }
        if (type != null) {
          converterTypes.add(type);
        }
      }
      JsonArray harms = new JsonArray();
      String dataset = params.getString("dataset_id");
      // an imported execution has no dataset: its harm categories came with it
      orchestrator.getJsonArray("harm_categories", new JsonArray()).forEach(h -> harms.add(h));
      if (dataset != null) {
        Rows.all(c, DATASET_HARMS, dataset).forEach(h -> harms.add(((JsonObject) h).getString("harm")));
      }
      JsonArray groups = new JsonArray();
      for (Object g : Rows.all(c, OUTCOMES_BY_PROBE, id, id)) {
        JsonObject group = (JsonObject) g;
        // each prompt's own harm categories, where its execution froze them; else the report takes the dataset's
        Object ownHarms = group.remove("harms");
        if (ownHarms instanceof String h && !h.isBlank()) {
          group.put("harm_categories", new JsonArray(h));
        }
        String evidence = group.getString("evidence");
        JsonArray conversations = new JsonArray();
        if (evidence != null) {
          for (String conv : evidence.split(",")) {
            if (conversations.size() < EVIDENCE_LIMIT) {
              conversations.add(conv);
            }
          }
        }
        groups.add(group.put("evidence", conversations));
      }
      out.add(new JsonObject().put("id", id).put("status", snapshot.getString("status"))
          .put("orchestrator_type", orchestrator.getString("type")).put("orchestrator_name", orchestrator.getString("name"))
          .put("labels", snapshot.getValue("labels")).put("converter_types", converterTypes).put("harm_categories", harms)
          .put("probes", groups));
    }
    return new JsonObject().put("executions", out);
  }

  /** The ids of a scan's executions (404 for a scan not in this memory). */
  JsonObject executionIds(String id) throws SQLException {
    row(id);
    JsonArray ids = new JsonArray();
    Rows.all(c, EXECUTIONS_OF, id).forEach(r -> ids.add(((JsonObject) r).getString("id")));
    return new JsonObject().put("ids", ids);
  }

  private JsonObject row(String id) throws SQLException {
    JsonArray rows = Rows.all(c, "SELECT id, name, request, plan, error, created_at, updated_at FROM scans WHERE id = ?", id);
    if (rows.isEmpty()) {
      throw Problem.notFound("scan", id);
    }
    return rows.getJsonObject(0);
  }
}
