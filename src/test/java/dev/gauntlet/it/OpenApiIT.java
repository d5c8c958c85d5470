package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json} against the real jar: valid OpenAPI 3.1,
 * listing every live API route, and true to what the routes answer: a valid request to every
 * documented operation gets a documented status with a body its schema accepts, and invalid
 * requests get a documented 4xx in the error shape. The reference page at {@code /api} shows it.
 */
class OpenApiIT extends OpenApiFixture {

  @BeforeAll
  static void start() throws Exception {
    start(Map.of());
  }

  @Test
  void everyApiRouteTheServerServesIsInTheDocumentAndNothingElse() throws Exception {
    Set<String> live = new TreeSet<>();
    g.get("/api/v1/admin/routes", admin).json().getJsonArray("http").forEach(o -> {
      JsonObject r = (JsonObject) o;
      if (r.getString("path").startsWith("/api/v1/")) {
        live.add(r.getString("method") + " " + r.getString("path").replaceAll(":([A-Za-z_]+)", "{$1}"));
      }
    });
    Set<String> documented = new TreeSet<>();
    contract.operations.values().stream().filter(d -> d.path().startsWith("/api/v1/")).forEach(d -> documented.add(d.method() + " " + d.path()));
    Set<String> missing = new TreeSet<>(live);
    missing.removeAll(documented);
    assertEquals(Set.of(), missing, "live routes the document lacks");
    Set<String> invented = new TreeSet<>(documented);
    invented.removeAll(live);
    assertEquals(Set.of(), invented, "documented routes the server does not serve");
    assertTrue(live.size() > 60, "the route listing is the real one: " + live.size());
  }

