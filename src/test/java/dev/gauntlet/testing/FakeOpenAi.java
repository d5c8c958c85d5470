package dev.gauntlet.testing;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scriptable OpenAI-compatible server on a real port, for tests and benchmarks. Serves
 * {@code POST /v1/chat/completions}, and for generic HTTP targets {@code /answer} (JSON
 * {@code {"answer": ...}}) and {@code /text} (plain {@code result=...;}), taking the prompt from
 * a JSON {@code prompt} field, the {@code q} query parameter, or the raw body.
 *
 * <p>By default it answers deterministically: a refusal when the prompt mentions "bomb" or
 * "malware", else {@code "Sure: " + prompt}. Faults ({@link Fault}) come from, in order: the
 * {@value #FAULT_HEADER} request header, a {@code [[fake:SPEC]]} marker inside the prompt, the
 * queue of next responses ({@link #enqueue}), then the standing fault ({@link #always}). A header
 * or marker spec may end in {@code *k}: it applies to the first k requests carrying that prompt
 * text, so "fail twice, then answer" needs no shared state in the test.
 */
public final class FakeOpenAi implements AutoCloseable {

  public static final String FAULT_HEADER = "X-Fake-Fault";
  public static final String REFUSAL = "I'm sorry, but I can't help with that.";

  private static final Pattern MARKER = Pattern.compile("\\[\\[fake:([^\\]]+)]]");
  private static final int MAX_TRACKED_PROMPTS = 100_000;
  private static final Buffer CHAT_HEAD = Buffer.buffer(
      "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":");
  private static final Buffer CHAT_MIDDLE = Buffer.buffer(
      ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
  private static final Buffer CHAT_TAIL = Buffer.buffer(
      "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}");
  private static final Buffer HUGE_HEAD = Buffer.buffer(
      "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"");
  private static final Buffer HUGE_TAIL = Buffer.buffer("\"},\"finish_reason\":\"stop\"}]}");
  private static final Buffer HUGE_CHUNK = Buffer.buffer("x".repeat(64 * 1024));
  private static final Buffer MALFORMED = Buffer.buffer("{\"choices\": [{\"message\": {\"content\": \"trunc");
  private static final Buffer CONTENT_FILTER = Buffer.buffer(new JsonObject().put("error", new JsonObject()
      .put("message", "The response was filtered due to the prompt triggering the content management policy.")
      .putNull("type").put("param", "prompt").put("code", "content_filter").put("status", 400)).encode());

  /** One scripted misbehaviour. */
  public record Fault(Kind kind, int status, String retryAfter, long millis, long bytes) {

    public enum Kind { STATUS, TIMEOUT, DELAY, RESET, MALFORMED, HUGE, DRIP, CONTENT_FILTER }

    public static Fault status(int status) {
      return new Fault(Kind.STATUS, status, null, 0, 0);
    }

    /** {@code retryAfter} as sent: seconds, or an HTTP-date. */
    public static Fault status(int status, String retryAfter) {
      return new Fault(Kind.STATUS, status, retryAfter, 0, 0);
    }

    /** Never answers; the connection stays open until the client gives up. */
    public static Fault timeout() {
      return new Fault(Kind.TIMEOUT, 0, null, 0, 0);
    }

    /** The normal answer, after {@code millis}. */
    public static Fault delay(long millis) {
      return new Fault(Kind.DELAY, 200, null, millis, 0);
    }

    /** Closes the connection without answering. */
    public static Fault reset() {
      return new Fault(Kind.RESET, 0, null, 0, 0);
    }

    public static Fault malformed() {
      return new Fault(Kind.MALFORMED, 200, null, 0, 0);
    }

    /** A valid chat answer whose content is {@code bytes} long, streamed with backpressure. */
    public static Fault huge(long bytes) {
      return new Fault(Kind.HUGE, 200, null, 0, bytes);
    }

    /** The normal answer, one byte every {@code millis}. */
    public static Fault drip(long millis) {
      return new Fault(Kind.DRIP, 200, null, millis, 0);
    }

    public static Fault contentFilter() {
      return new Fault(Kind.CONTENT_FILTER, 400, null, 0, 0);
    }

    /**
     * {@code 429}, {@code 429:2} (Retry-After 2), {@code 503:Wed, 21 Oct 2015 07:28:00 GMT},
     * {@code timeout}, {@code delay:300}, {@code reset}, {@code malformed}, {@code huge[:bytes]},
     * {@code drip[:ms]}, {@code content_filter}.
     */
    public static Fault parse(String spec) {
      String s = spec.trim();
      int colon = s.indexOf(':');
      String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
      String arg = colon < 0 ? null : s.substring(colon + 1).trim();
      return switch (name) {
        case "timeout" -> timeout();
        case "delay" -> delay(Long.parseLong(arg));
        case "reset" -> reset();
        case "malformed" -> malformed();
        case "huge" -> huge(arg == null ? 10L * 1024 * 1024 : Long.parseLong(arg));
        case "drip" -> drip(arg == null ? 20 : Long.parseLong(arg));
        case "content_filter" -> contentFilter();
        default -> status(Integer.parseInt(name), arg);
      };
    }
  }

  /** The last request as received, for asserting on what a generator sent. */
  public record Seen(String method, String path, MultiMap headers, String body) {

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ConcurrentLinkedQueue<Fault> queue = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> perPrompt = new ConcurrentHashMap<>();
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong hugeBytesWritten = new AtomicLong();
  private volatile Fault always;
  private volatile long latencyMs;
  private volatile boolean echo;
  private volatile boolean recording = true;
  private volatile Seen last;
  private int port;

  /** On its own Vert.x instance, closed by {@link #close}. */
  public FakeOpenAi() {
    this(Vertx.vertx(), true);
  }

  /** On the caller's Vert.x instance. */
  public FakeOpenAi(Vertx vertx) {
    this(vertx, false);
  }

  private FakeOpenAi(Vertx vertx, boolean ownsVertx) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
  }

  /** Listens on {@code port} (0: any free port) and returns the bound port. Blocks the calling thread. */
  public int start(int port) {
    return start(port, 1);
  }

  /** As {@link #start(int)} with {@code instances} event loops sharing the port. */
  public int start(int port, int instances) {
    AtomicInteger bound = new AtomicInteger();
    deployments.add(await(vertx.deployVerticle(() -> new Listener(port, bound), new DeploymentOptions())));
    if (instances > 1) {
      // the rest join the first on its actual port, which port 0 only reveals after binding
      deployments.add(await(vertx.deployVerticle(() -> new Listener(bound.get(), new AtomicInteger()),
          new DeploymentOptions().setInstances(instances - 1))));
    }
    this.port = bound.get();
    return this.port;
  }

  public int port() {
    return port;
  }

  /** The chat API root to configure as an openai_chat {@code base_url}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Override
  public void close() {
    if (ownsVertx) {
      await(vertx.close());
      return;
    }
    // on the caller's Vert.x: undeploy only what start() deployed
    for (String id : deployments) {
      await(vertx.undeploy(id));
    }
    deployments.clear();
  }

  // ----- scripting

  /** The next response (each queued fault answers one request). */
  public FakeOpenAi enqueue(Fault fault) {
    queue.add(fault);
    return this;
  }

  public FakeOpenAi enqueue(Fault fault, int times) {
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
    return this;
  }

  /** A fault for every request not otherwise scripted; null to answer normally again. */
  public FakeOpenAi always(Fault fault) {
    this.always = fault;
    return this;
  }

  /** Delay before every normal answer. */
  public FakeOpenAi latency(long millis) {
    this.latencyMs = millis;
    return this;
  }

  /** Answer with the prompt itself. */
  public FakeOpenAi echo(boolean on) {
    this.echo = on;
    return this;
  }

  /** Whether to keep the last request; off for benchmarks. */
  public FakeOpenAi recording(boolean on) {
    this.recording = on;
    return this;
  }

  /** Back to the default behaviour with zeroed counters. */
  public FakeOpenAi reset() {
    queue.clear();
    perPrompt.clear();
    always = null;
    latencyMs = 0;
    echo = false;
    last = null;
    total.set(0);
    hugeBytesWritten.set(0);
    maxInFlight.set(inFlight.get());
    return this;
  }

  // ----- counters

  public long requests() {
    return total.get();
  }

  public int requestsFor(String prompt) {
    AtomicInteger n = perPrompt.get(prompt);
    return n == null ? 0 : n.get();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Bytes of {@link Fault#huge} content actually written: far below the size when a client cut it off. */
  public long hugeBytesWritten() {
    return hugeBytesWritten.get();
  }

  public Seen lastRequest() {
    return last;
  }

  // ----- serving

  private final class Listener extends VerticleBase {
    private final int port;
    private final AtomicInteger bound;

    Listener(int port, AtomicInteger bound) {
      this.port = port;
      this.bound = bound;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer().requestHandler(FakeOpenAi.this::handle).listen(port, "127.0.0.1")
          .onSuccess(s -> bound.set(s.actualPort()));
    }
  }

  private void handle(HttpServerRequest req) {
    total.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    AtomicBoolean finished = new AtomicBoolean();
    Runnable done = () -> {
      if (finished.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    HttpServerResponse res = req.response();
    res.endHandler(v -> done.run());
    res.closeHandler(v -> done.run());
    req.body().onComplete(ar -> {
      if (ar.failed()) {
        done.run();
        return;
      }
      try {
        serve(req, res, ar.result());
      } catch (RuntimeException badRequest) {
        res.setStatusCode(400).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", new JsonObject().put("message", String.valueOf(badRequest.getMessage()))
                .put("code", "bad_request")).encode());
      }
    });
  }

  private void serve(HttpServerRequest req, HttpServerResponse res, Buffer body) {
    String path = req.path();
    boolean chat = path.endsWith("/chat/completions");
    if (!chat && !path.equals("/answer") && !path.equals("/text")) {
      res.setStatusCode(404).end();
      return;
    }
    if (recording) {
      last = new Seen(req.method().name(), req.path() + (req.query() == null ? "" : "?" + req.query()),
          MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString());
    }
    String model = "fake-model";
    String prompt;
    if (chat) {
      JsonObject json = body.toJsonObject();
      model = json.getString("model", model);
      prompt = lastUserText(json.getJsonArray("messages", new JsonArray()));
    } else {
      prompt = plainPrompt(req, body);
    }
    int seen = count(prompt);
    Fault fault = fault(req.getHeader(FAULT_HEADER), prompt, seen);
    String answer = echo ? prompt : refuses(prompt) ? REFUSAL : "Sure: " + prompt;
    Buffer ok = chat ? chatAnswer(model, answer) : path.equals("/text")
        ? Buffer.buffer("result=" + answer + ";")
        : Buffer.buffer(new JsonObject().put("answer", answer).put("meta", new JsonObject().put("n", seen)).encode());
    String okType = path.equals("/text") ? "text/plain; charset=utf-8" : "application/json";
    if (fault == null) {
      if (latencyMs > 0) {
        vertx.setTimer(latencyMs, t -> res.putHeader("Content-Type", okType).end(ok));
      } else {
        res.putHeader("Content-Type", okType).end(ok);
      }
      return;
    }
    switch (fault.kind()) {
      case STATUS -> {
        if (fault.retryAfter() != null) {
          res.putHeader("Retry-After", fault.retryAfter());
        }
        res.setStatusCode(fault.status()).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", new JsonObject().put("message", "fake fault " + fault.status())
                .put("type", "fake").put("code", String.valueOf(fault.status()))).encode());
      }
      case TIMEOUT -> { /* never answer */ }
      case DELAY -> vertx.setTimer(Math.max(1, fault.millis()), t -> res.putHeader("Content-Type", okType).end(ok));
      case RESET -> req.connection().close();
      case MALFORMED -> res.putHeader("Content-Type", "application/json").end(MALFORMED);
      case CONTENT_FILTER -> res.setStatusCode(400).putHeader("Content-Type", "application/json").end(CONTENT_FILTER);
      case HUGE -> {
        res.setChunked(true).putHeader("Content-Type", "application/json").write(HUGE_HEAD);
        pumpHuge(res, fault.bytes());
      }
      case DRIP -> drip(res, ok, okType, fault.millis());
    }
  }

  private Fault fault(String header, String prompt, int seen) {
    if (header != null && !header.isBlank()) {
      return scripted(header, seen);
    }
    if (prompt.contains("[[fake:")) {
      Matcher m = MARKER.matcher(prompt);
      if (m.find()) {
        return scripted(m.group(1), seen);
      }
    }
    Fault queued = queue.poll();
    return queued != null ? queued : always;
  }

  /** A spec with an optional {@code *k}: applies to the first k requests of the prompt only. */
  private static Fault scripted(String spec, int seen) {
    int star = spec.lastIndexOf('*');
    if (star > 0 && seen > Integer.parseInt(spec.substring(star + 1).trim())) {
      return null;
    }
    return Fault.parse(star > 0 ? spec.substring(0, star) : spec);
  }

  private int count(String prompt) {
    AtomicInteger n = perPrompt.get(prompt);
    if (n == null) {
      if (perPrompt.size() >= MAX_TRACKED_PROMPTS) {
        return 1;
      }
      n = perPrompt.computeIfAbsent(prompt, p -> new AtomicInteger());
    }
    return n.incrementAndGet();
  }

  private static boolean refuses(String prompt) {
    String p = prompt.toLowerCase(Locale.ROOT);
    return p.contains("bomb") || p.contains("malware");
  }

  private static String lastUserText(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject m = messages.getJsonObject(i);
      if ("user".equals(m.getString("role"))) {
        return String.valueOf(m.getValue("content"));
      }
    }
    return messages.isEmpty() ? "" : String.valueOf(messages.getJsonObject(messages.size() - 1).getValue("content"));
  }

  private static String plainPrompt(HttpServerRequest req, Buffer body) {
    String q = req.getParam("q");
    if (q != null) {
      return q;
    }
    String text = body.toString();
    if (text.startsWith("{")) {
      Object p = new JsonObject(text).getValue("prompt");
      if (p != null) {
        return String.valueOf(p);
      }
    }
    return text;
  }

  private static Buffer chatAnswer(String model, String answer) {
    String m = Json.encode(model);
    String a = Json.encode(answer);
    return Buffer.buffer(CHAT_HEAD.length() + CHAT_MIDDLE.length() + CHAT_TAIL.length() + m.length() + a.length() + 16)
        .appendBuffer(CHAT_HEAD).appendString(m).appendBuffer(CHAT_MIDDLE).appendString(a).appendBuffer(CHAT_TAIL);
  }

  private void pumpHuge(HttpServerResponse res, long remaining) {
    long left = remaining;
    while (left > 0 && !res.writeQueueFull()) {
      if (res.closed()) {
        return;
      }
      int n = (int) Math.min(HUGE_CHUNK.length(), left);
      res.write(n == HUGE_CHUNK.length() ? HUGE_CHUNK : HUGE_CHUNK.getBuffer(0, n));
      hugeBytesWritten.addAndGet(n);
      left -= n;
    }
    if (left > 0) {
      long rest = left;
      res.drainHandler(v -> pumpHuge(res, rest));
    } else if (!res.closed()) {
      res.end(HUGE_TAIL);
    }
  }

  private void drip(HttpServerResponse res, Buffer body, String type, long everyMs) {
    res.setChunked(true).putHeader("Content-Type", type);
    AtomicInteger at = new AtomicInteger();
    vertx.setPeriodic(Math.max(1, everyMs), id -> {
      int i = at.getAndIncrement();
      if (res.closed() || res.ended()) {
        vertx.cancelTimer(id);
      } else if (i >= body.length()) {
        vertx.cancelTimer(id);
        res.end();
      } else {
        res.write(body.getBuffer(i, i + 1));
      }
    });
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("FakeOpenAi: " + e.getMessage(), e);
    }
  }

  /** Standalone, zero latency: {@code java -cp target/gauntlet.jar:target/test-classes dev.gauntlet.testing.FakeOpenAi 8099 [instances]}. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    FakeOpenAi fake = new FakeOpenAi().recording(false);
    int bound = fake.start(port, instances);
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
    System.out.println("FakeOpenAi listening on " + fake.baseUrl() + " (" + bound + ", " + instances + " event loops)");
  }
}
