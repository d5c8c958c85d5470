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

  /** Straight into an open memory file: for {@code memory import} with the server stopped. */
  static LandingTarget direct(ImportStore store) {
    return new LandingTarget() {
      @Override
      public void begin(String importId) throws SQLException {
        store.begin(importId);
      }

      @Override
      public CompletableFuture<JsonObject> stage(String importId, PieceBatch batch, JsonObject rows) {
        try {
          return CompletableFuture.completedFuture(store.stage(importId, batch, rows));
        } catch (SQLException | RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public JsonObject commit(String importId, boolean dryRun) throws SQLException {
        return store.commit(importId, dryRun);
      }

      @Override
      public void abort(String importId) {
        try {
          store.abort(importId);
        } catch (SQLException ignored) {
          // the staging tables go when the memory next opens
        }
      }
    };
  }

  private static JsonObject await(Future<JsonObject> f) throws Exception {
    return Landing.await(f.toCompletionStage().toCompletableFuture());
  }
}
