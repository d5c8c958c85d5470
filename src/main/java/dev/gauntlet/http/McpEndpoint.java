package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.operations.Operations;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The MCP server at {@code /mcp}: the Streamable HTTP transport of the Model Context Protocol
 * (2025-03-26 and later), stateless, for assistants that hold an API key.
 *
 * <p>The protocol is the official MCP Java SDK's: its stateless server
 * ({@link McpServer#async(McpStatelessServerTransport)}) answers initialize, ping, tools/list,
 * tools/call, resources/list and resources/read, negotiates the protocol version and writes the
 * JSON-RPC. Its own HTTP transports are servlets, and Gauntlet is Vert.x, so this class is the SDK's
 * {@link McpStatelessServerTransport} SPI on a Vert.x route: it reads the POSTed JSON-RPC message
 * with the SDK's mapper, hands it to the SDK's handler with the authenticated caller in the
 * transport context, and writes the reply on the request's event loop without blocking it (the
 * tools answer with futures of the registry, turned into Monos). Stateless fits Gauntlet: every
 * request carries its bearer credential and every operation names its user, so there is no
 * session to keep and any HTTP verticle, or node, answers any request. Hence no
 * {@code Mcp-Session-Id} and no SSE: GET (a server-to-client stream) and DELETE (ending a session)
 * answer 405, as the transport specification says for such a server; a notification or a client's
 * response is accepted with 202. This is the shortest road to a correct, maintained server: the
 * SDK keeps up with the specification's versions, where JSON-RPC written here would not, and its
 * session-keeping streamable provider would need its sessions shared across verticles and nodes.
 *
 * <p>Only a bearer credential is accepted here, never a browser session's cookie, so a page of
 * another site cannot call tools on a signed-in user's behalf (the DNS-rebinding concern the
 * specification raises about Origin). Credentials are checked by {@link Guard}, scopes by the
 * registry; refusals at the HTTP level (no or bad credential, rate limits) are audited as
 * {@code MCP request}, and each tool call as {@code MCP <op>} by {@link McpTools}.
 */
final class McpEndpoint implements McpStatelessServerTransport {

  private static final Logger LOG = Logger.getLogger(McpEndpoint.class.getName());
  private static final String JSON = "application/json";

  private final AuditLog audit;
  private final Vertx vertx;
  private final Operations ops;
  /** Set once by {@link #start}, before the route is served. */
  private volatile McpJsonMapper json;
  private volatile McpStatelessServerHandler handler;

  McpEndpoint(Vertx vertx, Operations ops, AuditLog audit) {
    this.vertx = vertx;
    this.ops = ops;
    this.audit = audit;
  }

