package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.scorer.ScoreResult;
import dev.gauntlet.scorer.Scorer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one re-scoring job: reads the job's frozen answers {@value #BATCH} at a time (fewer when
 * many scorers would make a commit too large), scores each batch on the event loop in slices of
 * {@value #SLICE} answers (a judge that calls a model leaves its futures pending and the batch
 * waits for them), and commits each batch's scores with the job's new position in one
 * transaction, batches in order. The next batch is read while one is scored, and one is scored
 * while the one before commits, so the shard and the event loop work side by side. The committed
 * position is the only progress that counts: a cancel, a stop or a crash resumes after the last
 * committed batch, and nothing is scored twice. Nothing is sent to the execution's target: the
 * runner has no generator but a judge's.
 */
final class RescoreRunner {

  private static final Logger LOG = Logger.getLogger(RescoreRunner.class.getName());
  static final int BATCH = 10_000;
  /** Scores a commit holds at most: under {@link PieceBatch#MAX_ROWS}, so a batch also crosses a cluster's JSON codec. */
  static final int MAX_SCORES_PER_COMMIT = 40_000;
  static final int SLICE = 1_000;

  private final Vertx vertx;
  private final MemoryClient memory;
  private final Resolver resolver;
  private final MemoryOwner owner;
  private final String jobId;
  private final String progressAddress;
  private final Promise<String> finished = Promise.promise();
  private final Promise<Void> drained = Promise.promise();
  private int batchSize;

  private List<Part<Scorer>> scorers;
  private String executionId;
  private String status = "queued";
  private boolean cancelled;
  private boolean paused;
  private int total;
  private int done;
  private int doneAtStart;
  private long scores;
  private long scorerFailures;
  private long startedNanos;

  RescoreRunner(Vertx vertx, MemoryClient memory, Resolver resolver, MemoryOwner owner, String jobId, int batchSize) {
    this.batchSize = batchSize;
    this.vertx = vertx;
    this.memory = memory;
    this.resolver = resolver;
    this.owner = owner;
    this.jobId = jobId;
    this.progressAddress = Progress.address(owner.username());
  }

  String jobId() {
    return jobId;
  }

  MemoryOwner owner() {
    return owner;
  }

  /** Completes with the final status once the job ends, however it ends. */
  Future<String> finished() {
    return finished.future();
  }

  void start() {
    memory.rescores(owner).get(jobId, true)
        .compose(this::prepare)
        .onFailure(t -> end("failed", t.getMessage() != null ? t.getMessage() : t.toString()));
  }

  /** Stops after the batches under way are committed; the job ends "cancelled" and can be resumed. */
  void cancel() {
    cancelled = true;
  }

