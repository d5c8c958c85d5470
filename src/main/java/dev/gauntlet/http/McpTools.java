package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.operations.Operation;
import dev.gauntlet.operations.Operations;
import dev.gauntlet.operations.Shapes;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncResourceSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations registry as MCP tools and resources, built from the declarations alone, so an
 * operation added to the registry is a tool without a line here. Each {@link Operation#servedEverywhere}
 * operation is a tool named after it ({@code generators.create} is {@code generators_create}), described
 * by its summary, with an input schema written from its {@link Param}s. A call runs through {@link Operations#run}, which checks the credential's scope
 * as for REST; its answer is the operation's JSON, as text and as structured content, and a
 * failure is {@code isError} with the usual {@code {"error":{code,message}}}, never a protocol
 * error. Writes and refusals are audited as {@code MCP <op>}, as the bridge audits {@code BUS <op>}.
 * The resources are the read operations an assistant wants as context: each kind's catalog of
 * types and the caller's memory status.
 */
final class McpTools {

  /** The transport context keys {@link McpEndpoint} fills for each request. */
  static final String CALLER = "gauntlet.caller";
  static final String ADDRESS = "gauntlet.address";
  static final String USER_AGENT = "gauntlet.user-agent";
  static final String AUDIT_RESOURCE = "/mcp";

  private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};
  private static final String TYPES_SUFFIX = ".types";
  private static final String MEMORY_STATUS = "database.status";

  private final Operations ops;
  private final AuditLog audit;
  private final McpJsonMapper json;
  /** Each tool's operation, by tool name. */
  private final Map<String, Operation> byTool = new LinkedHashMap<>();

  McpTools(Operations ops, AuditLog audit, McpJsonMapper json) {
    this.ops = ops;
    this.audit = audit;
    this.json = json;
    for (Operation op : ops.all()) {
      if (op.servedEverywhere() && byTool.put(toolName(op), op) != null) {
        throw new IllegalStateException("two operations make the tool " + toolName(op));
      }
    }
  }

  /** The tool name of an operation: dots become underscores, which every MCP client accepts. */
  static String toolName(Operation op) {
    return op.name().replace('.', '_');
  }

  /** One tool per operation every surface serves. */
  List<AsyncToolSpecification> tools() {
    List<AsyncToolSpecification> tools = new ArrayList<>();
    byTool.forEach((name, op) -> {
      // no outputSchema: the SDK and its clients turn a result that strays from it into an error, and the declared
      // shapes are documentation, not yet checked against every answer (dashboard.summary's has no 'totals')
      McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(op.summary()).inputSchema(map(Shapes.arguments(op.input())))
          .annotations(new McpSchema.ToolAnnotations(null, !op.writes(), null, null, null, null)).build();
      tools.add(new AsyncToolSpecification(tool, (ctx, request) -> call(op, ctx, request)));
    });
    return tools;
  }

  /** True when the request's credential may call the tool's operation: tools/list shows a caller only those. */
  boolean visible(McpTransportContext ctx, McpSchema.Tool tool) {
    Caller caller = caller(ctx);
    Operation op = byTool.get(tool.name());
    return caller != null && op != null && caller.can(op.scope());
  }

  /** {@code gauntlet://types/<kind>} for each catalog of types, and {@code gauntlet://memory/status}. */
  List<AsyncResourceSpecification> resources() {
    List<AsyncResourceSpecification> out = new ArrayList<>();
    for (Operation op : ops.all()) {
      if (op.servedEverywhere() && !op.writes() && op.name().endsWith(TYPES_SUFFIX)) {
        String kind = op.name().substring(0, op.name().length() - TYPES_SUFFIX.length());
        out.add(resource("gauntlet://types/" + kind, kind + "-types", op));
      }
    }
    ops.get(MEMORY_STATUS).ifPresent(op -> out.add(resource("gauntlet://memory/status", "memory-status", op)));
    return out;
  }

  private AsyncResourceSpecification resource(String uri, String name, Operation op) {
    McpSchema.Resource resource = McpSchema.Resource.builder().uri(uri).name(name).description(op.summary())
        .mimeType("application/json").build();
    return new AsyncResourceSpecification(resource, (ctx, request) -> Mono.fromCompletionStage(() ->
        run(op, ctx, new JsonObject()).toCompletionStage()).map(result -> new McpSchema.ReadResourceResult(List.of(
            new McpSchema.TextResourceContents(uri, "application/json", result.encode()))))
        .onErrorMap(t -> resourceError(uri, Problem.from(t))));
  }

  private static McpError resourceError(String uri, Problem p) {
    int code = p.status() == 404 ? McpSchema.ErrorCodes.RESOURCE_NOT_FOUND
        : p.status() >= 500 ? McpSchema.ErrorCodes.INTERNAL_ERROR : McpSchema.ErrorCodes.INVALID_REQUEST;
    return McpError.builder(code).message(p.getMessage()).data(Map.of("uri", uri, "error", Map.of("code", p.code(),
        "message", String.valueOf(p.getMessage())))).build();
  }

  /** Runs the operation for the request's caller; the answer or the problem becomes the tool's result. */
  private Mono<McpSchema.CallToolResult> call(Operation op, McpTransportContext ctx, McpSchema.CallToolRequest request) {
    JsonObject args;
    try {
      args = request.arguments() == null ? new JsonObject() : new JsonObject(json.writeValueAsString(request.arguments()));
    } catch (IOException | RuntimeException unreadable) {
      return Mono.just(failure(Problem.badRequest("invalid_arguments", "the arguments are not a JSON object")));
    }
    return Mono.fromCompletionStage(() -> run(op, ctx, args).toCompletionStage())
        .map(result -> McpSchema.CallToolResult.builder().addTextContent(result.encode())
            .structuredContent(json, result.encode()).isError(false).build())
        .onErrorResume(t -> Mono.just(failure(Problem.from(t))));
  }

  /** The operation through the registry, audited like the bridge: every write, and every refusal. */
  private Future<JsonObject> run(Operation op, McpTransportContext ctx, JsonObject args) {
    Caller caller = caller(ctx);
    Future<JsonObject> result = ops.run(op, caller, args);
    return result.andThen(ar -> {
      Problem p = ar.failed() ? Problem.from(ar.cause()) : null;
      int status = p == null ? 200 : p.status();
      String outcome = AuditLog.outcomeOf(status);
      if (op.writes() || AuditLog.REFUSED.equals(outcome)) {
        audit.record(new AuditLog.Entry(caller == null ? null : caller.username(), "MCP " + op.name(), AUDIT_RESOURCE, outcome,
            status, (String) ctx.get(ADDRESS), (String) ctx.get(USER_AGENT), p == null ? null : p.code() + ": " + p.getMessage()));
      }
    });
  }

  private static McpSchema.CallToolResult failure(Problem p) {
    return McpSchema.CallToolResult.builder().addTextContent(p.toJson().encode()).isError(true).build();
  }

  private static Caller caller(McpTransportContext ctx) {
    return ctx == null ? null : (Caller) ctx.get(CALLER);
  }

  /** A Vert.x JSON object as the plain maps and lists the SDK's mapper writes. */
  private Map<String, Object> map(JsonObject o) {
    try {
      return json.readValue(o.encode(), MAP);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The transport context of one request: who calls, from where, with what client. */
  static McpTransportContext context(Caller caller, String address, String userAgent) {
    Map<String, Object> values = new HashMap<>();
    values.put(CALLER, caller);
    if (address != null) {
      values.put(ADDRESS, address);
    }
    if (userAgent != null) {
      values.put(USER_AGENT, userAgent);
    }
    return McpTransportContext.create(values);
  }
}
