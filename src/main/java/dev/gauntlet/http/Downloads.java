package dev.gauntlet.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends a file operation's answer as a download: a file the operation wrote (removed once sent)
 * or content it produced, under the name it chose (never one the caller typed into a header).
 */
final class Downloads {

  private Downloads() {}

  static void send(RoutingContext ctx, JsonObject done) {
    var response = ctx.response().putHeader("Content-Type", done.getString("content_type", "application/octet-stream"))
        .putHeader("Content-Disposition", "attachment; filename=\"" + done.getString("filename", "download") + "\"");
    if (done.getValue("rows") != null) {
      response.putHeader("X-Gauntlet-Rows", String.valueOf(done.getValue("rows")));
    }
    String file = done.getString("file");
    if (file == null) {
      response.end(done.getString("content", ""));
      return;
    }
    response.sendFile(file).onComplete(sent -> ctx.vertx().fileSystem().delete(file));
  }
}
