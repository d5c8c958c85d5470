package dev.gauntlet.bench;

import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Feeds one user's pieces to memory from an event loop, as the orchestrator does: at most
 * {@code inFlight} batches wait at the shard at once, and each reply sends the next, so the
 * shard always has work queued while the heap holds only a few batches.
 */
final class IngestDriver extends VerticleBase {

  private final MemoryClient client;
  private final MemoryOwner owner;
  private final PieceSource source;
  private final long total;
  private final int batchSize;
  private final int inFlight;
  private final Promise<Long> done = Promise.promise();
  private long sent;
  private long acknowledged;

  IngestDriver(MemoryClient client, MemoryOwner owner, PieceSource source, long total, int batchSize, int inFlight) {
    this.client = client;
    this.owner = owner;
    this.source = source;
    this.total = total;
    this.batchSize = batchSize;
    this.inFlight = inFlight;
  }

  /** Completes with the number of pieces acknowledged once every batch is committed. */
  Future<Long> done() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    if (total <= 0) {
      done.complete(0L);
    }
    for (int i = 0; i < inFlight; i++) {
      sendNext();
    }
    return Future.succeededFuture();
  }

  private void sendNext() {
    if (sent >= total || done.future().isComplete()) {
      return;
    }
    int n = (int) Math.min(batchSize, total - sent);
    sent += n;
    client.pieces(owner).append(source.batch(n)).onComplete(reply -> {
      if (reply.failed()) {
        done.tryFail(reply.cause());
        return;
      }
      JsonObject r = reply.result();
      // every piece and score was new: anything else means rows were lost or deduplicated wrongly
      if (r.getInteger("pieces", -1) != n || r.getInteger("scores", -1) != n) {
        done.tryFail(new IllegalStateException("batch of " + n + " pieces for " + owner.username() + " acknowledged as " + r));
        return;
      }
      acknowledged += n;
      if (acknowledged == total) {
        done.tryComplete(acknowledged);
      } else {
        sendNext();
      }
    });
  }
}
