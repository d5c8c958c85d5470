package dev.gauntlet.imports;

import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.memory.PyritSqlite;
import dev.gauntlet.verdict.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static dev.gauntlet.imports.PyritSqliteImport.badValue;
import static dev.gauntlet.imports.PyritSqliteImport.parseObject;

/**
 * One pass over each table of a PyRIT 1.x memory, every row checked and handed to the
 * {@link Landing} as it is read. Columns are read by name, so a layout with more columns than
 * Gauntlet knows still imports; a column a layout lacks reads as null.
 */
final class PyritRows {

  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "simulated_assistant", "tool", "developer");
  private static final String PIECES = "PromptMemoryEntries";
  private static final String SCORES = "ScoreEntries";
  private static final String SEEDS = "SeedPromptEntries";
  private static final String ATTACKS = "AttackResultEntries";
  /** Whether a score says the attack succeeded, in SQLite: a refusal scorer's true means the target held. */
  private static final String SUCCESS = """
      CASE WHEN s.score_value IS NULL OR s.score_type = 'unknown' THEN NULL
           WHEN lower(coalesce(CASE WHEN json_valid(s.scorer_class_identifier) THEN coalesce(
                json_extract(s.scorer_class_identifier, '$.class_name'), json_extract(s.scorer_class_identifier, '$.__type__')) END, ''))
                LIKE '%refusal%' THEN lower(s.score_value) = 'false'
           WHEN s.score_type = 'float_scale' THEN CAST(s.score_value AS REAL) >= 0.5
           ELSE lower(s.score_value) = 'true' END""";

  private final Connection db;
  private final PyritSqliteImport.PyritFile file;
  private final ImportSource source;
  private final Landing landing;
  private final String executionId;
  /** A conversation's pieces repeat its target, labels and converters: each distinct text is checked and converted once. */
  private final Memo<String> targets = new Memo<>();
  private final Memo<String> texts = new Memo<>();
  private final Memo<String> converterLists = new Memo<>();
  private final Memo<String> attackIds = new Memo<>();
  private final Memo<String> metadatas = new Memo<>();
  /** A file has a handful of scorers and score categories: each identifier converted, each category checked, once. */
  private final Memo<Scorer> scorers = new Memo<>();
  private final Memo<String> categories = new Memo<>();
  private final Memo<String> scoreMetadatas = new Memo<>();

  /** A scorer identifier in Gauntlet's form, and whether it is a refusal scorer (whose true means the target held). */
  private record Scorer(String identifier, boolean refusal) {}

  PyritRows(Connection db, PyritSqliteImport.PyritFile file, ImportSource source, Landing landing) throws SQLException {
    this.db = db;
    this.file = file;
    this.source = source;
    this.landing = landing;
    this.executionId = source.uuid("execution", firstPieceId());
  }

  /** The file's first piece: what names its execution, so the file, even grown since, maps to the same one. */
  private String firstPieceId() {
    return read(PIECES, "SELECT id FROM " + PIECES + " ORDER BY timestamp, id LIMIT 1", rs -> rs.next() ? rs.getString(1) : "empty");
  }

  // ---- seeds: a dataset per dataset name --------------------------------------------------------

  void seeds() throws Exception {
    if (!file.has(SEEDS)) {
      return;
    }
    java.util.Map<String, Long> sizes = new java.util.LinkedHashMap<>();
    read(SEEDS, "SELECT coalesce(dataset_name, ''), count(*) FROM " + SEEDS + " GROUP BY 1", rs -> {
      while (rs.next()) {
        sizes.put(rs.getString(1), rs.getLong(2));
      }
      return null;
    });
    LocalDateTime now = LocalDateTime.ofInstant(source.importedAt(), ZoneOffset.UTC);
    for (var e : sizes.entrySet()) {
      String name = e.getKey().isEmpty() ? "PyRIT seeds from " + source.fileName() : e.getKey();
      landing.row("datasets", new JsonObject().put("id", datasetId(e.getKey())).put("name", name)
          .put("description", "Imported from " + source.fileName() + " (PyRIT " + file.layoutName() + ")")
          .put("prompt_count", e.getValue()).put("created_at", now.toString()).put("updated_at", now.toString()));
    }
    String[] previous = {null};
    int[] sequence = {0};
    each(SEEDS, "SELECT " + columns(SEEDS, "id", "value", "value_sha256", "data_type", "name", "dataset_name", "harm_categories",
        "description", "authors", "groups", "source", "date_added", "added_by", "prompt_metadata", "parameters", "prompt_group_id",
        "sequence", "role", "seed_type") + " FROM " + SEEDS + " ORDER BY coalesce(dataset_name, ''), date_added, id", r -> {
      String id = uuid(SEEDS, r, "id", r.text("id"), false);
      String dataset = r.text("dataset_name") == null ? "" : r.text("dataset_name");
      if (!dataset.equals(previous[0])) {
        previous[0] = dataset;
        sequence[0] = 0;
      }
      String value = required(SEEDS, r, "value");
      JsonObject metadata = parseObject(SEEDS, id, "prompt_metadata", r.text("prompt_metadata"));
      // 1.x's role and seed type have no column in Gauntlet's seeds: they travel in the metadata
      if (r.text("role") != null || r.text("seed_type") != null) {
        metadata = metadata == null ? new JsonObject() : metadata;
        putIfAbsent(metadata, "pyrit_role", r.text("role"));
        putIfAbsent(metadata, "pyrit_seed_type", r.text("seed_type"));
      }
      landing.row(SEEDS, new JsonObject().put("id", id).put("value", value)
          .put("value_sha256", r.text("value_sha256") != null ? r.text("value_sha256") : PieceBatch.sha256(value))
          .put("data_type", r.text("data_type") == null ? "text" : r.text("data_type")).put("name", r.text("name"))
          .put("dataset_name", r.text("dataset_name")).put("harm_categories", array(SEEDS, id, r, "harm_categories"))
          .put("description", r.text("description")).put("authors", array(SEEDS, id, r, "authors"))
          .put("groups", array(SEEDS, id, r, "groups")).put("source", r.text("source"))
          .put("date_added", time(SEEDS, id, "date_added", r.text("date_added"), true).toString()).put("added_by", r.text("added_by"))
          .put("prompt_metadata", metadata).put("parameters", array(SEEDS, id, r, "parameters"))
          .put("prompt_group_id", r.text("prompt_group_id") == null ? null : uuid(SEEDS, r, "prompt_group_id", r.text("prompt_group_id"), false))
          .put("sequence", r.integer("sequence")));
      landing.row("dataset_prompts", new JsonObject().put("dataset_id", datasetId(dataset)).put("sequence", sequence[0]++)
          .put("seed_prompt_id", id));
    });
  }

  private String datasetId(String datasetName) {
    return source.uuid("dataset", datasetName);
  }

  // ---- pieces: targets from their conversation (1.1) or their own column (1.0) -------------------

  void pieces() throws Exception {
    boolean conversations = file.has("Conversations", "target_identifier");
    boolean attacks = file.has(ATTACKS);
    String attackId = file.attackIdentifier();
    String sql = "SELECT " + aliased("p", PIECES, "id", "role", "conversation_id", "sequence", "timestamp", "labels", "prompt_metadata",
        "converter_identifiers", "prompt_target_identifier", "attack_identifier", "response_error", "original_value_data_type",
        "original_value", "original_value_sha256", "converted_value_data_type", "converted_value", "converted_value_sha256",
        "original_prompt_id")
        + (conversations ? ", c.target_identifier AS conversation_target" : ", NULL AS conversation_target")
        + (attacks ? ", a.objective AS attack_objective, " + (file.has(ATTACKS, "labels") ? "a.labels" : "NULL") + " AS attack_labels, "
            + (attackId == null ? "NULL" : "a.attack_identity") + " AS attack_identity"
            : ", NULL AS attack_objective, NULL AS attack_labels, NULL AS attack_identity")
        + " FROM " + PIECES + " p"
        + (conversations ? " LEFT JOIN Conversations c ON c.conversation_id = p.conversation_id" : "")
        + (attacks ? " LEFT JOIN (SELECT conversation_id, objective, " + (file.has(ATTACKS, "labels") ? "labels" : "NULL AS labels")
            + (attackId == null ? "" : ", " + attackId + " AS attack_identity") + " FROM " + ATTACKS + " GROUP BY conversation_id) a ON a.conversation_id = p.conversation_id" : "")
        + (related().isEmpty() ? "" : " LEFT JOIN (SELECT conversation_id, min(main) AS main, min(kind) AS kind FROM (" + related()
            + ") GROUP BY conversation_id) x ON x.conversation_id = p.conversation_id");
    if (!related().isEmpty()) {
      sql = sql.replace(" FROM " + PIECES + " p", ", x.main AS related_main, x.kind AS related_kind FROM " + PIECES + " p");
    }
    each(PIECES, sql, r -> {
      UUID id = uuidOf(PIECES, r, "id", r.text("id"));
      String role = required(PIECES, r, "role");
      if (!ROLES.contains(role)) {
        throw badValue(PIECES, id, "role", "'" + clip(role) + "' is not one of " + ROLES);
      }
      String metadataText = r.text("prompt_metadata");
      String objective = r.text("attack_objective");
      String relatedMain = r.text("related_main");
      String relatedKind = r.text("related_kind");
      // a conversation's pieces mostly share their metadata and objective: each combination is parsed and written once
      String metadata = metadatas.of(Memo.key(metadataText, objective, relatedMain, relatedKind), k -> {
        JsonObject m = parseObject(PIECES, id, "prompt_metadata", metadataText);
        m = m == null ? new JsonObject() : m;
        m.put("execution_id", executionId);
        if (objective != null) {
          m.put("objective", objective);
        }
        if (relatedMain != null) {
          // the attacker's own chat, or a pruned branch, of an attack: kept apart from its results, and written back so on export
          m.put(RELATED_MAIN, relatedMain).put(RELATED_KIND, relatedKind);
        }
        return m.encode();
      });
      String targetText = r.text("prompt_target_identifier") != null ? r.text("prompt_target_identifier") : r.text("conversation_target");
      String target = targets.of(targetText, t -> encode(PyritSqlite.from1x(parseObject(PIECES, id, "prompt_target_identifier", t))));
      String labelsText = r.text("labels") != null ? r.text("labels") : r.text("attack_labels");
      String labels = texts.of(labelsText, t -> encode(parseObject(PIECES, id, "labels", t)));
      String attackText = r.text("attack_identifier") != null ? r.text("attack_identifier") : r.text("attack_identity");
      String attack = attackIds.of(attackText, t -> encode(PyritSqlite.from1x(parseObject(PIECES, id, "attack_identifier", t))));
      String converters = converterLists.of(r.text("converter_identifiers"), t -> encode(json(PIECES, id, "converter_identifiers", t)));
      String original = required(PIECES, r, "original_value");
      String converted = r.text("converted_value");
      String error = r.text("response_error");
      String originalSha = r.text("original_value_sha256") != null ? r.text("original_value_sha256") : PieceBatch.sha256(original);
      String convertedSha = r.text("converted_value_sha256") != null || converted == null ? r.text("converted_value_sha256")
          : converted.equals(original) ? originalSha : PieceBatch.sha256(converted); // unconverted: the same text, hashed once
      landing.piece(new PieceBatch.Piece(id, role, required(PIECES, r, "conversation_id"), r.integer("sequence") == null
          ? 0 : r.integer("sequence"), time(PIECES, id, "timestamp", r.text("timestamp"), true), labels, metadata,
          converters, target, attack, error == null || error.isEmpty() ? "none" : error,
          orDefault(r.text("original_value_data_type"), "text"), original, originalSha,
          orDefault(r.text("converted_value_data_type"), "text"), converted, convertedSha,
          r.text("original_prompt_id") == null ? id : uuidOf(PIECES, r, "original_prompt_id", r.text("original_prompt_id"))));
    });
  }

  // ---- scores: an undetermined one (no value, or type unknown) stays undetermined ----------------

  void scores() throws Exception {
    each(SCORES, "SELECT " + columns(SCORES, "id", "score_value", "score_value_description", "score_type", "score_category",
        "score_rationale", "score_metadata", "scorer_class_identifier", "prompt_request_response_id", "timestamp", "task", "objective")
        + " FROM " + SCORES, r -> {
      UUID id = uuidOf(SCORES, r, "id", r.text("id"));
      String type = orDefault(r.text("score_type"), "true_false");
      String value = r.text("score_value");
      boolean undetermined = !type.equals("true_false") && !type.equals("float_scale");
      String pyritType = type;
      if (undetermined) {
        // PyRIT's 'unknown' score type: no verdict; Gauntlet keeps it as an undetermined true/false score
        type = "true_false";
        value = null;
      }
      Scorer scorer = scorers.of(r.text("scorer_class_identifier"), t -> {
        JsonObject converted = PyritSqlite.from1x(parseObject(SCORES, id, "scorer_class_identifier", t));
        return converted == null ? null : new Scorer(converted.encode(),
            String.valueOf(converted.getValue("__type__", "")).toLowerCase(Locale.ROOT).contains("refusal"));
      });
      // a refusal scorer's true means the target refused: the attack failed
      Boolean refusalSuccess = value != null && scorer != null && scorer.refusal() ? value.equalsIgnoreCase("false") : null;
      // what is added to the score's own metadata depends on these two facts alone: each combination is parsed and written
      // once (a file's scores mostly share their metadata; writing it per score made JSON encoding the import's hottest
      // code, and the JIT's costliest compile)
      String metadataText = r.text("score_metadata");
      String metadata = scoreMetadatas.of(Memo.key(metadataText, undetermined ? pyritType : null,
          refusalSuccess == null ? null : refusalSuccess.toString()), k -> {
        JsonObject m = parseObject(SCORES, id, "score_metadata", metadataText);
        if (undetermined) {
          m = m == null ? new JsonObject() : m;
          m.put("pyrit_score_type", pyritType);
        }
        if (refusalSuccess != null) {
          m = m == null ? new JsonObject() : m;
          if (!m.containsKey("attack_success")) {
            m.put("attack_success", refusalSuccess);
          }
        }
        return encode(m);
      });
      String category = categories.of(r.text("score_category"), t -> {
        json(SCORES, id, "score_category", t);
        return t;
      });
      String target = r.text("prompt_request_response_id");
      landing.score(new PieceBatch.Score(id, value, r.text("score_value_description"), type, category,
          r.text("score_rationale"), metadata, scorer == null ? null : scorer.identifier(),
          target == null ? null : uuidOf(SCORES, r, "prompt_request_response_id", target),
          time(SCORES, id, "timestamp", r.text("timestamp"), true),
          r.text("objective") != null ? r.text("objective") : r.text("task")));
    });
  }

  // ---- results: one per conversation of the file -----------------------------------------------

  /** Hands over a result per conversation and returns how many. */
  int results() throws Exception {
    int[] index = {0};
    boolean attacks = file.has(ATTACKS);
    // every conversation's facts in ONE grouped pass over the pieces and their scores, read by both parts below (three
    // grouped passes, one per question, took about a third of the reading thread's CPU): its time span, whether an answer
    // failed or was blocked, the best verdict of its scores (1 attack succeeded, 0 held, -1 none), whether any score has
    // a value, whether it was answered, and its last answer (the answer of highest sequence, its id after the padded number)
    String conversations = "SELECT p.conversation_id, min(p.timestamp) AS first_at, max(p.timestamp) AS at,"
        + " max(CASE WHEN p.response_error IS NOT NULL AND p.response_error NOT IN ('none', '', 'blocked') THEN 1 ELSE 0 END) AS errored,"
        + " max(CASE WHEN p.response_error = 'blocked' THEN 1 ELSE 0 END) AS blocked,"
        + " max(coalesce((" + SUCCESS + "), -1)) AS verdict," // SQLite's comparisons are 1 or 0, NULL with no verdict
        + " max(s.score_value IS NOT NULL) AS valued,"
        + " max(CASE WHEN p.role IN ('assistant', 'simulated_assistant') THEN 1 ELSE 0 END) AS answered,"
        + " substr(max(CASE WHEN p.role IN ('assistant', 'simulated_assistant') THEN printf('%020d', p.sequence) || p.id END), 21)"
        + " AS last_answer"
        + " FROM " + PIECES + " p LEFT JOIN " + SCORES + " s ON s.prompt_request_response_id = p.id GROUP BY p.conversation_id";
    // first the attack results (their outcome speaks), then the conversations none speaks for, save the attacker's own
    // and pruned ones (their scores decide), each part in its own order
    StringBuilder excluded = new StringBuilder();
    if (attacks) {
      excluded.append(" AND c.conversation_id NOT IN (SELECT conversation_id FROM ").append(ATTACKS).append(")");
    }
    if (!related().isEmpty()) {
      excluded.append(" AND c.conversation_id NOT IN (SELECT conversation_id FROM (").append(related()).append("))");
    }
    String own = "SELECT 1 AS part, c.first_at AS k1, c.conversation_id AS k2, NULL AS id, c.conversation_id, NULL AS objective,"
        + " NULL AS outcome, NULL AS outcome_reason, c.at AS timestamp, NULL AS error_message, NULL AS answer_id, c.valued,"
        + " c.errored, c.blocked, c.verdict, c.answered FROM conv c WHERE 1 = 1" + excluded;
    String sql = "WITH conv AS MATERIALIZED (" + conversations + ") "
        + (attacks ? "SELECT 0 AS part, a.timestamp AS k1, a.id AS k2, " + aliased("a", ATTACKS, "id", "conversation_id", "objective",
            "outcome", "outcome_reason", "timestamp", "error_message") + ", coalesce("
            + (file.has(ATTACKS, "last_response_id") ? "a.last_response_id" : "NULL") + ", c.last_answer) AS answer_id,"
            + " coalesce(c.valued, 0) AS valued, NULL AS errored, NULL AS blocked, NULL AS verdict, NULL AS answered FROM " + ATTACKS
            + " a LEFT JOIN conv c ON c.conversation_id = a.conversation_id UNION ALL " : "")
        + own + " ORDER BY 1, 2, 3";
    each(attacks ? ATTACKS : PIECES, sql, r -> {
      if (r.integer("part") == 0) {
        attackResult(r, index[0]++);
      } else {
        conversationResult(r, index[0]++);
      }
    });
    return index[0];
  }

  /** An attack result: its outcome; where no score of its conversation has a value, the outcome becomes its answer's score. */
  private void attackResult(Row r, int index) throws Exception {
    String id = uuid(ATTACKS, r, "id", r.text("id"), false);
    Outcome outcome = PyritSqliteImport.outcomeOf(r.text("outcome"));
    String reason = r.text("outcome_reason") != null ? r.text("outcome_reason") : r.text("error_message");
    LocalDateTime at = time(ATTACKS, id, "timestamp", r.text("timestamp"), true);
    landing.result(executionId, index, required(ATTACKS, r, "conversation_id"), outcome,
        reason == null ? "PyRIT outcome " + r.text("outcome") : reason, at);
    if ((outcome == Outcome.ATTACK_SUCCEEDED || outcome == Outcome.HELD) && r.integer("valued") == 0 && r.text("answer_id") != null) {
      // no score of the conversation says anything: the outcome becomes its answer's score, which the dashboard counts
      boolean success = outcome == Outcome.ATTACK_SUCCEEDED;
      landing.score(new PieceBatch.Score(UUID.fromString(source.uuid("attack-outcome", id)), success ? "True" : "False",
          "PyRIT's attack outcome: " + r.text("outcome"), "true_false", null, reason,
          success ? OUTCOME_SUCCEEDED : OUTCOME_HELD, OUTCOME_SCORER,
          uuidOf(ATTACKS, r, "last_response_id", r.text("answer_id")), at, r.text("objective")));
    }
  }

  /** An attack outcome's score: its metadata either way, and its scorer (written once, not per result). */
  private static final String OUTCOME_SUCCEEDED = outcomeMetadata(true);
  private static final String OUTCOME_HELD = outcomeMetadata(false);
  private static final String OUTCOME_SCORER = new JsonObject().put("__type__", "AttackResult").put("__module__", "pyrit.models")
      .put("name", "PyRIT attack outcome").encode();

  private static String outcomeMetadata(boolean success) {
    return new JsonObject().put("attack_success", success).put("source", "AttackResultEntries.outcome").encode();
  }

  /** A conversation no attack result speaks for: its scores decide, else its answers' errors. */
  private void conversationResult(Row r, int index) throws Exception {
    String conversation = r.text("conversation_id");
    int verdict = r.integer("verdict") == null ? -1 : r.integer("verdict");
    Outcome outcome;
    String reason;
    if (verdict == 1) {
      outcome = Outcome.ATTACK_SUCCEEDED;
      reason = "a score says the attack succeeded";
    } else if (r.integer("blocked") == 1) {
      outcome = Outcome.HELD;
      reason = "blocked";
    } else if (r.integer("errored") == 1) {
      outcome = Outcome.ERROR;
      reason = "the target answered with an error";
    } else if (verdict == 0) {
      outcome = Outcome.HELD;
      reason = "no score says the attack succeeded";
    } else {
      outcome = Outcome.UNSCORED;
      reason = r.integer("answered") == 1 ? "no scorer gave a verdict" : "no answer";
    }
    landing.result(executionId, index, conversation, outcome, reason, time(PIECES, conversation, "timestamp", r.text("timestamp"), false));
  }

  static final String RELATED_MAIN = "pyrit_attack_conversation_id";
  static final String RELATED_KIND = "pyrit_conversation_type";
  private String related;

  /**
   * The conversations an attack result lists as its attacker's chat or as pruned, with the attack's
   * own conversation ({@code conversation_id, main, kind}), as a query; empty for none. Pieces of
   * an earlier export carry the same in their metadata.
   */
  private String related() {
    if (related != null) {
      return related;
    }
    List<String> parts = new ArrayList<>();
    for (String[] list : new String[][] {{"adversarial_chat_conversation_ids", "adversarial"}, {"pruned_conversation_ids", "pruned"}}) {
      if (file.has(ATTACKS, list[0])) {
        parts.add("SELECT j.value AS conversation_id, a.conversation_id AS main, '" + list[1] + "' AS kind FROM " + ATTACKS
            + " a, json_each(CASE WHEN json_valid(a." + list[0] + ") THEN a." + list[0] + " ELSE '[]' END) j");
      }
    }
    if (file.has(PIECES, "prompt_metadata")) {
      parts.add("SELECT conversation_id, json_extract(prompt_metadata, '$." + RELATED_MAIN + "') AS main, json_extract(prompt_metadata, '$."
          + RELATED_KIND + "') AS kind FROM " + PIECES + " WHERE prompt_metadata LIKE '%" + RELATED_MAIN + "%' AND json_valid(prompt_metadata)"
          + " AND json_extract(prompt_metadata, '$." + RELATED_MAIN + "') IS NOT NULL");
    }
    related = String.join(" UNION ALL ", parts);
    return related;
  }

  /** The file's execution: the first attack's class and labels, PyRIT's version, the span of its pieces. */
  ImportedExecution execution(int results) {
    String type = null;
    JsonObject labels = null;
    if (file.has(ATTACKS)) {
      String attackColumn = file.attackIdentifier();
      String[] first = read(ATTACKS, "SELECT " + (attackColumn == null ? "NULL" : attackColumn) + ", "
          + (file.has(ATTACKS, "labels") ? "labels" : "NULL") + " FROM " + ATTACKS + " ORDER BY timestamp, id LIMIT 1",
          rs -> rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null);
      if (first != null) {
        JsonObject attack = safeObject(first[0]);
        type = attack == null ? null : attack.getString("class_name", attack.getString("__type__"));
        labels = safeObject(first[1]);
      }
    }
    if (labels == null && file.has(PIECES, "labels")) {
      labels = safeObject(read(PIECES, "SELECT labels FROM " + PIECES + " WHERE labels IS NOT NULL ORDER BY timestamp, id LIMIT 1",
          rs -> rs.next() ? rs.getString(1) : null));
    }
    String version = file.has(PIECES, "pyrit_version")
        ? read(PIECES, "SELECT pyrit_version FROM " + PIECES + " WHERE pyrit_version IS NOT NULL ORDER BY timestamp DESC, id LIMIT 1",
            rs -> rs.next() ? rs.getString(1) : null) : null;
    String[] span = read(PIECES, "SELECT min(timestamp), max(timestamp) FROM " + PIECES, rs -> {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    });
    return new ImportedExecution(executionId, "PyRIT " + file.layoutName() + " memory: " + source.fileName(),
        type == null ? "PyRIT" : type, version != null ? version : "1.x (layout " + file.layoutName() + ")", labels, results,
        span[0] == null ? null : time(PIECES, "first", "timestamp", span[0], false),
        span[1] == null ? null : time(PIECES, "last", "timestamp", span[1], false), harmCategories());
  }

  /** The harm categories the file's attacks targeted (1.1: on attack results, 1.0: on pieces), as the standards table names them. */
  private List<String> harmCategories() {
    String table = file.has(ATTACKS, "targeted_harm_categories") ? ATTACKS : file.has(PIECES, "targeted_harm_categories") ? PIECES : null;
    if (table == null) {
      return List.of();
    }
    return read(table, "SELECT DISTINCT j.value FROM " + table + " t, json_each(CASE WHEN json_valid(t.targeted_harm_categories) "
        + "THEN t.targeted_harm_categories ELSE '[]' END) j WHERE j.type = 'text' ORDER BY 1 LIMIT 100", rs -> {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1).trim().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_"));
      }
      return out;
    });
  }

  // ---- reading --------------------------------------------------------------------------------

  /** The converted form of recently seen texts (a few thousand at most), so repeated JSON is parsed once. */
  static final class Memo<T> {
    private static final Object NONE = new Object();
    private final java.util.LinkedHashMap<String, Object> seen = new java.util.LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(java.util.Map.Entry<String, Object> eldest) {
        return size() > 4096;
      }
    };

    /**
     * One text standing for several, each possibly null: every part length-prefixed and a null
     * marked apart, so no two different combinations share a key (file text may hold any
     * character, and an objective may be the word null).
     */
    static String key(String... parts) {
      StringBuilder k = new StringBuilder();
      for (String part : parts) {
        if (part == null) {
          k.append('-');
        } else {
          k.append(part.length()).append(':').append(part);
        }
      }
      return k.toString();
    }

    @SuppressWarnings("unchecked")
    T of(String text, java.util.function.Function<String, T> convert) {
      if (text == null) {
        return null;
      }
      Object done = seen.get(text);
      if (done == null) {
        T converted = convert.apply(text);
        seen.put(text, converted == null ? NONE : converted);
        return converted;
      }
      return done == NONE ? null : (T) done;
    }
  }

  /**
   * A row by column name; a column the query did not select reads as null. Each value is fetched
   * from SQLite once per row (a handler asks for some several times): every fetch is a native
   * call that copies and decodes the text.
   */
  static final class Row {
    private final ResultSet rs;
    private final java.util.Map<String, Integer> index;
    private final String[] texts;
    private final boolean[] fetched;

    Row(ResultSet rs, java.util.Map<String, Integer> index, int columns) {
      this.rs = rs;
      this.index = index;
      this.texts = new String[columns + 1];
      this.fetched = new boolean[columns + 1];
    }

    /** The cursor moved on: values fetched before are another row's. */
    void next() {
      java.util.Arrays.fill(fetched, false);
    }

    String text(String column) throws SQLException {
      Integer i = index.get(column);
      if (i == null) {
        return null;
      }
      if (!fetched[i]) {
        texts[i] = rs.getString(i);
        fetched[i] = true;
      }
      return texts[i];
    }

    Integer integer(String column) throws SQLException {
      Integer i = index.get(column);
      if (i == null) {
        return null;
      }
      long v = rs.getLong(i);
      return rs.wasNull() ? null : (int) v;
    }
  }

  interface RowHandler {
    void handle(Row row) throws Exception;
  }

  interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Streams a query's rows; a read error (a damaged or truncated file) is refused naming the table. */
  private void each(String table, String sql, RowHandler handler) throws Exception {
    try (Statement s = db.createStatement()) {
      s.setFetchSize(1024);
      try (ResultSet rs = s.executeQuery(sql)) {
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          index.put(rs.getMetaData().getColumnLabel(i), i);
        }
        Row row = new Row(rs, index, rs.getMetaData().getColumnCount());
        while (rs.next()) {
          row.next();
          handler.handle(row);
        }
      }
    } catch (SQLException e) {
      throw ImportSource.refuse("table " + table, "unreadable, the file is damaged or truncated (" + e.getMessage() + ")");
    }
  }

  private <T> T read(String table, String sql, Reader<T> reader) {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return reader.read(rs);
    } catch (SQLException e) {
      throw ImportSource.refuse("table " + table, "unreadable, the file is damaged or truncated (" + e.getMessage() + ")");
    }
  }

  /** The named columns the table has, each selected under its own name (NULL for one it lacks). */
  private String columns(String table, String... names) {
    return aliased(null, table, names);
  }

  private String aliased(String alias, String table, String... names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(file.has(table, n) ? (alias == null ? "" : alias + ".") + "\"" + n + "\" AS " + n : "NULL AS " + n);
    }
    return String.join(", ", out);
  }

  private static String required(String table, Row r, String column) throws SQLException {
    String v = r.text(column);
    if (v == null) {
      throw badValue(table, r.text("id") == null ? "?" : clip(r.text("id")), column, "missing, but required");
    }
    return v;
  }

  /** A UUID column's value, in either of PyRIT's forms (with or without dashes), as text; null where allowed and missing. */
  private static String uuid(String table, Row r, String column, String value, boolean nullable) throws SQLException {
    if (value == null && nullable) {
      return null;
    }
    return uuidOf(table, r, column, value).toString();
  }

  /** A required UUID column's value, in either of PyRIT's forms. */
  private static UUID uuidOf(String table, Row r, String column, String value) throws SQLException {
    if (value == null) {
      throw badValue(table, "?", column, "missing, but required");
    }
    String v = value.trim();
    if (v.length() == 32 && v.matches("[0-9a-fA-F]{32}")) {
      v = v.substring(0, 8) + "-" + v.substring(8, 12) + "-" + v.substring(12, 16) + "-" + v.substring(16, 20) + "-" + v.substring(20);
    }
    try {
      if (v.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      throw badValue(table, column.equals("id") ? "'" + clip(value) + "'" : clip(r.text("id")), column, "not a UUID");
    }
  }

  /** SQLAlchemy's SQLite DATETIME text ({@code 2025-01-31 09:15:02.123456}), or ISO-8601 with an offset. */
  static LocalDateTime time(String table, Object rowId, String column, String text, boolean required) {
    if (text == null) {
      if (required) {
        throw badValue(table, rowId, column, "missing, but required");
      }
      return null;
    }
    LocalDateTime fast = fastTime(text);
    if (fast != null) {
      return fast;
    }
    String t = text.trim().replace(' ', 'T');
    try {
      if (t.endsWith("Z") || t.matches(".*T.*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
      }
      return LocalDateTime.parse(t);
    } catch (DateTimeParseException e) {
      throw badValue(table, rowId, column, "'" + clip(text) + "' is not a time");
    }
  }

  /** SQLAlchemy's own form, {@code 2025-01-31 09:15:02[.ffffff]}, read without a general parser; null for anything else. */
  private static LocalDateTime fastTime(String s) {
    int n = s.length();
    if ((n != 19 && (n < 21 || n > 26)) || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' ' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || (n > 19 && s.charAt(19) != '.')) {
      return null;
    }
    int nanos = 0;
    for (int i = 20; i < 29; i++) {
      int d = i < n ? s.charAt(i) - '0' : 0;
      if (d < 0 || d > 9) {
        return null;
      }
      nanos = nanos * 10 + d;
    }
    int[] f = new int[6];
    int[][] at = {{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}};
    for (int k = 0; k < 6; k++) {
      int v = 0;
      for (int i = at[k][0]; i < at[k][1]; i++) {
        int d = s.charAt(i) - '0';
        if (d < 0 || d > 9) {
          return null;
        }
        v = v * 10 + d;
      }
      f[k] = v;
    }
    try {
      return LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5], nanos);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static Object json(String table, Object rowId, String column, String text) {
    if (text == null || text.isBlank() || text.equals("null")) {
      return null;
    }
    try {
      return io.vertx.core.json.Json.decodeValue(text);
    } catch (RuntimeException e) {
      throw badValue(table, rowId, column, "not valid JSON");
    }
  }

  private static JsonArray array(String table, Object rowId, Row r, String column) throws SQLException {
    Object v = json(table, rowId, column, r.text(column));
    if (v == null) {
      return null;
    }
    if (v instanceof JsonArray a) {
      return a;
    }
    throw badValue(table, rowId, column, "not a JSON list");
  }

  private static JsonObject safeObject(String text) {
    try {
      return text == null ? null : new JsonObject(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String encode(Object json) {
    if (json == null) {
      return null;
    }
    return json instanceof JsonObject o ? (o.isEmpty() ? "{}" : o.encode()) : json instanceof JsonArray a ? a.encode() : io.vertx.core.json.Json.encode(json);
  }

  private static void putIfAbsent(JsonObject o, String key, String value) {
    if (value != null && !o.containsKey(key)) {
      o.put(key, value);
    }
  }

  private static String orDefault(String v, String otherwise) {
    return v == null || v.isEmpty() ? otherwise : v;
  }

  private static String clip(String s) {
    if (s == null) {
      return "?";
    }
    String one = s.replaceAll("\\p{Cntrl}", " ");
    return one.length() > 60 ? one.substring(0, 60) + "…" : one;
  }
}
