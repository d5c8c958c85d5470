package dev.gauntlet.http;

import dev.gauntlet.operations.Shapes;

import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.operations.Operation;
import dev.gauntlet.operations.Operations;
import dev.gauntlet.operations.Registry;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry as an assistant sees it: which operations are tools, which a key is shown, and the argument schemas. */
class McpToolsTest {

  /** The real registry; its operations are only declared here, never run, so no store is needed. */
  static final Operations OPS = Registry.of(new Registry.Services(null, null, null, null, null, null, null, null, null, null, null, null),
      JsonObject::new);
  final McpTools tools = new McpTools(OPS, null, McpJsonDefaults.getMapper());
  final Map<String, McpSchema.Tool> byName = tools.tools().stream().map(t -> t.tool())
      .collect(Collectors.toMap(McpSchema.Tool::name, t -> t));

  @Test
  void everyOperationServedEverywhereIsAToolAndFilesAndSignInAreNot() {
    Set<String> expected = OPS.all().stream().filter(Operation::servedEverywhere).map(McpTools::toolName).collect(Collectors.toSet());
    assertEquals(expected, byName.keySet());
    assertTrue(byName.keySet().containsAll(List.of("generators_create", "executions_start", "memory_pieces_append", "admin_audit")));
    assertFalse(byName.containsKey("executions_export"), "a file download");
    assertFalse(byName.containsKey("memory_backup"), "a file download");
    assertFalse(byName.containsKey("auth_token"), "signing in needs no credential");
    assertEquals(Boolean.TRUE, byName.get("executions_get").annotations().readOnlyHint());
    assertEquals(Boolean.FALSE, byName.get("executions_start").annotations().readOnlyHint());
  }

  @Test
  void aKeyIsShownOnlyTheToolsItsScopesAllow() {
    McpTransportContext reader = McpTools.context(caller(List.of("user"), Set.of("read")), null, null);
    McpTransportContext writer = McpTools.context(caller(List.of("user"), Set.of("read", "write")), null, null);
    McpTransportContext admin = McpTools.context(caller(List.of("user", "admin"), Set.of("read", "write", "admin")), null, null);
    assertTrue(tools.visible(reader, byName.get("generators_list")));
    assertFalse(tools.visible(reader, byName.get("generators_create")));
    assertTrue(tools.visible(writer, byName.get("generators_create")));
    assertFalse(tools.visible(writer, byName.get("admin_users_list")));
    assertTrue(tools.visible(admin, byName.get("admin_users_list")));
    assertFalse(tools.visible(McpTransportContext.EMPTY, byName.get("generators_list")), "no caller, no tools");
  }

  @Test
  void parametersBecomeTheJsonSchemaOfTheArguments() {
    assertEquals(new JsonObject().put("type", "string").put("enum", new JsonArray().add("csv").add("jsonl")).put("default", "csv")
        .put("description", "the file's format"), Shapes.of(Param.choice("format", "csv", "jsonl").defaultValue("csv")
        .describe("the file's format")));
    assertEquals(new JsonObject().put("type", "object").put("additionalProperties", new JsonObject().put("type", "string")),
        Shapes.of(Param.secretMap("headers")));
    assertEquals(new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "string")),
        Shapes.of(Param.reference("scorer_ids", Param.Kind.SCORER_IDS)));
    assertEquals(new JsonObject().put("type", "number").put("minimum", 0L).put("maximum", 2L),
        Shapes.of(Param.number("temperature").min(0).max(2)));

    JsonObject start = Shapes.arguments(OPS.require("executions.start").input());
    assertEquals(new JsonArray().add("orchestrator_id"), start.getJsonArray("required"));
    assertEquals(Set.of("orchestrator_id", "labels"), start.getJsonObject("properties").fieldNames());
    assertEquals(false, start.getBoolean("additionalProperties"), "the declared parameters are all an operation reads");
  }

  private static Caller caller(List<String> roles, Set<String> scopes) {
    return new Caller("u1", "alice", "pyrit_memory_x.db", roles, scopes, "api_key", "k1");
  }
}
