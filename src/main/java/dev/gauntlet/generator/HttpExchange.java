package dev.gauntlet.generator;

import dev.gauntlet.Problem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.net.InetAddress;
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
 * generator types. Owns the generator's HTTP client, sized to its concurrency. The answer is
 * kept in memory up to {@code max_response_bytes}: the first chunk past the limit, or any chunk
 * after the caller gave up, resets the connection, so a huge or endless body is never read to
 * the end.
 */
final class HttpExchange {

  private static final int DETAIL_CHARS = 300;
  /**
   * Answers larger than this are read on a worker thread: parsing 10 MB of JSON takes 100 to
   * 200 ms warm and over half a second cold, too long to hold an event loop that serves others.
   */
  static final int PARSE_OFF_LOOP_BYTES = 256 * 1024;

  private final Vertx vertx;
  private static final String USER_AGENT = "Gauntlet";

  static final class TooLarge extends VertxException {
    TooLarge(long limit) {
      super("the answer is larger than max_response_bytes (" + limit + ")", true);
    }
  }

  static final class Abandoned extends VertxException {
    Abandoned() {
      super("the caller stopped waiting for the answer", true);
    }
  }

  /** An answer read to its end: status, headers and body. */
  record Answer(int statusCode, MultiMap headers, Buffer body) {
    String getHeader(String name) {
      return headers.get(name);
    }
  }

  private final HttpClient client;
  private final Egress.Gate egress;
  private final long maxResponseBytes;
  /** The last URL parsed: a generator's URL seldom changes, and parsing it cost more than the rest of building a request. */
  private volatile Endpoint last;

  /** Where an absolute URL points. */
  record Endpoint(String url, boolean ssl, int port, String host, String uri) {

    static Endpoint of(String url) throws MalformedURLException {
      URL u = new URL(url);
      boolean ssl = u.getProtocol().endsWith("s");
      int port = u.getPort() >= 0 ? u.getPort() : ssl ? 443 : 80;
      return new Endpoint(url, ssl, port, u.getHost(), u.getFile().isEmpty() ? "/" : u.getFile());
    }
  }

  HttpExchange(Vertx vertx, Resilience limits, Egress.Gate egress) {
    this.vertx = vertx;
    this.egress = egress;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(true),
        new PoolOptions().setHttp1MaxSize(limits.maxConcurrency()).setHttp2MaxSize(limits.maxConcurrency()));
    this.maxResponseBytes = limits.maxResponseBytes();
  }

  /**
   * Sends and classifies: 2xx goes to {@code onSuccess}; a 4xx other than 429 first to
   * {@code onClientError}, which may return null to leave it a client error.
   */
  Future<Outcome> send(HttpMethod method, String url, MultiMap headers, Buffer body, long timeoutMs,
                       Future<Void> abandoned, Function<Answer, Outcome> onSuccess, Function<Answer, Outcome> onClientError) {
    RequestOptions options;
    Endpoint target;
    try {
      Endpoint at = last;
      if (at == null || !at.url().equals(url)) {
        at = Endpoint.of(url);
        last = at;
      }
      target = at;
      options = new RequestOptions().setMethod(method).setHost(at.host()).setPort(at.port()).setURI(at.uri()).setSsl(at.ssl())
          .setHeaders(headers).setFollowRedirects(false)
          .setConnectTimeout(Math.min(timeoutMs, 30_000))
          .setIdleTimeout(timeoutMs);
    } catch (RuntimeException | MalformedURLException unsendable) {
      return unsendable(unsendable);
    }
    // the connection goes to the very address the policy passed (Host and TLS name stay the URL's)
    Future<InetAddress> checked = egress.check(vertx, target.host(), target.port());
    Future<HttpClientRequest> opened;
    if (checked.isComplete()) {
      // an address literal, a recent resolution: the request opens here, on the caller's context, as
      // it always did, so the response's handlers are set in the same turn it arrives in
      opened = checked.succeeded() ? client.request(pinned(options, target, checked.result())) : Future.failedFuture(checked.cause());
    } else {
      // a name being resolved off the event loop: the request still opens on the caller's context
      Context context = vertx.getOrCreateContext();
      Promise<HttpClientRequest> request = Promise.promise();
      checked.onComplete(address -> context.runOnContext(v -> {
        if (address.failed()) {
          request.fail(address.cause());
        } else {
          client.request(pinned(options, target, address.result())).onComplete(request);
        }
      }));
      opened = request.future();
    }
    return opened.compose(request -> {
      try {
        if (!headers.contains(HttpHeaders.USER_AGENT)) {
          request.putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
        }
        Future<HttpClientResponse> sent = body == null ? request.send() : request.send(body);
        return sent.compose(response -> read(request, response, abandoned));
      } catch (RuntimeException unsendable) {
        // e.g. a header value with a line break: the configuration's fault, not worth retrying
        request.reset();
        return Future.failedFuture(new Unsendable(unsendable));
      }
    }).transform(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof Egress.Denied denied) {
          return Future.succeededFuture(Outcome.failed(ReplyError.EGRESS_DENIED, 0, "refused by the egress policy: " + denied.getMessage()));
        }
        return Future.succeededFuture(ar.cause() instanceof Unsendable u ? Outcome.failed(ReplyError.CLIENT_ERROR, 0,
            "the request could not be built: " + u.getCause().getMessage()) : failure(ar.cause()));
      }
      Answer r = ar.result();
      if (r.body().length() > PARSE_OFF_LOOP_BYTES) {
        return vertx.executeBlocking(() -> classify(r, onSuccess, onClientError), false);
      }
      return Future.succeededFuture(classify(r, onSuccess, onClientError));
    });
  }

  private static RequestOptions pinned(RequestOptions options, Endpoint target, InetAddress address) {
    return options.setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()));
  }

  private static Future<Outcome> unsendable(Exception e) {
    return Future.succeededFuture(Outcome.failed(ReplyError.CLIENT_ERROR, 0, "the request could not be built: " + e.getMessage()));
  }

  /** A request that could not be built, told apart from a failure on the wire. */
  private static final class Unsendable extends VertxException {
    Unsendable(RuntimeException cause) {
      super(cause, true);
    }
  }

  /** The whole body, unless it outgrows the limit or the caller gives up first. */
  private Future<Answer> read(HttpClientRequest request, HttpClientResponse response, Future<Void> abandoned) {
    Promise<Answer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    response.exceptionHandler(read::tryFail);
    response.handler(chunk -> {
      if (read.future().isComplete()) {
        return;
      }
      if (abandoned.isComplete()) {
        read.tryFail(new Abandoned());
        request.reset();
      } else if ((long) body.length() + chunk.length() > maxResponseBytes) {
        read.tryFail(new TooLarge(maxResponseBytes));
        request.reset();
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> read.tryComplete(new Answer(response.statusCode(), response.headers(), body)));
    return read.future();
  }

  void close() {
    client.close();
  }
  private static Outcome classify(Answer r, Function<Answer, Outcome> onSuccess,
                                  Function<Answer, Outcome> onClientError) {
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
      if (c instanceof TooLarge) {
        return Outcome.failed(ReplyError.TOO_LARGE, 0, c.getMessage());
      }
      if (c instanceof Abandoned || c instanceof TimeoutException
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
