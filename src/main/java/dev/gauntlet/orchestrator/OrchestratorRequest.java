package dev.gauntlet.orchestrator;

import dev.gauntlet.JsonWireCodec;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.json.JsonObject;

/** The typed message the orchestrator verticle receives. */
public record OrchestratorRequest(Op op, MemoryOwner owner, String orchestratorId) {

  public enum Op { INSTANCE, EVICT_ALL, STATS }

  public static final class Codec extends JsonWireCodec<OrchestratorRequest> {
    public static final String NAME = "gauntlet.orchestrator-request";

    public Codec() {
      super(NAME);
    }

    @Override
    protected JsonObject toJson(OrchestratorRequest r) {
      JsonObject json = new JsonObject().put("op", r.op().name()).put("orchestratorId", r.orchestratorId());
      if (r.owner() != null) {
        json.put("username", r.owner().username()).put("memoryFile", r.owner().memoryFile());
      }
      return json;
    }

    @Override
    protected OrchestratorRequest fromJson(JsonObject json) {
      MemoryOwner owner = json.containsKey("username")
          ? new MemoryOwner(json.getString("username"), json.getString("memoryFile")) : null;
      return new OrchestratorRequest(Op.valueOf(json.getString("op")), owner, json.getString("orchestratorId"));
    }
  }
}
