package dev.gauntlet.memory;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class MemoryRequestCodecTest {

  private final MemoryRequest.Codec codec = new MemoryRequest.Codec();

  private MemoryRequest overTheWire(MemoryRequest r) {
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, r);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  void requestCrossesTheWireWithOpOwnerAndBodyButNotTheParsedBatch() {
    JsonObject body = new JsonObject().put("pieces", new JsonArray().add(new JsonObject()
        .put("id", UUID.randomUUID().toString()).put("role", "user").put("conversation_id", "c").put("original_value", "v")));
    MemoryRequest sent = new MemoryRequest(MemoryOp.PIECES_APPEND, new MemoryOwner("alice", "pyrit_memory_a.db"), body,
        PieceBatch.parse(body));
    MemoryRequest received = overTheWire(sent);
    assertEquals(MemoryOp.PIECES_APPEND, received.op());
    assertEquals(new MemoryOwner("alice", "pyrit_memory_a.db"), received.owner());
    assertEquals(body, received.body());
    assertNull(received.batch(), "the receiving shard parses the batch itself");
  }

  @Test
  void shardWideRequestCrossesTheWireWithoutOwner() {
    MemoryRequest received = overTheWire(new MemoryRequest(MemoryOp.SHARD_STATS, null, new JsonObject(), null));
    assertEquals(MemoryOp.SHARD_STATS, received.op());
    assertNull(received.owner());
  }

  @Test
  void requestIsPassedAsIsWithinTheProcess() {
    MemoryRequest r = new MemoryRequest(MemoryOp.STATUS, new MemoryOwner("bob", "f.db"), new JsonObject(), null);
    assertSame(r, codec.transform(r));
  }
}
