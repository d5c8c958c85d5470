package dev.gauntlet.orchestrator;

import dev.gauntlet.JsonWireCodec;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.json.JsonObject;

/**
 * The typed message the orchestrator verticle receives. {@code id} names an orchestrator
 * (INSTANCE, START) or an execution (STATUS, CANCEL, RESUME, RESCORE_START) or a re-scoring job (RESCORE_STATUS,
 * RESCORE_CANCEL, RESCORE_RESUME); {@code body} carries options such as labels or scorer ids.
 */
public record OrchestratorRequest(Op op, MemoryOwner owner, String id, JsonObject body) {

  public enum Op { INSTANCE, EVICT_ALL, STATS, START, STATUS, CANCEL, RESUME, RESCORE_START, RESCORE_STATUS, RESCORE_CANCEL, RESCORE_RESUME }

  public OrchestratorRequest(Op op, MemoryOwner owner, String id) {
    this(op, owner, id, null);
  }

  public static final class Codec extends JsonWireCodec<OrchestratorRequest> {
    public static final String NAME = "gauntlet.orchestrator-request";

    public Codec() {
      super(NAME);
    }

    @Override
    protected JsonObject toJson(OrchestratorRequest r) {
      JsonObject json = new JsonObject().put("op", r.op().name()).put("id", r.id()).put("body", r.body());
      if (r.owner() != null) {
        json.put("username", r.owner().username()).put("memoryFile", r.owner().memoryFile());
      }
      return json;
    }

    @Override
    protected OrchestratorRequest fromJson(JsonObject json) {
      MemoryOwner owner = json.containsKey("username")
          ? new MemoryOwner(json.getString("username"), json.getString("memoryFile")) : null;
      return new OrchestratorRequest(Op.valueOf(json.getString("op")), owner, json.getString("id"), json.getJsonObject("body"));
    }
  }
}
