package dev.gauntlet.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fake server sustains on its own: the same chat request Gauntlet sends, at the same
 * concurrency, from a load tool. {@code wrk} when installed (Debian: {@code apt-get install -y
 * wrk}), else a small Vert.x client in this process.
 */
final class RawLoad {

  record Result(String tool, long requests, long errors, double seconds) {
    double perSecond() {
      return requests / seconds;
    }
  }

  private RawLoad() {}

  static Result measure(String url, String body, int concurrency, int seconds, Path workDir, String tool) throws Exception {
    boolean wrk = tool.equals("wrk") || tool.equals("auto") && onPath("wrk");
    return wrk ? wrk(url, body, concurrency, seconds, workDir) : vertx(url, body, concurrency, seconds);
  }

  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(m?s)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private static Result wrk(String url, String body, int concurrency, int seconds, Path workDir) throws Exception {
    Path script = workDir.resolve("chat.lua");
    Files.writeString(script, "wrk.method = \"POST\"\n"
        + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.headers[\"Accept\"] = \"application/json\"\n"
        + "wrk.body = [==[" + body + "]==]\n");
    int threads = Math.min(concurrency, Runtime.getRuntime().availableProcessors());
    Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + concurrency, "-d" + seconds + "s", "-s", script.toString(), url)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    Matcher m = REQUESTS.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no request count in wrk's output:\n" + out);
    }
    long requests = Long.parseLong(m.group(1));
    double secs = Double.parseDouble(m.group(2)) / (m.group(3).equals("ms") ? 1000 : 1);
    long errors = 0;
    Matcher n = NON_2XX.matcher(out);
    if (n.find()) {
      errors += Long.parseLong(n.group(1));
    }
    Matcher s = SOCKET_ERRORS.matcher(out);
    if (s.find()) {
      for (int i = 1; i <= 4; i++) {
        errors += Long.parseLong(s.group(i));
      }
    }
    return new Result("wrk -t" + threads + " -c" + concurrency, requests, errors, secs);
  }

  /**
   * {@code concurrency} keep-alive connections, each sending its next request as soon as the
   * last is answered; the first two seconds warm up and are not counted.
   */
  private static Result vertx(String url, String body, int concurrency, int seconds) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(concurrency));
      Buffer payload = Buffer.buffer(body);
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
          .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
      AtomicLong ok = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      CountDownLatch stopped = new CountDownLatch(concurrency);
      long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
      List<Runnable> loops = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
          long now = System.nanoTime();
          if (now >= end) {
            stopped.countDown();
            return;
          }
          client.request(options).compose(r -> r.send(payload)).compose(r -> r.body().map(b -> r.statusCode()))
              .onComplete(ar -> {
                if (System.nanoTime() >= warmEnd) {
                  (ar.succeeded() && ar.result() == 200 ? ok : errors).incrementAndGet();
                }
                loop[0].run();
              });
        };
        loops.add(loop[0]);
      }
      vertx.runOnContext(v -> loops.forEach(Runnable::run));
      stopped.await(seconds + 30L, TimeUnit.SECONDS);
      return new Result("vert.x client, " + concurrency + " connections", ok.get(), errors.get(), seconds);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
