package dev.gauntlet.http;

import dev.gauntlet.operations.Operation;
import dev.gauntlet.orchestrator.Progress;
import dev.gauntlet.operations.Operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.auth.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The SockJS event-bus bridge at {@code /eventbus}. A socket is authenticated once, when it is
 * created, from its bearer credential ({@code Authorization} header or {@code access_token}
 * query parameter) or, for the browser's pages, from the session cookie. Every message it sends to {@link #API} is stamped with that caller,
 * and it may register only on its own progress address. Anything else (another address, a
 * publish, a message that names a user or sets Gauntlet's headers itself) is refused and audited,
 * as are sockets without valid credentials, every write and every refused operation.
 */
final class EventBusBridge {

  static final String API = "gauntlet.api";
  static final String CALLER_HEADER = "gauntlet-caller";
  static final String ADDRESS_HEADER = "gauntlet-address";
  static final String AGENT_HEADER = "gauntlet-user-agent";
  /** Fields that would name a user: a client never sets them; the socket's identity does. */
  private static final java.util.Set<String> USER_FIELDS = java.util.Set.of("user", "username", "user_id", "owner", "caller");
  private static final Logger LOG = Logger.getLogger(EventBusBridge.class.getName());

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final Operations ops;
  private final WebSessions sessions;
  private final AuditLog audit;
  private final RateLimiter limiter;
  /** Each socket's caller, pending until its credential is checked: early messages wait on it, in order. */
  private final Map<SockJSSocket, Future<Caller>> callers = new IdentityHashMap<>();
  /**
   * Where the caller authenticated on a request is kept on that request's own context, which the
   * socket it becomes carries: an identity never outlives its request, and is never looked up by
   * connection (a proxy reuses upstream connections for other people's requests).
   */
  private static final String REQUEST_CALLER = "gauntlet.bridge.caller";

  EventBusBridge(Vertx vertx, Authenticator authenticator, Operations ops, WebSessions sessions, AuditLog audit,
      RateLimiter limiter) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.authenticator = authenticator;
    this.ops = ops;
    this.audit = audit;
    this.limiter = limiter;
  }

  public static String progressAddress(String username) {
    return Progress.address(username);
  }

  Router router() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(API))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Progress.PREFIX.replace(".", "\\.") + ".+"));
    return SockJSHandler.create(vertx).bridge(options, this::event);
  }

  /**
   * Checks the credential on the HTTP request before SockJS turns it into a socket, so the
   * socket is accepted at once. Vert.x reads a socket's frames only once SOCKET_CREATED is
   * decided; deciding it asynchronously would drop a client's first frames. A bearer credential
   * wins; without one, a browser's session cookie counts, but only from a page of this server
   * (same {@code Origin}), so another site cannot ride on the cookie.
   */
  void authenticateConnection(io.vertx.ext.web.RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String bearer = bearer(request.headers(), request.uri());
    boolean cookie = request.getCookie(WebSessions.COOKIE) != null;
    if ((bearer == null && !cookie) || request.remoteAddress() == null) {
      ctx.next();
      return;
    }
    // an upgrade must not be resumed by us, or the request counts as read before SockJS upgrades it
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    request.pause();
    Future<Caller> caller = bearer != null ? authenticator.authenticate(bearer, request.remoteAddress().hostAddress())
        : sessionCaller(request);
    caller.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.put(REQUEST_CALLER, ar.result());
      }
      if (!upgrade) {
        request.resume();
      }
      ctx.next();
    });
  }

  private Future<Caller> sessionCaller(HttpServerRequest request) {
    if (!WebSessions.sameOrigin(request)) {
      LOG.warning("bridge refused a session socket from origin " + request.getHeader("Origin"));
      return Future.failedFuture(Problem.forbidden("a session socket must come from a page of this server"));
    }
    return sessions.callerOf(request);
  }

  /** Serves {@link #API}: {@code {"op": "...", "args": {...}}} from a bridged, stamped caller. */
  void serve() {
    vertx.eventBus().<JsonObject>consumer(API, this::handle);
  }

  private void handle(Message<JsonObject> m) {
    String stamped = m.headers().get(CALLER_HEADER);
    if (stamped == null) {
      Problem.unauthorized("messages to " + API + " must come through the authenticated bridge").failReply(m);
      return;
    }
    JsonObject body = m.body();
    if (body == null || !(body.getValue("op") instanceof String op)) {
      Problem.badRequest("invalid_body", "a message needs {\"op\": \"...\", \"args\": {...}}").failReply(m);
      return;
    }
    Object args = body.getValue("args");
    if (args != null && !(args instanceof JsonObject)) {
      Problem.badRequest("invalid_body", "'args' must be an object").failReply(m);
      return;
    }
    Caller caller = Caller.fromJson(new JsonObject(stamped));
    // file downloads and signing in are REST's; every other operation is served here
    Future<JsonObject> result = ops.get(op).filter(Operation::servedEverywhere).map(o -> ops.run(o, caller, (JsonObject) args))
        .orElseGet(() -> Future.failedFuture(Problem.badRequest("unknown_operation", "no operation named '" + op + "'")));
    result.onComplete(ar -> {
      int status = ar.succeeded() ? 200 : Problem.from(ar.cause()).status();
      if (ops.writes(op) || AuditLog.REFUSED.equals(AuditLog.outcomeOf(status))) {
        audit.record(new AuditLog.Entry(caller.username(), "BUS " + op, API, AuditLog.outcomeOf(status), status,
            m.headers().get(ADDRESS_HEADER), m.headers().get(AGENT_HEADER), null));
      }
      if (ar.succeeded()) {
        m.reply(ar.result());
      } else {
        Problem.from(ar.cause()).failReply(m);
      }
    });
  }

  private void event(BridgeEvent be) {
    SockJSSocket socket = be.socket();
    switch (be.type()) {
      case SOCKET_CREATED -> {
        Caller known = socket.routingContext() == null ? null : socket.routingContext().get(REQUEST_CALLER);
        Future<Caller> caller = known != null ? Future.succeededFuture(known)
            : authenticator.authenticate(bearer(socket.headers(), socket.uri()), address(socket));
        callers.put(socket, caller);
        caller.onComplete(ar -> {
          if (ar.failed()) {
            LOG.info("bridge socket refused: " + ar.cause().getMessage());
            refuse(socket, null, "BUS connect", "/eventbus", 401, ar.cause().getMessage());
          }
          be.complete(ar.succeeded());
        });
      }
      case SOCKET_CLOSED -> {
        callers.remove(socket);
        be.complete(true);
      }
      case SEND -> withCaller(be, caller -> {
        JsonObject raw = be.getRawMessage();
        String address = raw.getValue("address") instanceof String a ? a : null;
        if (!API.equals(address)) {
          return refuse(socket, caller, "BUS send", address, 403, "not a bridged address");
        }
        String forged = forgedField(raw, caller);
        if (forged != null) {
          return refuse(socket, caller, "BUS send", address, 403, "forged user field " + forged);
        }
        RateLimiter.Refusal limited = limiter.take(RateLimiter.Limit.API_PER_USER, caller.userId());
        if (limited != null) {
          return limited.worthAuditing() ? refuse(socket, caller, "BUS send", address, 429, "rate limited") : false;
        }
        JsonObject stamped = new JsonObject().put(CALLER_HEADER, caller.toJson().encode());
        // the bridge copies headers as strings: an absent value must be left out, not sent as null
        if (address(socket) != null) {
          stamped.put(ADDRESS_HEADER, address(socket));
        }
        if (userAgent(socket) != null) {
          stamped.put(AGENT_HEADER, userAgent(socket));
        }
        raw.put("headers", stamped);
        be.setRawMessage(raw);
        return true;
      });
      case REGISTER -> withCaller(be, caller -> {
        String address = be.getRawMessage() == null ? null : be.getRawMessage().getString("address");
        if (!progressAddress(caller.username()).equals(address)) {
          LOG.warning("bridge refused registration on " + address + " for " + caller.username());
          return refuse(socket, caller, "BUS register", address, 403, "not the caller's own address");
        }
        return true;
      });
      // the API is request/reply, and clients publish nowhere else
      case PUBLISH -> withCaller(be, caller -> refuse(socket, caller, "BUS publish",
          be.getRawMessage() == null ? null : String.valueOf(be.getRawMessage().getValue("address")), 403, "publishing is not bridged"));
      default -> be.complete(true);
    }
  }

  /** Records a refusal and answers false, so the bridge refuses the event. */
  private boolean refuse(SockJSSocket socket, Caller caller, String action, String address, int status, String why) {
    audit.record(new AuditLog.Entry(caller == null ? null : caller.username(), action, address, AuditLog.REFUSED, status,
        address(socket), userAgent(socket), why));
    return false;
  }

  /**
   * The first place a message names a user or sets Gauntlet's own headers, or null. Naming
   * oneself is harmless; naming anyone else, or stamping a caller, is a forgery.
   */
  static String forgedField(JsonObject raw, Caller caller) {
    Object headers = raw.getValue("headers");
    if (headers != null && !(headers instanceof JsonObject)) {
      return "headers";
    }
    if (headers instanceof JsonObject h) {
      for (String key : h.fieldNames()) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("gauntlet-") || USER_FIELDS.contains(lower) && !names(caller, h.getValue(key))) {
          return "headers." + key;
        }
      }
    }
    if (raw.getValue("body") instanceof JsonObject body) {
      String found = userField(body, caller, "body.");
      if (found == null && body.getValue("args") instanceof JsonObject args) {
        found = userField(args, caller, "body.args.");
      }
      return found;
    }
    return null;
  }

  private static String userField(JsonObject o, Caller caller, String where) {
    for (String field : USER_FIELDS) {
      if (o.containsKey(field) && !names(caller, o.getValue(field))) {
        return where + field;
      }
    }
    return null;
  }

  private static boolean names(Caller caller, Object value) {
    return caller.username().equals(value) || caller.userId().equals(value);
  }

  /** Decides an event once the socket's caller is known; a socket that failed authentication gets nothing. */
  private void withCaller(BridgeEvent be, java.util.function.Function<Caller, Boolean> decide) {
    Future<Caller> caller = callers.get(be.socket());
    if (caller == null) {
      be.complete(false);
      return;
    }
    caller.onComplete(ar -> be.complete(ar.succeeded() && decide.apply(ar.result())));
  }

  private static String bearer(io.vertx.core.MultiMap headers, String uri) {
    String header = headers == null ? null : headers.get("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    int q = uri == null ? -1 : uri.indexOf('?');
    if (q >= 0) {
      for (String pair : uri.substring(q + 1).split("&")) {
        if (pair.startsWith("access_token=")) {
          return java.net.URLDecoder.decode(pair.substring("access_token=".length()), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  private static String address(SockJSSocket socket) {
    return socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
  }

  private static String userAgent(SockJSSocket socket) {
    return socket.headers() == null ? null : socket.headers().get("User-Agent");
  }
}
