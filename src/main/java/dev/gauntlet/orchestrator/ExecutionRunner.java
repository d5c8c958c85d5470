package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.ExecutionUpdate;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.verdict.Outcome;
import dev.gauntlet.verdict.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import dev.gauntlet.generator.ToolCalls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one execution: keeps {@code concurrency} prompts in flight, and commits finished prompts
 * to memory in batches, each batch's pieces, scores and result rows in one transaction. A
 * prompt counts as done only once committed, so after a crash the execution resumes from the
 * committed prompts: none is skipped, and only those in flight at the crash are sent again.
 */
final class ExecutionRunner {

  private static final Logger LOG = Logger.getLogger(ExecutionRunner.class.getName());
  static final int FLUSH_PROMPTS = 256;
  /**
   * How long a finished prompt may wait for others to share its commit. Against a slow target
   * (200 ms, concurrency 64) commits of a few dozen prompts every 100 ms cost the memory worker
   * about 0.5 ms of CPU a prompt, every 250 ms 0.35 ms (bench/execution.sh --latency 200
   * --concurrency 64 --threads); progress still shows several times a second, and a crash still
   * re-sends only uncommitted prompts.
   */
  static final long FLUSH_MS = 250;
  static final int MAX_BUFFERED = 4096;
  static final int STARTS_PER_TURN = 4;
  /** The final status of a run that sent every prompt but has errors or unscored results among them. */
  static final String COMPLETED_WITH_ERRORS = "completed_with_errors";

  private final Vertx vertx;
  private final MemoryClient memory;
  private final Resolver resolver;
  private final MemoryOwner owner;
  private final String executionId;
  private final String progressAddress;
  private final Promise<String> finished = Promise.promise();

  private Orchestration orchestration;
  private List<String> prompts;
  /** Each frozen prompt's own system prompt (null where it has none), or null when no prompt has one. */
  private List<String> systemPrompts;
  /** Each frozen prompt's own tools (null where it has none), or null when no prompt has any. */
  private JsonArray tools;
  private final ArrayDeque<Integer> queue = new ArrayDeque<>();
  private final List<PromptOutcome> buffer = new ArrayList<>();
  private int concurrency;
  private int inFlight;
  private boolean flushing;
  private boolean pumping;
  private long flushTimer = -1;
  private boolean cancelled;
  private boolean paused;
  private boolean abandoned;
  /** Why the run was stopped early ({@code max_error_rate}), or null. */
  private String stoppedBecause;
  private String status = "queued";
  private int total;
  private int done;
  private int succeeded;
  private int failed;
  /** Committed prompts per outcome, indexed by {@link Outcome#ordinal()}. */
  private final int[] outcomes = new int[Outcome.values().length];
  /** Error classes of the committed errors, counted: what a stop for {@code max_error_rate} reports. */
  private final java.util.Map<String, Integer> errorClasses = new java.util.TreeMap<>();
  private ErrorBudget errorBudget = ErrorBudget.OFF;
  /** The provider budgets this run's generators draw from, their hosts, and why the run waits for them (null: it does not). */
  private final dev.gauntlet.budget.ProviderBudgets budgets;
  private Set<String> hosts = Set.of();
  private String heldBecause;
  private long holdTimer = -1;
  static final long HOLD_CHECK_MS = 1000;
  private int doneAtStart;
  private long startedNanos;
  /** In cluster mode, this node's lease token for the execution; its reads and writes carry it (0: alone). */
  private long fence;

  ExecutionRunner(Vertx vertx, MemoryClient memory, Resolver resolver, MemoryOwner owner, String executionId) {
    this.vertx = vertx;
    this.memory = memory;
    this.resolver = resolver;
    this.owner = owner;
    this.executionId = executionId;
    this.progressAddress = Progress.address(owner.username());
    this.budgets = dev.gauntlet.budget.ProviderBudgets.of(vertx);
  }

  /** Runs under the execution's lease with {@code token}: the memory refuses this runner's writes once a newer holder's have come. */
  ExecutionRunner fencedBy(long token) {
    this.fence = token;
    return this;
  }

  /** Completes with the final status once the execution ends, however it ends. */
  Future<String> finished() {
    return finished.future();
  }

  String executionId() {
    return executionId;
  }

  MemoryOwner owner() {
    return owner;
  }

