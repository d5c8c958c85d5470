package dev.gauntlet.it;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw-WebSocket event-bus bridge client, as a script connects, and the frames it receives. */
record BridgeSocket(WebSocket ws, BlockingQueue<JsonObject> frames, CompletableFuture<Void> closed) {

  static BridgeSocket connect(WebSocketClient client, int port, String accessToken) throws Exception {
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    String query = accessToken == null ? "" : "?access_token=" + java.net.URLEncoder.encode(accessToken, java.nio.charset.StandardCharsets.UTF_8);
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket" + query))
        .onSuccess(w -> {
          w.handler(b -> frames.add(new JsonObject(b)));
          w.closeHandler(v -> closed.complete(null));
        })
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new BridgeSocket(ws, frames, closed);
  }

  void send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  /** The next frame, or null after a few seconds without one. */
  JsonObject next() throws InterruptedException {
    return frames.poll(20, TimeUnit.SECONDS);
  }

  /** Sends {@code {"op","args"}} to the API address (with the given raw headers, if any) and returns the reply frame. */
  JsonObject request(String op, JsonObject args, JsonObject headers) throws InterruptedException {
    JsonObject frame = new JsonObject().put("type", "send").put("address", "gauntlet.api").put("replyAddress", UUID.randomUUID().toString())
        .put("body", new JsonObject().put("op", op).put("args", args));
    if (headers != null) {
      frame.put("headers", headers);
    }
    send(frame);
    return next();
  }

  /** True when the socket was closed by the server within the given time. */
  boolean closedWithin(long seconds) {
    try {
      closed.get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  void close() {
    ws.close();
  }
}
