package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
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
 * replacing whatever headers the client wrote, and it may register only on its own progress
 * address.
 */
final class EventBusBridge {

  static final String API = "gauntlet.api";
  static final String PROGRESS_PREFIX = "gauntlet.progress.";
  static final String CALLER_HEADER = "gauntlet-caller";
  private static final Logger LOG = Logger.getLogger(EventBusBridge.class.getName());

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final ApiOperations ops;
  private final WebSessions sessions;
  /** Each socket's caller, pending until its credential is checked: early messages wait on it, in order. */
  private final Map<SockJSSocket, Future<Caller>> callers = new IdentityHashMap<>();
  /** Callers authenticated on the HTTP request that is about to become a socket, by connection. */
  private final Map<String, Caller> authenticatedConnections = new java.util.HashMap<>();

  EventBusBridge(Vertx vertx, Authenticator authenticator, ApiOperations ops, WebSessions sessions) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.authenticator = authenticator;
    this.ops = ops;
  }

  public static String progressAddress(String username) {
    return PROGRESS_PREFIX + username;
  }

  Router router() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(API))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(PROGRESS_PREFIX.replace(".", "\\.") + ".+"));
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
    String connection = request.remoteAddress().toString();
    // an upgrade must not be resumed by us, or the request counts as read before SockJS upgrades it
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    request.pause();
    Future<Caller> caller = bearer != null ? authenticator.authenticate(bearer, request.remoteAddress().hostAddress())
        : sessionCaller(request);
    caller.onComplete(ar -> {
      if (ar.succeeded()) {
        authenticatedConnections.put(connection, ar.result());
        vertx.setTimer(60_000, t -> authenticatedConnections.remove(connection));
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
    ops.run(op, Caller.fromJson(new JsonObject(stamped)), (JsonObject) args)
        .onSuccess(m::reply).onFailure(t -> Problem.from(t).failReply(m));
  }

  private void event(BridgeEvent be) {
    SockJSSocket socket = be.socket();
    switch (be.type()) {
      case SOCKET_CREATED -> {
        Caller known = socket.remoteAddress() == null ? null : authenticatedConnections.remove(socket.remoteAddress().toString());
        Future<Caller> caller = known != null ? Future.succeededFuture(known)
            : authenticator.authenticate(bearer(socket.headers(), socket.uri()), address(socket));
        callers.put(socket, caller);
        caller.onComplete(ar -> {
          if (ar.failed()) {
            LOG.info("bridge socket refused: " + ar.cause().getMessage());
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
        raw.put("headers", new JsonObject().put(CALLER_HEADER, caller.toJson().encode()));
        be.setRawMessage(raw);
        return true;
      });
      case REGISTER -> withCaller(be, caller -> {
        String address = be.getRawMessage() == null ? null : be.getRawMessage().getString("address");
        boolean own = progressAddress(caller.username()).equals(address);
        if (!own) {
          LOG.warning("bridge refused registration on " + address + " for " + caller.username());
        }
        return own;
      });
      // the API is request/reply: publishing to it is refused
      case PUBLISH -> be.complete(false);
      default -> be.complete(true);
    }
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
}