  /**
   * Stops after the batches under way are committed, for a graceful shutdown: the job stays
   * "running" in memory and resumes at the next start. Completes once they are (or after
   * {@code maxWaitMs}: what is then uncommitted is scored again on resume).
   */
  Future<Void> pause(long maxWaitMs) {
    paused = true;
    if (!"running".equals(status)) {
      drained.tryComplete();
    }
    long timer = vertx.setTimer(Math.max(1, maxWaitMs), id -> drained.tryComplete());
    finished.future().onComplete(ar -> drained.tryComplete());
    return drained.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private Future<Void> prepare(JsonObject job) {
    String state = job.getString("status");
    if (!"queued".equals(state) && !"running".equals(state)) {
      finished.tryComplete(state);
      return Future.succeededFuture();
    }
    executionId = job.getString("execution_id");
    total = job.getInteger("total");
    done = job.getInteger("done");
    doneAtStart = done;
    scores = job.getLong("scores", 0L);
    JsonArray ids = job.getJsonArray("scorer_ids");
    // built from the configurations resolved at launch: editing a scorer now changes nothing here
    return resolver.resolve(owner, job.getJsonObject("configs"))
        .map(resolved -> resolved.scorerParts(ids))
        .compose(parts -> {
          scorers = parts;
          batchSize = Math.max(1, Math.min(batchSize, MAX_SCORES_PER_COMMIT / Math.max(1, parts.size())));
          return memory.rescores(owner).update(jobId, "running", null, false, false);
        })
        .map(row -> {
          status = "running";
          startedNanos = System.nanoTime();
          publish();
          step(done, read(done), Future.succeededFuture());
          return null;
        });
  }

  private Future<JsonObject> read(int from) {
    if (from >= total) {
      return Future.succeededFuture(null);
    }
    return memory.rescores(owner).answers(jobId, from, Math.min(batchSize, total - from));
  }

  /**
   * One batch: once its answers are read, the next read starts, the batch is scored, and its
   * commit is queued behind the previous batch's; the next step waits for that previous commit,
   * so at most one commit, one scoring and one read are under way.
   */
  private void step(int from, Future<JsonObject> reading, Future<Void> committing) {
    reading.onComplete(read -> {
      if (read.failed()) {
        committing.onComplete(c -> end("failed", "answers could not be read: " + read.cause().getMessage()));
        return;
      }
      if (from >= total || cancelled || paused || finished.future().isComplete()) {
        committing.onComplete(c -> stopAt(from, c.failed()));
        return;
      }
      int count = Math.min(batchSize, total - from);
      int to = from + count;
      Future<JsonObject> following = to < total ? read(to) : Future.succeededFuture(null);
      Future<Void> committed = score(read.result())
          .compose(batch -> committing.compose(v -> commit(from, count, batch, 0)));
      committing.onComplete(c -> {
        if (c.failed()) {
          stopAt(from, true);
        } else {
          step(to, following, committed);
        }
      });
    });
  }

  private void stopAt(int from, boolean commitFailed) {
    if (finished.future().isComplete()) {
      return;
    }
    if (commitFailed) {
      end("failed", "scores could not be stored");
    } else if (paused) {
      drained.tryComplete();
    } else if (cancelled && from < total) {
      end("cancelled", null);
    } else {
      end("completed", null);
    }
  }

  /** Scores a batch in slices, handing the event loop back between slices. */
  private Future<PieceBatch> score(JsonObject answers) {
    JsonArray ids = answers.getJsonArray("piece_ids");
    List<PieceBatch.Score> rows = new ArrayList<>(ids.size() * scorers.size());
    List<Future<?>> pending = new ArrayList<>();
    Promise<PieceBatch> scored = Promise.promise();
    slice(answers, 0, rows, pending, scored);
    return scored.future();
  }

  private void slice(JsonObject answers, int from, List<PieceBatch.Score> rows, List<Future<?>> pending,
                     Promise<PieceBatch> scored) {
    JsonArray ids = answers.getJsonArray("piece_ids");
    JsonArray responses = answers.getJsonArray("responses");
    JsonArray prompts = answers.getJsonArray("prompts");
    JsonArray objectives = answers.getJsonArray("objectives");
    JsonArray toolCalls = answers.getJsonArray("tool_calls");
    int to = Math.min(ids.size(), from + SLICE);
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    try {
      for (int i = from; i < to; i++) {
        String id = ids.getString(i);
        if (id == null) {
          continue; // the answer piece went away after the job froze it
        }
        UUID piece = UUID.fromString(id);
        String objective = objectives.getString(i);
        ScoreInput input = new ScoreInput(responses.getString(i), prompts.getString(i), objective,
            toolCalls == null ? null : toolCalls.getJsonArray(i));
        for (Part<Scorer> s : scorers) {
          Future<List<ScoreResult>> f;
          try {
            f = s.value().score(input);
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          if (f.isComplete()) {
            add(rows, f, piece, s, objective, now);
          } else {
            pending.add(f.onComplete(ar -> add(rows, ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()),
                piece, s, objective, LocalDateTime.now(ZoneOffset.UTC))));
          }
        }
      }
    } catch (RuntimeException e) {
      scored.fail(e);
      return;
    }
    if (to < ids.size()) {
      vertx.runOnContext(v -> slice(answers, to, rows, pending, scored));
      return;
    }
    Future.join(new ArrayList<>(pending)).onComplete(ar -> scored.complete(new PieceBatch(List.of(), rows)));
  }

  private void add(List<PieceBatch.Score> rows, Future<List<ScoreResult>> f, UUID piece, Part<Scorer> s, String objective,
                   LocalDateTime now) {
    if (f.failed()) {
      // a judge that could not answer adds no score; the job counts it
      scorerFailures++;
      return;
    }
    for (ScoreResult r : f.result()) {
      rows.add(new PieceBatch.Score(PieceIds.next(), r.value(), r.description(), r.type(), r.category(), r.rationale(),
          encoded(r.metadata()), s.identifierJson(), piece, now, objective));
    }
  }

  private JsonObject lastMetadata;
  private String lastMetadataJson;

  /** A score's metadata as text: most scores of a scorer repeat the same few ({@code {"attack_success": false}}), encoded once. */
  private String encoded(JsonObject metadata) {
    if (metadata == null) {
      return null;
    }
    if (!metadata.equals(lastMetadata)) {
      lastMetadata = metadata;
      lastMetadataJson = metadata.encode();
    }
    return lastMetadataJson;
  }

  /** Commits one batch; retried a few times (a resent batch is recognised by its position and stored once). */
  private Future<Void> commit(int from, int count, PieceBatch batch, int attempt) {
    return memory.rescores(owner).commit(jobId, from, count, batch).<Void>map(reply -> {
      done = reply.getInteger("done");
      scores += reply.getInteger("scores");
      publish();
      return null;
    }).recover(t -> {
      if (attempt >= 4) {
        LOG.log(Level.SEVERE, "rescore " + jobId + " could not commit answers " + from + ".." + (from + count), t);
        return Future.failedFuture(t);
      }
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(200L << attempt, id -> commit(from, count, batch, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  private void end(String state, String error) {
    if (finished.future().isComplete()) {
      return;
    }
    status = state;
    memory.rescores(owner).update(jobId, state, error, true, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.SEVERE, "could not record the end of rescore " + jobId, ar.cause());
      }
      publish();
      finished.tryComplete(state);
    });
  }

  JsonObject progress() {
    double elapsed = startedNanos == 0 ? 0 : (System.nanoTime() - startedNanos) / 1e9;
    double rate = elapsed > 0 ? (done - doneAtStart) / elapsed : 0;
    JsonObject p = new JsonObject().put("total", total).put("done", done).put("scores", scores)
        .put("scorer_failures", scorerFailures).put("rate_per_s", Math.round(rate * 10) / 10.0);
    if (rate > 0 && "running".equals(status)) {
      p.put("eta_s", Math.round((total - done) / rate * 10) / 10.0);
    } else {
      p.putNull("eta_s");
    }
    return p;
  }

  JsonObject status() {
    return new JsonObject().put("id", jobId).put("kind", "rescore").put("execution_id", executionId).put("status", status)
        .put("progress", progress());
  }

  private void publish() {
    vertx.eventBus().publish(progressAddress, status());
  }
}
