package dev.gauntlet.imports;

import dev.gauntlet.memory.ImportStore;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.PieceBatch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link Landing} sends its batches: the owner's memory shard (the server), or a memory
 * file opened directly (the command line, server stopped). Both stage into {@link ImportStore}.
 * Calls come from the importer's worker thread; {@code stage} may return before the batch is
 * stored, and {@link Landing} waits for it before sending the next.
 */
public interface LandingTarget {

  void begin(String importId) throws Exception;

  CompletableFuture<JsonObject> stage(String importId, PieceBatch batch, JsonObject rows);

  JsonObject commit(String importId, boolean dryRun) throws Exception;

  void abort(String importId);

  /** Through the owner's shard, so the user's one connection does it, between their other operations. */
  static LandingTarget shard(MemoryClient.Imports imports) {
    return new LandingTarget() {
      @Override
      public void begin(String importId) throws Exception {
        await(imports.begin(importId));
      }

      @Override
      public CompletableFuture<JsonObject> stage(String importId, PieceBatch batch, JsonObject rows) {
        return imports.stage(importId, batch, rows).toCompletionStage().toCompletableFuture();
      }

      @Override
      public JsonObject commit(String importId, boolean dryRun) throws Exception {
        return await(imports.commit(importId, dryRun));
      }

      @Override
      public void abort(String importId) {
        imports.abort(importId);
      }
    };
  }

  /**
   * Straight into an open memory file: for {@code memory import} with the server stopped. Batches
   * are stored on a thread of their own, so the file's next rows are read and parsed while DuckDB
   * stores the last ones (as the shard's thread does for the server); every call on the memory
   * runs on that one thread, in order.
   */
  static LandingTarget direct(ImportStore store) {
    java.util.concurrent.ExecutorService lander = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "import-landing");
      t.setDaemon(true);
      return t;
    });
    return new LandingTarget() {
      @Override
      public void begin(String importId) throws Exception {
        try {
          on(() -> store.begin(importId));
        } catch (Exception | Error e) {
          lander.shutdown();
          throw e;
        }
      }

      @Override
      public CompletableFuture<JsonObject> stage(String importId, PieceBatch batch, JsonObject rows) {
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        try {
          lander.execute(() -> {
            try {
              f.complete(store.stage(importId, batch, rows));
            } catch (SQLException | RuntimeException e) {
              f.completeExceptionally(e);
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException e) {
          f.completeExceptionally(new IllegalStateException("the import has ended"));
        }
        return f;
      }

      @Override
      public JsonObject commit(String importId, boolean dryRun) throws Exception {
        try {
          return on(() -> store.commit(importId, dryRun));
        } finally {
          lander.shutdown();
        }
      }

      @Override
      public void abort(String importId) {
        try {
          // after any batch still being stored: the staging tables must not outlive the import
          on(() -> store.abort(importId));
        } catch (Exception ignored) {
          // the staging tables go when the memory next opens
        } finally {
          lander.shutdown();
        }
      }

      private JsonObject on(java.util.concurrent.Callable<JsonObject> work) throws Exception {
        try {
          return lander.submit(work).get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Exception x) {
            throw x;
          }
          throw e;
        } catch (java.util.concurrent.RejectedExecutionException e) {
          throw new IllegalStateException("the import has ended", e);
        }
      }
    };
  }

  private static JsonObject await(Future<JsonObject> f) throws Exception {
    return Landing.await(f.toCompletionStage().toCompletableFuture());
  }
}
