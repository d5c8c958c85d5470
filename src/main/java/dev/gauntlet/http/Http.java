package dev.gauntlet.http;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Small helpers every handler shares: JSON in, JSON out, errors in one shape. */
final class Http {

  private static final Logger LOG = Logger.getLogger(Http.class.getName());
  static final int MAX_LIMIT = 1000;
  private static final String PARSED_BODY = "gauntlet.body";

  private Http() {}

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body instanceof JsonObject j ? j.toBuffer() : Buffer.buffer(io.vertx.core.json.Json.encode(body)));
  }

  /** Answers with the future's value, or its failure as an error body. */
  static void reply(RoutingContext ctx, int status, Future<?> result) {
    result.onSuccess(v -> json(ctx, status, v)).onFailure(ctx::fail);
  }

  /**
   * Parses any JSON body once, before a handler sees it, so that a truncated, malformed or
   * non-UTF-8 body is a 400 on every route, even one that ignores its body.
   */
  static void parseBody(RoutingContext ctx) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    String type = ctx.request().getHeader("Content-Type");
    if (raw != null && raw.length() > 0 && (type == null || !type.regionMatches(true, 0, "multipart/", 0, 10))) {
      ctx.put(PARSED_BODY, decode(raw));
    }
    ctx.next();
  }

  private static Object decode(Buffer raw) {
    try {
      return io.vertx.core.json.Json.decodeValue(raw);
    } catch (DecodeException e) {
      throw Problem.badRequest("invalid_json", "the body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  /** The request body as a JSON object, or a 400 that says what is wrong with it. */
  static JsonObject body(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw Problem.badRequest("missing_body", "a JSON object body is required");
    }
    Object parsed = ctx.get(PARSED_BODY);
    if (parsed == null) {
      parsed = decode(raw);
    }
    if (!(parsed instanceof JsonObject o)) {
      throw Problem.badRequest("invalid_json", "the body must be a JSON object");
    }
    return o;
  }

  /** The body as a JSON object, or an empty object when the request carries none. */
  static JsonObject bodyOrEmpty(RoutingContext ctx) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    return raw == null || raw.length() == 0 ? new JsonObject() : body(ctx);
  }

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw Problem.badRequest("invalid_parameter", "'" + name + "' must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw Problem.badRequest("invalid_parameter", "'" + name + "' must be a whole number");
    }
  }

  static JsonObject page(RoutingContext ctx, int defaultLimit) {
    return new JsonObject().put("offset", intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE))
        .put("limit", intParam(ctx, "limit", defaultLimit, 1, MAX_LIMIT));
  }

  /**
   * Vert.x decodes a multipart body only on POST, PUT, PATCH and DELETE and throws on any other
   * method: such a request is the caller's mistake, refused before any body handler sees it.
   */
  static void multipartOnlyWhereDecodable(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    var method = ctx.request().method();
    if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10) && method != io.vertx.core.http.HttpMethod.POST
        && method != io.vertx.core.http.HttpMethod.PUT && method != io.vertx.core.http.HttpMethod.PATCH
        && method != io.vertx.core.http.HttpMethod.DELETE) {
      ctx.fail(Problem.badRequest("invalid_body", "a " + method + " request carries no multipart body"));
      return;
    }
    ctx.next();
  }

  /** The one failure handler: every error leaves as {@code {"error":{"code","message"}}}. */
  static void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    Problem p;
    if (t instanceof DecodeException) {
      p = Problem.badRequest("invalid_json", "the body is not valid JSON");
    } else if (t instanceof IllegalArgumentException && t.getMessage() != null && t.getMessage().startsWith("Param '")) {
      // Vert.x's multipart decoder refuses a part without a name (name="")
      p = Problem.badRequest("invalid_body", "every multipart part needs a name");
    } else if (t instanceof java.io.IOException && "Size exceed allowed maximum capacity".equals(t.getMessage())) {
      // Netty's decoder keeps form fields (not files) in memory, up to the server's form attribute size
      p = new Problem(413, "payload_too_large", "a multipart form field is larger than the server accepts (8 KB)");
    } else if (multipart(ctx) && (t instanceof io.vertx.core.impl.NoStackTraceThrowable || t instanceof io.vertx.core.VertxException)
        && Set.of("Streaming aborted", "Pipe closed").contains(t.getMessage())) {
      // the decoder gave up on a malformed part while a file was being written
      p = Problem.badRequest("invalid_body", "the multipart body is malformed");
    } else if (t == null || t instanceof io.vertx.ext.web.handler.HttpException) {
      int status = t == null ? ctx.statusCode() : ((io.vertx.ext.web.handler.HttpException) t).getStatusCode();
      p = switch (status) {
        case 413 -> new Problem(413, "payload_too_large", "the body is larger than the server accepts");
        case 404 -> new Problem(404, "not_found", "no such resource: " + ctx.request().path());
        case 405 -> new Problem(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path());
        case 401 -> Problem.unauthorized("authentication is required");
        case 403 -> Problem.forbidden("not allowed");
        case 400 -> Problem.badRequest("bad_request", "the request is malformed");
        case -1 -> new Problem(500, "internal_error", "internal error");
        default -> new Problem(status, "error", "request failed with status " + status);
      };
    } else {
      p = Problem.from(t);
    }
    if (ctx.response().ended()) {
      // already answered (a refusal while the body was still arriving): what fails after is its echo, not news
      LOG.fine(() -> "request " + ctx.request().method() + " " + ctx.request().path() + " failed after its answer: " + t);
      return;
    }
    if (p.status() >= 500) {
      LOG.log(Level.SEVERE, "request " + ctx.request().method() + " " + ctx.request().path() + " failed", t);
    }
    if (p.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gauntlet\"");
    }
    if (p.retryAfterSeconds() > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(p.retryAfterSeconds()));
    }
    json(ctx, p.status(), p.toJson());
  }

  private static boolean multipart(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
