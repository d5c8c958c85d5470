package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOp;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs orchestrators. Instances are a least-recently-used cache keyed by owner and id, rebuilt
 * from stored configuration on demand; every memory access goes through {@link MemoryClient},
 * which names the owner, so nothing here can choose a memory file.
 */
public final class OrchestratorVerticle extends VerticleBase {

  public static final String ADDRESS = "gauntlet.orchestrator";

  private final MemoryClient memory;
  private final int maxInstances;
  private final LinkedHashMap<String, OrchestratorInstance> instances = new LinkedHashMap<>(16, 0.75f, true);
  private long built;
  private long evicted;

  public OrchestratorVerticle(MemoryClient memory, int maxInstances) {
    this.memory = memory;
    this.maxInstances = maxInstances;
  }

  public static void registerCodec(io.vertx.core.Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(OrchestratorRequest.class, new OrchestratorRequest.Codec());
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<OrchestratorRequest>consumer(ADDRESS, this::handle).completion();
  }

  private void handle(Message<OrchestratorRequest> message) {
    OrchestratorRequest r = message.body();
    Future<JsonObject> reply = switch (r.op()) {
      case INSTANCE -> instance(r).map(OrchestratorInstance::toJson);
      case EVICT_ALL -> {
        int n = instances.size();
        instances.clear();
        evicted += n;
        yield Future.succeededFuture(new JsonObject().put("evicted", n));
      }
      case STATS -> Future.succeededFuture(stats());
    };
    reply.onSuccess(message::reply).onFailure(t -> Problem.from(t).failReply(message));
  }

  /** The cached instance, rebuilt when absent or when its stored configuration changed. */
  private Future<OrchestratorInstance> instance(OrchestratorRequest r) {
    String key = r.owner().username() + "/" + r.orchestratorId();
    return memory.config(r.owner(), MemoryOp.CONFIG_GET, ConfigKind.ORCHESTRATORS, new JsonObject().put("id", r.orchestratorId()))
        .map(config -> {
          OrchestratorInstance cached = instances.get(key);
          if (cached != null && cached.configUpdatedAt().equals(config.getString("updated_at"))) {
            return cached;
          }
          OrchestratorInstance fresh = new OrchestratorInstance(r.owner(), config.getString("id"), config.getString("name"),
              config.getString("type"), config.getJsonObject("parameters"), config.getString("updated_at"), Instant.now());
          instances.put(key, fresh);
          built++;
          while (instances.size() > maxInstances) {
            Map.Entry<String, OrchestratorInstance> eldest = instances.entrySet().iterator().next();
            instances.remove(eldest.getKey());
            evicted++;
          }
          return fresh;
        });
  }

  private JsonObject stats() {
    return new JsonObject().put("instances", instances.size()).put("max_instances", maxInstances)
        .put("built", built).put("evicted", evicted);
  }
}