  void start() {
    // what is already committed is read beside the snapshot, not after it: one round trip less before the first prompt
    Future<JsonObject> committed = executions().done(executionId, fence);
    executions().snapshot(executionId)
        .compose(execution -> prepare(execution, committed))
        .onFailure(t -> end("failed", t.getMessage() != null ? t.getMessage() : t.toString()));
  }

  /**
   * Starts an execution just launched, from the snapshot its creation answered ({@link Launcher}):
   * a new execution has nothing committed, so neither its snapshot nor its results are read
   * again; its first prompts leave one memory round trip sooner than {@link #start()}'s.
   */
  void start(JsonObject launched) {
    prepare(launched, Future.succeededFuture(new JsonObject().put("indexes", new JsonArray())))
        .onFailure(t -> end("failed", t.getMessage() != null ? t.getMessage() : t.toString()));
  }

  /**
   * Stops sending new prompts for a graceful shutdown and completes once what is in flight has
   * been committed (or after {@code maxWaitMs}); the execution stays "running" in memory and
   * resumes at the next start. Prompts still in flight after {@code maxWaitMs} are abandoned:
   * whatever they end with (typically the connection failures of the shutdown itself) is not
   * committed, so the resumed execution sends them again.
   */
  Future<Void> pause(long maxWaitMs) {
    paused = true;
    queue.clear();
    cancelHold();
    Promise<Void> drained = Promise.promise();
    long deadline = System.currentTimeMillis() + maxWaitMs;
    vertx.setPeriodic(50, id -> {
      if (inFlight == 0 && !buffer.isEmpty() && !flushing) {
        flush();
      }
      if ((inFlight == 0 && buffer.isEmpty() && !flushing) || finished.future().isComplete()
          || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        abandoned = true;
        drained.tryComplete();
      }
    });
    return drained.future();
  }

  void cancel() {
    cancelled = true;
    queue.clear();
    checkDone();
  }

  /** The labels given when the execution was launched, stored with it as JSON. */
  private static JsonObject launchLabels(JsonObject execution) {
    Object v = execution.getValue("labels");
    return v instanceof JsonObject o ? o : v instanceof String text && !text.isBlank() ? new JsonObject(text) : null;
  }

  private Future<Void> prepare(JsonObject execution, Future<JsonObject> committedRows) {
    String state = execution.getString("status");
    if (!"queued".equals(state) && !"running".equals(state) && !ExecutionUpdate.PAUSED.equals(state)) {
      finished.tryComplete(state);
      return Future.succeededFuture();
    }
    JsonObject snapshot = execution.getJsonObject("orchestrator");
    String type = snapshot.getString("type");
    var spec = Orchestrators.catalog().get(type);
    JsonObject params = spec.schema().validate(snapshot.getJsonObject("parameters"));
    JsonObject configs = execution.getJsonObject("configs");
    JsonArray frozen = execution.getJsonArray("prompts");
    JsonArray frozenSystem = execution.getJsonArray("system_prompts");
    if (frozenSystem != null) {
      systemPrompts = new ArrayList<>(frozenSystem.size());
      frozenSystem.forEach(v -> systemPrompts.add((String) v));
    }
    tools = execution.getJsonArray("tools");
    // launched before executions kept their snapshot: from the stored configurations, as then
    Future<Resolver.Resolved> parts = configs != null ? resolver.resolve(owner, configs)
        : resolver.resolveReferences(owner, ConfigKind.ORCHESTRATORS, type, params);
    Future<List<String>> sent = frozen != null ? Future.succeededFuture(strings(frozen)) : promptsOf(params);
    return parts
        .compose(resolved -> sent.map(list -> {
          JsonObject labels = new JsonObject();
          // the orchestrator's labels, then the ones given at launch: both reach every piece
          for (JsonObject given : new JsonObject[] {params.getJsonObject("labels"), launchLabels(execution)}) {
            if (given != null) {
              given.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
            }
          }
          labels.put("execution_id", executionId);
          JsonObject orchestrator = new JsonObject().put("__type__", type).put("__module__", "gauntlet.orchestrator")
              .put("id", snapshot.getString("id")).put("name", snapshot.getString("name")).put("execution_id", executionId);
          orchestration = spec.factory().create(resolved.kit(executionId, params, labels, orchestrator));
          hosts = resolved.hosts();
          concurrency = params.getInteger("concurrency", 16);
          errorBudget = ErrorBudget.of(params);
          return list;
        }))
        .compose(list -> {
          prompts = list;
          total = list.size();
          return committedRows;
        })
        .compose(doneRows -> {
          Set<Integer> committed = new HashSet<>();
          doneRows.getJsonArray("indexes").forEach(i -> committed.add(((Number) i).intValue()));
          done = committed.size();
          doneAtStart = done;
          succeeded = doneRows.getInteger("succeeded", 0);
          failed = doneRows.getInteger("failed", 0);
          for (Outcome o : Outcome.values()) {
            outcomes[o.ordinal()] = doneRows.getInteger(o.value(), 0);
          }
          JsonObject classes = doneRows.getJsonObject("error_classes", new JsonObject());
          classes.forEach(e -> errorClasses.put(e.getKey(), ((Number) e.getValue()).intValue()));
          for (int i = 0; i < total; i++) {
            if (!committed.contains(i)) {
              queue.add(i);
            }
          }
          status = "running";
          startedNanos = System.nanoTime();
          // a run paused for a budget when the process stopped starts again, and pauses again if it must.
          // The first prompts go out without waiting for this write: the shard applies a user's writes in
          // the order they are sent, so the status is "running" before any result is recorded, and a
          // run whose status cannot be written ends failed (nothing more is recorded once it has ended)
          executions().update(ExecutionUpdate.PAUSED.equals(state) ? ExecutionUpdate.unpaused(executionId, total)
              : ExecutionUpdate.running(executionId, total)).onFailure(t -> {
                LOG.log(Level.SEVERE, "could not record the start of execution " + executionId, t);
                cancelled = true;
                queue.clear();
                end("failed", "its start could not be stored: " + t.getMessage());
              });
          publish();
          pump();
          checkDone();
          return Future.<Void>succeededFuture();
        });
  }

