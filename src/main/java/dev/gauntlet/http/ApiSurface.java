package dev.gauntlet.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Everything a client can call, read from the live route table and the bridge's operations, so
 * that checks over "every endpoint" (the security suite, an admin's review) never miss a new one.
 */
final class ApiSurface {

  private ApiSurface() {}

  static JsonObject describe(Router router, Rest rest) {
    Set<String> seen = new LinkedHashSet<>();
    JsonArray http = new JsonArray();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || path.endsWith("*") || route.methods() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        if (seen.add(method.name() + " " + path)) {
          http.add(new JsonObject().put("method", method.name()).put("path", path));
        }
      }
    }
    return new JsonObject().put("http", http).put("bus", new JsonObject()
        .put("inbound", new JsonArray().add(EventBusBridge.API))
        .put("outbound", dev.gauntlet.orchestrator.Progress.address("<username>"))
        .put("operations", rest.operations().describe()));
  }
}
