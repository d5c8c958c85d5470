package dev.gauntlet.orchestrator;

import dev.gauntlet.generator.Generator;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Live generators shared by the executions of one verticle, so a generator's concurrency cap
 * and rate limit hold across all runs that use it. Keyed by owner, id and the configuration's
 * update time: an edited generator gets a fresh instance. Least recently used ones are closed.
 */
public final class GeneratorPool {

  private final int max;
  private final LinkedHashMap<String, Generator> live = new LinkedHashMap<>(16, 0.75f, true);

  public GeneratorPool(int max) {
    this.max = max;
  }

  Future<Generator> get(MemoryOwner owner, JsonObject config, Supplier<Generator> build) {
    String key = owner.username() + "/" + config.getString("id") + "@" + config.getString("updated_at");
    Generator g = live.get(key);
    if (g == null) {
      try {
        g = build.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      live.put(key, g);
      for (Iterator<Map.Entry<String, Generator>> it = live.entrySet().iterator(); live.size() > max && it.hasNext(); ) {
        Map.Entry<String, Generator> eldest = it.next();
        it.remove();
        eldest.getValue().close();
      }
    }
    return Future.succeededFuture(g);
  }

  public int size() {
    return live.size();
  }

  public void closeAll() {
    live.values().forEach(Generator::close);
    live.clear();
  }
}