  /**
   * Builds the SDK's server over this transport (it hands itself over through {@link #setMcpHandler}).
   * On a worker: the first build loads the SDK, Jackson 3 and the schema validator, seconds on a busy
   * machine, which an event loop must not wait for.
   */
  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      json = McpJsonDefaults.getMapper();
      McpTools tools = new McpTools(ops, audit, json);
      McpServer.async(this).serverInfo("gauntlet", version()).jsonMapper(json)
          .instructions("Gauntlet is an AI red-teaming workbench. Configure generators (the models under test), datasets of attack"
              + " prompts, converters, scorers and orchestrators (each kind's types and their parameters are in the resources"
              + " gauntlet://types/<kind> and the *_types tools), launch an execution of an orchestrator, poll executions_get"
              + " until it is completed, then read executions_results and dashboard_summary.")
          .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
          // arguments are checked once, by the operation itself, so a refusal is answered and audited as on every surface
          .validateToolInputs(false)
          .tools(tools.tools())
          .addToolFilter((ctx, tool) -> Mono.just(tools.visible(ctx, tool)))
          .resources(tools.resources())
          .build();
      return null;
    }, false);
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.empty();
  }

  /** Only a bearer credential opens /mcp: no cookie, so no other site's page can use a browser's session. */
  static void requireBearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(Problem.unauthorized("MCP needs an 'Authorization: Bearer' header with an API key or an access token"));
      return;
    }
    ctx.next();
  }

  /** Records a refused request (no or bad credential, rate limit) once it is answered; tool calls are audited by the tools. */
  void audit(RoutingContext ctx) {
    String userAgent = ctx.request().getHeader("User-Agent");
    ctx.addEndHandler(done -> {
      int status = ctx.response().getStatusCode();
      if (AuditLog.REFUSED.equals(AuditLog.outcomeOf(status)) && !Boolean.TRUE.equals(ctx.get(Guard.AUDIT_SKIP))) {
        audit.record(new AuditLog.Entry(ctx.get(Guard.AUDIT_ACTOR), "MCP request", McpTools.AUDIT_RESOURCE, AuditLog.REFUSED, status,
            Guard.address(ctx), userAgent, null));
      }
    });
    ctx.next();
  }

  /** One JSON-RPC message POSTed by an authenticated client; GET and DELETE are not served by a stateless server. */
  void serve(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.POST) {
      ctx.response().putHeader("Allow", "POST");
      Http.json(ctx, 405, new Problem(405, "method_not_allowed", "this MCP server keeps no sessions and opens no event streams:"
          + " send JSON-RPC messages with POST").toJson());
      return;
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && !accept.contains(JSON) && !accept.contains("*/*")) {
      Http.json(ctx, 406, new Problem(406, "not_acceptable", "this server answers application/json").toJson());
      return;
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, body == null ? "" : body.toString());
    } catch (IOException | RuntimeException e) {
      // Jackson 3 reports malformed JSON unchecked; the SDK, an unknown message shape as IllegalArgumentException
      rpcError(ctx, 400, null, McpSchema.ErrorCodes.PARSE_ERROR, "the body is not one JSON-RPC message");
      return;
    }
    // after initialize, a client names the version it negotiated; one this server does not speak is refused
    String version = ctx.request().getHeader("MCP-Protocol-Version");
    boolean initialize = message instanceof McpSchema.JSONRPCRequest r && McpSchema.METHOD_INITIALIZE.equals(r.method());
    if (version != null && !initialize && !protocolVersions().contains(version)) {
      rpcError(ctx, 400, message instanceof McpSchema.JSONRPCRequest r ? r.id() : null, McpSchema.ErrorCodes.INVALID_REQUEST,
          "unsupported MCP-Protocol-Version " + version + "; supported: " + protocolVersions());
      return;
    }
    McpTransportContext transport = McpTools.context(Guard.caller(ctx), Guard.address(ctx), ctx.request().getHeader("User-Agent"));
    Context here = Vertx.currentContext();
    if (message instanceof McpSchema.JSONRPCRequest request) {
      Mono<McpSchema.JSONRPCResponse> reply = handler.handleRequest(transport, request)
          .contextWrite(c -> c.put(McpTransportContext.KEY, transport));
      Future.fromCompletionStage(reply.toFuture(), here).onComplete(ar -> {
        if (ar.succeeded() && ar.result() != null) {
          write(ctx, 200, ar.result());
        } else {
          LOG.log(Level.SEVERE, "MCP request " + request.method() + " failed", ar.cause());
          rpcError(ctx, 500, request.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "internal error");
        }
      });
    } else if (message instanceof McpSchema.JSONRPCNotification notification) {
      Mono<Void> handled = handler.handleNotification(transport, notification).contextWrite(c -> c.put(McpTransportContext.KEY, transport));
      Future.fromCompletionStage(handled.toFuture(), here).onComplete(ar -> ctx.response().setStatusCode(202).end());
    } else {
      // a client's answer to a request of ours: a stateless server sends none, so there is nothing to match it with
      ctx.response().setStatusCode(202).end();
    }
  }

  private void write(RoutingContext ctx, int status, Object message) {
    try {
      ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(json.writeValueAsString(message));
    } catch (IOException e) {
      ctx.fail(e);
    }
  }

  /** A JSON-RPC error; written by hand, as the SDK's response type refuses the null id of a message that could not be read. */
  private static void rpcError(RoutingContext ctx, int status, Object id, int code, String message) {
    Http.json(ctx, status, new JsonObject().put("jsonrpc", McpSchema.JSONRPC_VERSION).put("id", id)
        .put("error", new JsonObject().put("code", code).put("message", message)));
  }

  private static String version() {
    String v = McpEndpoint.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
