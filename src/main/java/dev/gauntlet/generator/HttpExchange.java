package dev.gauntlet.generator;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One HTTP request and its answer sorted into an {@link Outcome}: the shared half of the remote
 * generator types. Owns the generator's web client, sized to its concurrency.
 */
final class HttpExchange {

  private static final int DETAIL_CHARS = 300;
  /**
   * Answers larger than this are read on a worker thread: parsing 10 MB of JSON takes 100 to
   * 200 ms warm and over half a second cold, too long to hold an event loop that serves others.
   */
  static final int PARSE_OFF_LOOP_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final WebClient client;
  private final long maxResponseBytes;
  /** The last URL parsed: a generator's URL seldom changes, and parsing it cost more than the rest of building a request. */
  private volatile Endpoint last;

  /** Where an absolute URL points, split as the web client's {@code requestAbs} splits it. */
  record Endpoint(String url, boolean ssl, int port, String host, String uri) {

    static Endpoint of(String url) throws MalformedURLException {
      URL u = new URL(url);
      boolean ssl = u.getProtocol().endsWith("s");
      int port = u.getPort() >= 0 ? u.getPort() : ssl ? 443 : 80;
      return new Endpoint(url, ssl, port, u.getHost(), u.getFile());
    }
  }

  HttpExchange(Vertx vertx, Resilience limits) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx,
        new WebClientOptions().setUserAgent("Gauntlet").setDecompressionSupported(true).setFollowRedirects(false),
        new PoolOptions().setHttp1MaxSize(limits.maxConcurrency()).setHttp2MaxSize(limits.maxConcurrency()));
    this.maxResponseBytes = limits.maxResponseBytes();
  }

  /**
   * Sends and classifies: 2xx goes to {@code onSuccess}; a 4xx other than 429 first to
   * {@code onClientError}, which may return null to leave it a client error.
   */
  Future<Outcome> send(HttpMethod method, String url, MultiMap headers, Buffer body, long timeoutMs,
                       Future<Void> abandoned, Function<HttpResponse<Buffer>, Outcome> onSuccess,
                       Function<HttpResponse<Buffer>, Outcome> onClientError) {
    Future<HttpResponse<Buffer>> sent;
    try {
      Endpoint at = last;
      if (at == null || !at.url().equals(url)) {
        at = Endpoint.of(url);
        last = at;
      }
      HttpRequest<Buffer> request = client.request(method, at.port(), at.host(), at.uri()).ssl(at.ssl())
          .putHeaders(headers)
          .connectTimeout(Math.min(timeoutMs, 30_000))
          .idleTimeout(timeoutMs)
          .as(new CappedBody(maxResponseBytes, abandoned));
      sent = body == null ? request.send() : request.sendBuffer(body);
    } catch (RuntimeException | MalformedURLException unsendable) {
      // e.g. a header value with a line break: the configuration's fault, not worth retrying
      return Future.succeededFuture(Outcome.failed(ReplyError.CLIENT_ERROR, 0,
          "the request could not be built: " + unsendable.getMessage()));
    }
    return sent.transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(failure(ar.cause()));
      }
      HttpResponse<Buffer> r = ar.result();
      if (r.body() != null && r.body().length() > PARSE_OFF_LOOP_BYTES) {
        return vertx.executeBlocking(() -> classify(r, onSuccess, onClientError), false);
      }
      return Future.succeededFuture(classify(r, onSuccess, onClientError));
    });
  }

  void close() {
    client.close();
  }

  private static Outcome classify(HttpResponse<Buffer> r, Function<HttpResponse<Buffer>, Outcome> onSuccess,
                                  Function<HttpResponse<Buffer>, Outcome> onClientError) {
    int status = r.statusCode();
    if (status >= 200 && status < 300) {
      try {
        return onSuccess.apply(r);
      } catch (RuntimeException unreadable) {
        return Outcome.failed(ReplyError.INVALID_RESPONSE, status, "unreadable answer: " + unreadable.getMessage());
      }
    }
    String detail = "HTTP " + status + ": " + snippet(r.body());
    if (status == 429) {
      return Outcome.failed(ReplyError.RATE_LIMITED, status, detail, retryAfterMs(r.getHeader("Retry-After")));
    }
    if (status >= 500) {
      return Outcome.failed(ReplyError.SERVER_ERROR, status, detail, retryAfterMs(r.getHeader("Retry-After")));
    }
    if (status >= 400) {
      Outcome special = onClientError == null ? null : onClientError.apply(r);
      return special != null ? special : Outcome.failed(ReplyError.CLIENT_ERROR, status, detail);
    }
    return Outcome.failed(ReplyError.INVALID_RESPONSE, status, detail);
  }

  /** A failure before or while reading the answer. */
  static Outcome failure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CappedBody.TooLarge) {
        return Outcome.failed(ReplyError.TOO_LARGE, 0, c.getMessage());
      }
      if (c instanceof CappedBody.Abandoned || c instanceof TimeoutException
          || c.getClass().getSimpleName().contains("Timeout")) {
        return Outcome.failed(ReplyError.TIMEOUT, 0, "timed out: " + c.getMessage());
      }
      if (c instanceof IOException || c instanceof HttpClosedException
          || c instanceof io.netty.channel.ChannelException) {
        return Outcome.failed(ReplyError.CONNECTION, 0, "connection failed: " + c.getMessage());
      }
    }
    return Outcome.failed(ReplyError.UNKNOWN, 0, "request failed: " + t);
  }

  /** {@code Retry-After} as delay-seconds or an HTTP-date, in milliseconds; -1 when absent or unreadable. */
  static long retryAfterMs(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String v = header.trim();
    try {
      return Math.max(0, Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }

  static String snippet(Buffer body) {
    if (body == null || body.length() == 0) {
      return "(empty body)";
    }
    String s = body.length() > DETAIL_CHARS * 4 ? body.getString(0, DETAIL_CHARS * 4) : body.toString();
    return s.length() > DETAIL_CHARS ? s.substring(0, DETAIL_CHARS) + "…" : s;
  }

  /** Refuses anything but an absolute http(s) URL at configuration time. */
  static void checkUrl(String url, String param) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw Problem.badRequest("invalid_parameter", "parameters." + param + " is not a valid URL: " + e.getReason());
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
      throw Problem.badRequest("invalid_parameter", "parameters." + param + " must be an absolute http:// or https:// URL");
    }
  }
}
