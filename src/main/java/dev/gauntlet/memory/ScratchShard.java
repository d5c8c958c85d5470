package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The warm-up's memory shard (deploy it as a worker): it applies an execution's memory
 * operations, with the same code as a user's shard, to a {@link UserMemory#scratch scratch}
 * memory that belongs to no user and has no file. It listens under its own address prefix, which
 * no user's request is ever sent to ({@link MemoryClient#scratch}); the warm-up deploys it on
 * its own Vert.x instance, and everything in it is gone when it stops.
 */
public final class ScratchShard extends VerticleBase {

  /** What an execution needs: its configuration, its row, its results. Nothing that reads or writes files. */
  private static final Set<MemoryOp> ALLOWED = EnumSet.of(MemoryOp.CONFIG_CREATE, MemoryOp.CONFIG_GET,
      MemoryOp.CONFIG_WITH_REFERENCES, MemoryOp.EXECUTION_CREATE, MemoryOp.EXECUTION_GET, MemoryOp.EXECUTION_SNAPSHOT, MemoryOp.EXECUTION_UPDATE, MemoryOp.EXECUTION_DONE,
      MemoryOp.EXECUTION_RECORD, MemoryOp.EXECUTION_RESULTS);

  private final String memoryLimit;
  private UserMemory memory;
  private MessageConsumer<MemoryRequest> consumer;

  public ScratchShard(String memoryLimit) {
    this.memoryLimit = memoryLimit;
  }

  @Override
  public Future<?> start() throws SQLException {
    memory = UserMemory.scratch(memoryLimit);
    consumer = vertx.eventBus().consumer(MemoryClient.SCRATCH_PREFIX + 0, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() throws SQLException {
    if (memory != null) {
      memory.close();
    }
    return Future.succeededFuture();
  }

  private void handle(Message<MemoryRequest> message) {
    MemoryRequest r = message.body();
    try {
      if (!ALLOWED.contains(r.op())) {
        throw Problem.badRequest("not_scratch", r.op() + " is not done on a scratch memory");
      }
      message.reply(MemoryVerticle.applyTo(memory, r));
    } catch (Problem p) {
      p.failReply(message);
    } catch (SQLException | RuntimeException e) {
      new Problem(500, "memory_error", "the scratch memory operation failed: " + e.getMessage()).failReply(message);
    }
  }
}