  private static List<String> strings(JsonArray values) {
    List<String> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add((String) v));
    return out;
  }

  /** For an execution launched before prompts were frozen: the dataset's prompts (first {@code sample_size}), or the single objective. */
  private Future<List<String>> promptsOf(JsonObject params) {
    String dataset = params.getString("dataset_id");
    int sample = params.getInteger("sample_size", 0);
    Future<List<String>> all = dataset != null ? resolver.prompts(owner, dataset)
        : Future.succeededFuture(params.getString("objective") == null ? List.of() : List.of(params.getString("objective")));
    return all.map(list -> sample > 0 && sample < list.size() ? list.subList(0, sample) : list);
  }

  private void pump() {
    if (pumping) {
      // a prompt that completed synchronously (a target with no latency) is inside the loop below,
      // which carries on by itself; recursing here would go one stack frame deeper per prompt
      return;
    }
    pumping = true;
    try {
      fill();
    } finally {
      pumping = false;
    }
  }

  /**
   * Starts prompts while there are free slots, at most {@value #STARTS_PER_TURN} in one turn of the
   * event loop; then it lets the loop read and write its sockets before starting more
   * ({@link #yieldToIo}). Two cases need it. A target that answers synchronously (the zero-latency
   * simulated model) would keep this loop going for the whole dataset. And the first wave of an
   * execution: started all at once, 64 prompts kept the loop busy for ~40 ms on a fresh JVM before
   * the first connection could even be opened, so the first request left ~60 ms after the start and
   * the last ~140 ms; in turns of four the first leaves after ~10 ms, and the first answers, which
   * free the slots that carry the execution's last prompts, come back that much earlier
   * (bench/execution.sh --latency 200 --concurrency 64: first 2,000 prompts 6.60–6.63 s, now
   * 6.51–6.55 s).
   */
  private void fill() {
    int started = 0;
    while (!cancelled && inFlight < concurrency && !queue.isEmpty() && buffer.size() < MAX_BUFFERED) {
      if (++started > STARTS_PER_TURN) {
        yieldToIo();
        return;
      }
      if (heldBecause != null) {
        return;
      }
      String exhausted = hosts.isEmpty() ? null : budgets.exhausted(hosts);
      if (exhausted != null) {
        hold(exhausted);
        return;
      }
      int index = queue.poll();
      inFlight++;
      Future<PromptOutcome> run;
      try {
        run = orchestration.run(index, prompts.get(index), systemPrompts == null ? null : systemPrompts.get(index),
            tools == null ? null : ToolCalls.definitions(tools.getValue(index)));
      } catch (RuntimeException e) {
        run = Future.failedFuture(e);
      }
      run.onComplete(ar -> {
        inFlight--;
        if (abandoned) {
          return;
        }
        if (ar.succeeded()) {
          buffer.add(ar.result());
        } else {
          LOG.log(Level.WARNING, "prompt " + index + " of execution " + executionId + " failed inside Gauntlet", ar.cause());
          buffer.add(new PromptOutcome(index, null, List.of(), List.of(), Verdict.of(Outcome.ERROR, "internal"),
              "internal: " + ar.cause().getMessage()));
        }
        if (buffer.size() >= FLUSH_PROMPTS) {
          flush();
        } else if (flushTimer < 0) {
          flushTimer = vertx.setTimer(FLUSH_MS, t -> {
            flushTimer = -1;
            flush();
          });
        }
        pump();
        checkDone();
      });
    }
  }

  /**
   * Continues {@link #pump} after the event loop's next round of socket events. A task queued with
   * {@code runOnContext} runs in the same batch of tasks, before any socket is served; a task
   * scheduled on Netty's event loop with no delay waits for the next batch, which follows the
   * round of I/O (connections opened, requests written, answers read).
   */
  private void yieldToIo() {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    context.nettyEventLoop().schedule(() -> context.runOnContext(v -> pump()), 0, TimeUnit.NANOSECONDS);
  }

  /**
   * Pauses the run for a provider budget: no new prompt starts (those in flight finish and are
   * committed), the execution shows as paused with the reason, and every {@value #HOLD_CHECK_MS}
   * ms the budget is asked again; once it allows, the run carries on by itself. Cancelling works
   * as ever.
   */
  private void hold(String reason) {
    heldBecause = reason;
    LOG.info("execution " + executionId + " paused: " + reason);
    flush();
    executions().update(ExecutionUpdate.paused(executionId, reason)).onComplete(ar -> publish());
    holdTimer = vertx.setPeriodic(HOLD_CHECK_MS, id -> {
      if (cancelled || finished.future().isComplete() || budgets.exhausted(hosts) != null) {
        return;
      }
      cancelHold();
      executions().update(ExecutionUpdate.unpaused(executionId, null)).onComplete(ar -> {
        LOG.info("execution " + executionId + " resumed: its provider budget allows it again");
        heldBecause = null;
        publish();
        pump();
        checkDone();
      });
    });
  }

  private void cancelHold() {
    if (holdTimer >= 0) {
      vertx.cancelTimer(holdTimer);
      holdTimer = -1;
    }
  }

  /** Why the run waits for a provider budget, or null. */
  String heldBecause() {
    return heldBecause;
  }

  /**
   * Commits buffered outcomes: one batch at a time per execution, in completion order. Nothing
   * is written once the execution has ended (a failed commit ends it).
   */
  private void flush() {
    if (flushing || buffer.isEmpty() || abandoned || finished.future().isComplete()) {
      return;
    }
    flushing = true;
    List<PromptOutcome> batch = new ArrayList<>(buffer);
    buffer.clear();
    List<PieceBatch.Piece> pieces = new ArrayList<>();
    List<PieceBatch.Score> scores = new ArrayList<>();
    JsonArray results = new JsonArray();
    for (PromptOutcome o : batch) {
      pieces.addAll(o.pieces());
      scores.addAll(o.scores());
      results.add(new JsonObject().put("prompt_index", o.index()).put("conversation_id", o.conversationId())
          .put("status", o.status()).put("attack_success", o.attackSucceeded()).put("error", o.error())
          .put("outcome", o.outcome().value()).put("reason", o.verdict().reason()).put("error_class", o.errorClass()));
    }
    record(new PieceBatch(pieces, scores), results, 0).onComplete(ar -> {
      flushing = false;
      if (ar.failed() && fenced(ar.cause())) {
        // another node holds the execution now and resumes it: this runner stops and writes nothing more
        LOG.warning("execution " + executionId + " is run by a newer lease holder; stopping here: " + ar.cause().getMessage());
        paused = true;
        abandoned = true;
        queue.clear();
        cancelHold();
        return;
      }
      if (ar.failed()) {
        LOG.log(Level.SEVERE, "execution " + executionId + " could not commit results", ar.cause());
        cancelled = true;
        queue.clear();
        end("failed", "results could not be stored: " + ar.cause().getMessage());
        return;
      }
      for (PromptOutcome o : batch) {
        done++;
        if (o.answered()) {
          succeeded++;
        } else {
          failed++;
        }
        outcomes[o.outcome().ordinal()]++;
        if (o.errorClass() != null) {
          errorClasses.merge(o.errorClass(), 1, Integer::sum);
        }
      }
      String stop = errorBudget.exceeded(done, outcomes[Outcome.ERROR.ordinal()], errorClasses);
      if (stop != null && !cancelled) {
        cancelled = true;
        queue.clear();
        stoppedBecause = stop;
      }
      publish();
      // while a budget holds the run no later prompt ends to flush what finished during this commit
      if (buffer.size() >= FLUSH_PROMPTS || heldBecause != null && !buffer.isEmpty()) {
        flush();
      }
      pump();
      checkDone();
    });
  }

  private Future<JsonObject> record(PieceBatch batch, JsonArray results, int attempt) {
    return executions().record(executionId, batch, results, fence).recover(t -> {
      if (attempt >= 4 || fenced(t)) {
        return Future.failedFuture(t);
      }
      Promise<JsonObject> retry = Promise.promise();
      vertx.setTimer(200L << attempt, id -> record(batch, results, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  private void checkDone() {
    if (paused || finished.future().isComplete() || !"running".equals(status)) {
      return;
    }
    if (inFlight == 0 && !flushing && (queue.isEmpty() || cancelled)) {
      if (!buffer.isEmpty()) {
        flush();
        return;
      }
      if (stoppedBecause != null) {
        end("failed", stoppedBecause);
      } else if (cancelled) {
        end("cancelled", null);
      } else if (outcomes[Outcome.ERROR.ordinal()] + outcomes[Outcome.UNSCORED.ordinal()] > 0) {
        end(COMPLETED_WITH_ERRORS, outcomes[Outcome.ERROR.ordinal()] + " error(s), " + outcomes[Outcome.UNSCORED.ordinal()]
            + " unscored of " + done + " prompts");
      } else {
        end("completed", null);
      }
    }
  }

  private void end(String state, String error) {
    if (finished.future().isComplete()) {
      return;
    }
    status = state;
    cancelHold();
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
    }
    executions().update(ExecutionUpdate.ended(executionId, state, error), fence).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.SEVERE, "could not record the end of execution " + executionId, ar.cause());
      }
      publish();
      finished.tryComplete(state);
    });
  }

  JsonObject progress() {
    double elapsed = startedNanos == 0 ? 0 : (System.nanoTime() - startedNanos) / 1e9;
    int ran = done - doneAtStart;
    double rate = elapsed > 0 ? ran / elapsed : 0;
    JsonObject p = new JsonObject().put("total", total).put("done", done).put("succeeded", succeeded).put("failed", failed)
        .put("attack_successes", outcomes[Outcome.ATTACK_SUCCEEDED.ordinal()]).put("rate_per_s", Math.round(rate * 10) / 10.0);
    for (Outcome o : Outcome.values()) {
      p.put(o.value(), outcomes[o.ordinal()]);
    }
    if (rate > 0 && "running".equals(status)) {
      p.put("eta_s", Math.round((total - done) / rate * 10) / 10.0);
    } else {
      p.putNull("eta_s");
    }
    return p;
  }

  JsonObject status() {
    JsonObject s = new JsonObject().put("id", executionId).put("status", status).put("progress", progress());
    if (heldBecause != null && "running".equals(status)) {
      s.put("status", ExecutionUpdate.PAUSED).put("paused_reason", heldBecause);
    }
    return s;
  }

  private void publish() {
    vertx.eventBus().publish(progressAddress, status());
  }

  private static boolean fenced(Throwable t) {
    return t instanceof dev.gauntlet.Problem p && "execution_fenced".equals(p.code());
  }

  private MemoryClient.Executions executions() {
    return memory.executions(owner);
  }
}
