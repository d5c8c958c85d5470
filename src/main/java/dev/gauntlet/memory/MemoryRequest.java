package dev.gauntlet.memory;

import dev.gauntlet.JsonWireCodec;
import io.vertx.core.json.JsonObject;

/**
 * The typed message a memory shard receives. Locally it travels as is, with a batch already
 * parsed by the sender (no copy, no second parse); across a cluster it is written as JSON and
 * the shard parses the batch itself.
 */
public record MemoryRequest(MemoryOp op, MemoryOwner owner, JsonObject body, PieceBatch batch) {

  /** Passes requests untouched within one process; JSON across a cluster, where the shard parses the batch. */
  public static final class Codec extends JsonWireCodec<MemoryRequest> {
    public static final String NAME = "gauntlet.memory-request";

    public Codec() {
      super(NAME);
    }

    @Override
    protected JsonObject toJson(MemoryRequest r) {
      JsonObject json = new JsonObject().put("op", r.op().name()).put("body", r.body());
      if (r.batch() != null && (r.body() == null || !r.body().containsKey("pieces"))) {
        json.put("batch", r.batch().toJson());
      }
      if (r.owner() != null) {
        json.put("username", r.owner().username()).put("memoryFile", r.owner().memoryFile());
      }
      return json;
    }

    @Override
    protected MemoryRequest fromJson(JsonObject json) {
      MemoryOwner owner = json.containsKey("username")
          ? new MemoryOwner(json.getString("username"), json.getString("memoryFile")) : null;
      JsonObject batch = json.getJsonObject("batch");
      return new MemoryRequest(MemoryOp.valueOf(json.getString("op")), owner, json.getJsonObject("body"),
          batch == null ? null : PieceBatch.parse(batch));
    }
  }
}