  @Test
  void theCredentialEachOperationDocumentsIsTheOneTheServerAsksFor() throws Exception {
    JsonObject schemes = contract.raw.getJsonObject("components").getJsonObject("securitySchemes");
    assertEquals("bearer", schemes.getJsonObject("bearer").getString("scheme"));
    assertEquals("gauntlet.session", schemes.getJsonObject("session").getString("name"));
    // keys lacking one scope each; the user's own token lacks the admin role
    Map<String, String> lacking = Map.of("read", key("write"), "write", key("read"), "admin", user);
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, OpenApiContract.Documented> e : contract.operations.entrySet()) {
      OpenApiContract.Documented d = e.getValue();
      JsonArray security = d.operation().getJsonArray("security");
      Answer anonymous = probe(d, null);
      if (security.isEmpty() ? anonymous.status() == 401 && !e.getKey().equals("auth.token") : anonymous.status() != 401) {
        wrong.add(e.getKey() + " documents security " + security.encode() + " but answers " + anonymous.status() + " without a credential");
      }
      if (security.isEmpty()) {
        continue;
      }
      String scope = security.getJsonObject(0).getJsonArray("bearer").getString(0);
      Answer refused = probe(d, lacking.get(scope));
      if (refused.status() != 403 || contract.mismatch(e.getKey(), refused.status(), refused.contentType(), refused.body()) != null) {
        wrong.add(e.getKey() + " documents the '" + scope + "' scope but a credential without it got " + refused.status() + " " + refused.body());
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void documentedRangesOfQueryParametersAreTheOnesTheServerAccepts() throws Exception {
    int checked = 0;
    for (Map.Entry<String, OpenApiContract.Documented> e : contract.operations.entrySet()) {
      OpenApiContract.Documented d = e.getValue();
      if (!d.method().equals("GET") || d.path().contains("{") || !d.json()) {
        continue;
      }
      for (Object o : d.operation().getJsonArray("parameters", new JsonArray())) {
        JsonObject schema = ((JsonObject) o).getJsonObject("schema");
        if (schema.containsKey("maximum")) {
          String token = d.operation().getJsonArray("security").encode().contains("admin") ? admin : user;
          String name = ((JsonObject) o).getString("name");
          Answer atMost = send("GET", d.path() + "?" + name + "=" + schema.getValue("maximum"), token, null);
          assertEquals(200, atMost.status(), e.getKey() + " " + name + " at its documented maximum: " + atMost.body());
          Answer over = send("GET", d.path() + "?" + name + "=" + (schema.getLong("maximum") + 1), token, null);
          assertEquals(400, over.status(), e.getKey() + " " + name + " over its documented maximum: " + over.body());
          assertNull(contract.mismatch(e.getKey(), over.status(), over.contentType(), over.body()));
          checked++;
        }
      }
    }
    assertTrue(checked >= 8, "the lists' limits and the dashboard's days are documented with their ranges: " + checked);
  }

  @Test
  void everyDocumentedOperationAnswersAValidRequestAsDocumented() throws Exception {
    List<String> mismatches = new ArrayList<>();
    Set<String> called = new LinkedHashSet<>();
    for (Call c : calls()) {
      Answer a = c.sender != null ? c.sender.call() : c.multipart ? upload() : send(c);
      called.add(c.operationId);
      String why = contract.mismatch(c.operationId, a.status(), a.contentType(), a.body());
      if (why == null && a.status() != c.expected) {
        why = c.operationId + " answered " + a.status() + " where " + c.expected + " was expected: " + OpenApiContract.abbreviated(a.body());
      }
      if (why != null) {
        mismatches.add(why);
      }
    }
    Set<String> untested = new TreeSet<>(contract.operations.keySet());
    untested.removeAll(called);
    assertEquals(Set.of(), untested, "documented operations without a request here: add one to calls()");
    assertTrue(mismatches.isEmpty(), mismatches.size() + " answers differ from the document:\n" + String.join("\n", mismatches));
  }

  @Test
  void invalidRequestsAnswerADocumentedErrorInTheErrorShape() throws Exception {
    record Bad(String operationId, int status, Answer answer) {}
    List<Bad> bad = List.of(
        new Bad("executions.get", 404, send("GET", "/api/v1/executions/no-such-execution", user, null)),
        new Bad("generators.create", 400, send("POST", "/api/v1/generators", user, "{\"name\": ")),
        new Bad("generators.create", 400, send("POST", "/api/v1/generators", user, "{\"name\": \"x\", \"type\": \"no-such-type\"}")),
        new Bad("executions.list", 400, send("GET", "/api/v1/executions?limit=0", user, null)),
        // any route refuses a malformed body, even one that takes none; a query naming an execution looks it up
        new Bad("keys.list", 400, send("GET", "/api/v1/keys", user, "{\"name\": ")),
        new Bad("admin.memory.consolidate", 400, send("POST", "/api/v1/admin/memory/consolidate", admin,
            new JsonObject().put("from", tmp.resolve("strays") + "/a\u0000b").put("dry_run", true).encode())),
        new Bad("reviews.list", 404, send("GET", "/api/v1/reviews?execution_id=no-such-execution", user, null)),
        new Bad("auth.me", 401, send("GET", "/api/v1/auth/me", null, null)),
        new Bad("auth.token", 401, send("POST", "/api/v1/auth/token", null, "{\"username\": \"" + USER + "\", \"password\": \"wrong\"}")),
        new Bad("admin.users.list", 403, send("GET", "/api/v1/admin/users", user, null)),
        new Bad("executions.resume", 409, send("POST", "/api/v1/executions/" + ids.get("execution") + "/resume", user, null)),
        new Bad("dashboard.compare", 404, send("GET", "/api/v1/dashboard/compare?a=no-such&b=" + ids.get("execution"), user, null)),
        new Bad("datasets.combine", 404, send("POST", "/api/v1/datasets/combine", user,
            new JsonObject().put("dataset_ids", new JsonArray().add(ids.get("dataset")).add("no-such-dataset")).put("name", "x").encode())),
        new Bad("keys.create", 403, send("POST", "/api/v1/keys", user, "{\"name\": \"mine\", \"scopes\": [\"admin\"]}")));
    for (Bad b : bad) {
      assertEquals(b.status(), b.answer().status(), b.operationId() + ": " + b.answer().body());
      assertNull(contract.mismatch(b.operationId(), b.answer().status(), b.answer().contentType(), b.answer().body()));
      assertTrue(new JsonObject(b.answer().body()).getJsonObject("error").getString("message").length() > 0);
    }
  }

  @Test
  void theReferencePageListsEachOperationWithItsParametersAndResponses() throws Exception {
    try (LocalClient browser = new LocalClient(vertx, "127.0.0.1", g.port)) {
      assertEquals(302, browser.get("/api").status(), "the page is for signed-in users");
      assertEquals(303, browser.signInForm(USER, USER + "-password").status());
      LocalClient.Answer page = browser.get("/api");
      assertEquals(200, page.status(), page.body());
      assertTrue(browser.get("/").body().contains("href=\"/api\""), "the navigation links the page");
      Matcher m = Pattern.compile("<article class=\"api-operation\" id=\"op-executions.start\">(.*?)</article>", Pattern.DOTALL)
          .matcher(page.body());
      assertTrue(m.find(), "executions.start is on the page");
      String launch = m.group(1).replaceAll("\\s+", " ");
      assertTrue(launch.contains(">POST</span> <code class=\"api-path\">/api/v1/orchestrators/{orchestrator_id}/executions</code>"), launch);
      assertTrue(launch.contains("<td><code>orchestrator_id</code></td><td>path</td><td>string</td><td>yes</td>"), launch);
      assertTrue(launch.contains("<td><code>labels</code></td><td>body</td><td>object</td><td>no</td><td>labels given to every piece</td>"), launch);
      assertTrue(launch.contains("Needs the &#x27;write&#x27; scope."), launch);
      assertTrue(launch.contains("<tr><td>202</td><td>Success</td><td>application/json</td><td><code>id, status</code></td></tr>"),
          "its answer and the fields it holds: " + launch);
      assertTrue(launch.contains("title=\"A resource the request names does not exist (or is not yours)\">404</span>"), "its errors: " + launch);
      assertTrue(page.body().contains("<td><code>limit</code></td><td>query</td><td>integer 1..1000, default 50</td>"),
          "query parameters show their type, range and default");
      assertTrue(page.body().contains("id=\"tag-admin\""), "operations are grouped by area");
    }
  }
}
