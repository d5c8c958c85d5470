package dev.gauntlet.testing;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scriptable OpenAI-compatible server on a real port, for tests and benchmarks. Serves
 * {@code POST /v1/chat/completions}, and for generic HTTP targets {@code /answer} (JSON
 * {@code {"answer": ...}}) and {@code /text} (plain {@code result=...;}), taking the prompt from
 * a JSON {@code prompt} field, the {@code q} query parameter, or the raw body.
 *
 * <p>By default it answers deterministically: a refusal when the prompt mentions "bomb" or
 * "malware", else {@code "Sure: " + prompt}; offered {@code tools}, it calls (content null,
 * {@code tool_calls}) the first offered tool the prompt names, unless it refuses. Faults ({@link Fault}) come from, in order: the
 * {@value #FAULT_HEADER} request header, a {@code [[fake:SPEC]]} marker inside the prompt, the
 * queue of next responses ({@link #enqueue}), then the standing fault ({@link #always}). A header
 * or marker spec may end in {@code *k}: it applies to the first k requests carrying that prompt
 * text, so "fail twice, then answer" needs no shared state in the test.
 *
 * <p>It counts requests per prompt text and per <em>epoch</em> ({@link PromptLog}), and can hold
 * every request unanswered until released: a crash test bumps the epoch and holds before it
 * restarts the process under test, so it can read what was committed before anything new is.
 * Over HTTP, for a fake in another process: {@code GET /__stats[?repeated=true]},
 * {@code POST /__epoch?n=K}, {@code POST /__hold}, {@code POST /__release}, {@code POST /__reset}.
 */
public final class FakeOpenAi implements AutoCloseable {

  public static final String FAULT_HEADER = "X-Fake-Fault";
  public static final String REFUSAL = "I'm sorry, but I can't help with that.";

  private static final Pattern MARKER = Pattern.compile("\\[\\[fake:([^\\]]+)]]");

  /** The last request as received, for asserting on what a generator sent. */
  public record Seen(String method, String path, MultiMap headers, String body) {

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ConcurrentLinkedQueue<Fault> queue = new ConcurrentLinkedQueue<>();
  private final PromptLog log = new PromptLog();
  private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private final AtomicLong total = new AtomicLong();
  /** When each request arrived (System.currentTimeMillis), for rate checks. */
  private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
  /** When the first request since the start (or the last reset) arrived, to the microsecond. */
  private final AtomicReference<Instant> firstArrival = new AtomicReference<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong hugeBytesWritten = new AtomicLong();
  private volatile boolean holding;
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
    // Vert.x shares a port between listeners asking for the same number, so port 0 is chosen here
    int shared = port == 0 && instances > 1 ? freePort() : port;
    deployments.add(await(vertx.deployVerticle(() -> new Listener(shared, bound), new DeploymentOptions().setInstances(instances))));
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

  /** The epoch that requests from now on are counted in (see {@link PromptLog}). */
  public FakeOpenAi epoch(int epoch) {
    log.epoch(epoch);
    return this;
  }

  /** Holds every request from now on unanswered, until {@link #release}. */
  public FakeOpenAi hold() {
    holding = true;
    return this;
  }

  /** Serves the held requests and stops holding. */
  public FakeOpenAi release() {
    holding = false;
    for (Runnable r = held.poll(); r != null; r = held.poll()) {
      r.run();
    }
    return this;
  }

  /** Back to the default behaviour with zeroed counters. */
  public FakeOpenAi reset() {
    release();
    queue.clear();
    log.clear();
    always = null;
    latencyMs = 0;
    echo = false;
    last = null;
    total.set(0);
    arrivals.clear();
    firstArrival.set(null);
    hugeBytesWritten.set(0);
    maxInFlight.set(inFlight.get());
    return this;
  }

  // ----- counters

  public long requests() {
    return total.get();
  }

  /** The arrival time of every request so far, in milliseconds since the epoch, in order. */
  /** When the first request arrived (null before any), to the microsecond. */
  public Instant firstArrival() {
    return firstArrival.get();
  }

  public List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  public int requestsFor(String prompt) {
    return log.count(prompt);
  }

  /** Requests per epoch and per prompt, as {@code GET /__stats} serves them. */
  public JsonObject stats(boolean repeated) {
    return log.toJson(repeated).put("requests", total.get()).put("in_flight", inFlight.get())
        .put("max_in_flight", maxInFlight.get()).put("held", held.size()).put("holding", holding)
        .put("huge_bytes_written", hugeBytesWritten.get());
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
    if (req.path().startsWith("/__")) {
      control(req);
      return;
    }
    total.incrementAndGet();
    arrivals.add(System.currentTimeMillis());
    long arrived = System.nanoTime();
    if (firstArrival.get() == null) {
      firstArrival.compareAndSet(null, Instant.now());
    }
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
      if (holding) {
        var context = vertx.getOrCreateContext();
        // a held request's latency counts from its release
        held.add(() -> context.runOnContext(v -> serveOrRefuse(req, res, ar.result(), System.nanoTime())));
        if (!holding) {
          release(); // released while this one was being parked
        }
        return;
      }
      serveOrRefuse(req, res, ar.result(), arrived);
    });
  }

  private void serveOrRefuse(HttpServerRequest req, HttpServerResponse res, Buffer body, long arrived) {
    try {
      serve(req, res, body, arrived);
    } catch (RuntimeException badRequest) {
      res.setStatusCode(400).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", new JsonObject().put("message", String.valueOf(badRequest.getMessage()))
              .put("code", "bad_request")).encode());
    }
  }

  /**
   * Runs {@code answer} on this request's event loop at {@code deadline} (System.nanoTime), to the
   * microsecond: the latency a test asks for counts from the request's arrival, so reading and
   * parsing it is inside the delay, and Netty's own scheduler is used because Vert.x's timers take
   * whole milliseconds (and, with Java's NIO selector, fire up to a millisecond late).
   */
  private void answerAt(long deadline, Runnable answer) {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    long wait = deadline - System.nanoTime();
    if (wait <= 0) {
      answer.run();
      return;
    }
    context.nettyEventLoop().schedule(() -> context.runOnContext(v -> answer.run()), wait, TimeUnit.NANOSECONDS);
  }

  /** The {@code /__} endpoints a test or script in another process drives the fake with. */
  private void control(HttpServerRequest req) {
    HttpServerResponse res = req.response().putHeader("Content-Type", "application/json");
    if (!req.path().equals("/__stats") && !req.method().name().equals("POST")) {
      res.setStatusCode(405).end();
      return;
    }
    switch (req.path()) {
      case "/__stats" -> res.end(stats("true".equals(req.getParam("repeated"))).encode());
      case "/__epoch" -> {
        epoch(Integer.parseInt(req.getParam("n", Integer.toString(log.epoch() + 1))));
        res.end(new JsonObject().put("epoch", log.epoch()).encode());
      }
      case "/__hold" -> res.end(hold().stats(false).encode());
      case "/__release" -> res.end(release().stats(false).encode());
      case "/__reset" -> res.end(reset().stats(false).encode());
      default -> res.setStatusCode(404).end();
    }
  }

  private void serve(HttpServerRequest req, HttpServerResponse res, Buffer body, long arrived) {
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
    String tool = null;
    if (chat) {
      JsonObject json = body.toJsonObject();
      model = json.getString("model", model);
      prompt = FakePrompts.lastUserText(json.getJsonArray("messages", new JsonArray()));
      tool = echo || FakePrompts.refuses(prompt) ? null : FakePrompts.toolNamed(prompt, json.getJsonArray("tools"));
    } else {
      prompt = FakePrompts.plainPrompt(req, body);
    }
    int seen = log.record(prompt);
    Fault fault = fault(req.getHeader(FAULT_HEADER), prompt, seen);
    String answer = echo ? prompt : FakePrompts.refuses(prompt) ? REFUSAL : "Sure: " + prompt;
    Buffer ok = tool != null ? FakeBodies.chatToolCall(model, tool, prompt) : chat ? FakeBodies.chatAnswer(model, answer) : path.equals("/text")
        ? Buffer.buffer("result=" + answer + ";")
        : Buffer.buffer(new JsonObject().put("answer", answer).put("meta", new JsonObject().put("n", seen)).encode());
    String okType = path.equals("/text") ? "text/plain; charset=utf-8" : "application/json";
    if (fault == null) {
      if (latencyMs > 0) {
        answerAt(arrived + TimeUnit.MILLISECONDS.toNanos(latencyMs), () -> res.putHeader("Content-Type", okType).end(ok));
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
      case CUT -> FakeBodies.cut(req, ok, okType);
      case MALFORMED -> res.putHeader("Content-Type", "application/json").end(FakeBodies.MALFORMED);
      case CONTENT_FILTER -> res.setStatusCode(400).putHeader("Content-Type", "application/json")
          .end(FakeBodies.CONTENT_FILTER);
      case HUGE -> FakeBodies.huge(res, fault.bytes(), hugeBytesWritten);
      case DRIP -> FakeBodies.drip(vertx, res, ok, okType, fault.millis());
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

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("FakeOpenAi: no free port: " + e.getMessage(), e);
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("FakeOpenAi: " + e.getMessage(), e);
    }
  }

  /**
   * Standalone: {@code java -cp target/gauntlet.jar:target/test-classes dev.gauntlet.testing.FakeOpenAi
   * [port [instances [latencyMs]]]}, driven over HTTP at {@code /__stats}, {@code /__epoch}, ...
   */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    long latency = args.length > 2 ? Long.parseLong(args[2]) : 0;
    // Linux's epoll where its library loads: timers to the microsecond, and less CPU per request
    // taken from the process under test on the same machine
    FakeOpenAi fake = new FakeOpenAi(Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)), true)
        .recording(false).latency(latency);
    int bound = fake.start(port, instances);
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
    System.out.println("FakeOpenAi listening on " + fake.baseUrl() + " (" + bound + ", " + instances + " event loops, "
        + latency + " ms latency, " + (fake.vertx.isNativeTransportEnabled() ? "epoll" : "NIO") + ")");
  }
}
