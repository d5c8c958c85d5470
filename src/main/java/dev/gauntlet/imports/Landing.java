package dev.gauntlet.imports;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.ImportStore;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.verdict.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What an importer hands its rows to. Rows are buffered and staged every {@value #BATCH_ROWS}
 * rows, with one batch in flight while the importer reads the next, so memory stays bounded
 * however large the file; nothing reaches the user's real tables until the whole file has been
 * read ({@link ImportRunner} commits it then, in one transaction). Counts are kept per table.
 */
public final class Landing {

  public static final int BATCH_ROWS = 8_192;
  private static final long WAIT_SECONDS = 300;

  private final LandingTarget target;
  private final String importId;
  private final ImportSource source;
  private final ImportFormat format;
  private List<PieceBatch.Piece> pieces = new ArrayList<>();
  private List<PieceBatch.Score> scores = new ArrayList<>();
  private Map<String, JsonArray> rows = new LinkedHashMap<>();
  private int buffered;
  private CompletableFuture<JsonObject> inFlight;
  private final Map<String, Long> counts = new LinkedHashMap<>();

  Landing(LandingTarget target, String importId, ImportSource source, ImportFormat format) {
    this.target = target;
    this.importId = importId;
    this.source = source;
    this.format = format;
  }

  /** A prompt or response piece, in Gauntlet's (PyRIT's) piece layout. */
  public void piece(PieceBatch.Piece p) throws Exception {
    pieces.add(p);
    added("PromptMemoryEntries");
  }

  /** A score of a piece; a null value is an undetermined score, kept as such. */
  public void score(PieceBatch.Score s) throws Exception {
    scores.add(s);
    added("ScoreEntries");
  }

  /**
   * A row of another table ({@code executions}, {@code execution_results}, {@code SeedPromptEntries},
   * {@code datasets}, {@code dataset_prompts}), by column name; JSON columns take a JsonObject or
   * JsonArray, times an ISO-8601 string or a LocalDateTime.
   */
  public void row(String table, JsonObject row) throws Exception {
    rows.computeIfAbsent(table, t -> new JsonArray()).add(row);
    added(table);
  }

  /** An execution of kind {@code imported}, with where it came from. */
  public void execution(ImportedExecution e) throws Exception {
    row("executions", e.toRow(format.tool(), source));
  }

  /**
   * One result of an imported execution: a conversation and its outcome (Gauntlet's four).
   * {@code index} orders the results; a re-import keys them by conversation.
   */
  public void result(String executionId, int index, String conversationId, Outcome outcome, String reason, LocalDateTime at)
      throws Exception {
    // as a row of values in ImportStore.RESULT_COLUMNS' order, the time as epoch microseconds: no per-row object of named
    // columns, no time written as text and parsed back (a fifth of the storing thread's CPU on a PyRIT import)
    LocalDateTime when = at == null ? LocalDateTime.now(java.time.ZoneOffset.UTC) : at;
    boolean error = outcome == Outcome.ERROR;
    rows.computeIfAbsent(ImportStore.RESULTS, t -> new JsonArray()).add(new JsonArray(java.util.Arrays.asList(executionId, index,
        conversationId, error ? "failed" : "succeeded", outcome == Outcome.ATTACK_SUCCEEDED, outcome.value(), reason,
        error ? reason : null, error ? "imported" : null, ImportStore.epochMicros(when))));
    added(ImportStore.RESULTS);
  }

  /** Rows handed over so far, per table. */
  public Map<String, Long> counts() {
    return java.util.Collections.unmodifiableMap(counts);
  }

  private void added(String table) throws Exception {
    counts.merge(table, 1L, Long::sum);
    if (++buffered >= BATCH_ROWS) {
      flush();
    }
  }

  /** Stages what is buffered; waits for the batch before it first, so at most two are held at once. */
  void flush() throws Exception {
    if (buffered == 0) {
      return;
    }
    awaitInFlight();
    PieceBatch batch = pieces.isEmpty() && scores.isEmpty() ? null : new PieceBatch(pieces, scores);
    JsonObject tables = rows.isEmpty() ? null : new JsonObject(new LinkedHashMap<>(rows));
    pieces = new ArrayList<>();
    scores = new ArrayList<>();
    rows = new LinkedHashMap<>();
    buffered = 0;
    inFlight = target.stage(importId, batch, tables);
  }

  /** Everything staged: the last batch sent and stored. */
  void finish() throws Exception {
    flush();
    awaitInFlight();
  }

  private void awaitInFlight() throws Exception {
    if (inFlight != null) {
      CompletableFuture<JsonObject> f = inFlight;
      inFlight = null;
      await(f);
    }
  }

  static JsonObject await(CompletableFuture<JsonObject> f) throws Exception {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception x) {
        throw x;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new Problem(503, "import_timeout", "the memory did not store a batch of the import within " + WAIT_SECONDS + " s");
    }
  }
}
