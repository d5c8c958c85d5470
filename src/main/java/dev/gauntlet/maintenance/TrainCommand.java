package dev.gauntlet.maintenance;

import dev.gauntlet.Main;
import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.orchestrator.WarmupModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code train}: the training run behind the ahead-of-time cache (JEP 483/514/515). Started as
 * {@code java -XX:AOTCacheOutput=FILE -jar gauntlet.jar train}, it runs the whole server the way a
 * user does, on nothing of anyone's: a data folder of its own in a temporary directory, an admin
 * with a random password, the warm-up's synthetic executions, then over real HTTP the
 * configuration a user makes (generator, dataset, converters, scorers, orchestrator) and
 * executions against a loopback model ({@link WarmupModel}); then it stops the server, deletes
 * the folder and exits, and the JVM writes the classes it loaded and linked, and the method
 * profiles it gathered, into FILE. A server started with {@code -XX:AOTCache=FILE} begins where
 * this run ended instead of in the interpreter.
 */
public final class TrainCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  static final String USAGE_TEXT = "usage: java -XX:AOTCacheOutput=FILE -jar gauntlet.jar train [--prompts N] [--warmup-seconds S]"
      + "   (N default 4000, S default 30)";

  private TrainCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    int prompts = 4000;
    int warmupSeconds = 30;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--warmup-seconds") && i + 1 < args.length) {
        try {
          warmupSeconds = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          warmupSeconds = -1;
        }
        if (warmupSeconds < 1 || warmupSeconds > 3600) {
          err.println("train: --warmup-seconds takes a number from 1 to 3600");
          return USAGE;
        }
      } else if (args[i].equals("--prompts") && i + 1 < args.length) {
        try {
          prompts = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          prompts = -1;
        }
        if (prompts < 1 || prompts > 1_000_000) {
          err.println("train: --prompts takes a number from 1 to 1000000");
          return USAGE;
        }
      } else {
        err.println("train: unknown argument '" + args[i] + "'\n" + USAGE_TEXT);
        return USAGE;
      }
    }
    Path dir = null;
    Vertx side = null;
    try {
      dir = Files.createTempDirectory("gauntlet-train-");
      side = Vertx.vertx();
      WarmupModel model = new WarmupModel();
      side.deployVerticle(model).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      int port = freePort();
      String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
      Map<String, String> env = new HashMap<>();
      env.put("GAUNTLET_DATA_DIR", dir.resolve("data").toString());
      env.put("GAUNTLET_HTTP_HOST", "127.0.0.1");
      env.put("GAUNTLET_HTTP_PORT", Integer.toString(port));
      env.put("GAUNTLET_ADMIN_PASSWORD", password);
      env.put("GAUNTLET_ORCHESTRATOR_WARMUP_PROMPTS", Integer.toString(prompts));
      env.put("GAUNTLET_ORCHESTRATOR_WARMUP_SECONDS", Integer.toString(warmupSeconds));
      env.put("GAUNTLET_GENERATORS_EGRESS_ALLOW_LOOPBACK", "true");
      GauntletConfig config = GauntletConfig.load(null, env);
      Main.Running running = Main.start(config).toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
      try {
        Client client = new Client(port);
        client.signIn("admin", password);
        String orchestrator = configure(client, "http://127.0.0.1:" + model.port() + "/v1", prompts);
        for (int run = 0; run < 3; run++) {
          execute(client, orchestrator);
        }
        for (String path : List.of("/api/v1/executions", "/api/v1/dashboard/summary", "/api/v1/dashboard/results", "/api/v1/openapi.json", "/api/v1/converters/types")) {
          client.send("GET", path, null);
        }
        for (String page : List.of("/login", "/ready", "/health")) {
          client.page(page);
        }
      } finally {
        Main.stop(running).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      out.printf("train: trained in %.1f s (warm-up of %,d prompts, then 3 executions of %,d over HTTP)%n",
          (System.nanoTime() - t0) / 1e9, prompts, prompts);
      return OK;
    } catch (Exception e) {
      err.println("train: " + e);
      return FAILED;
    } finally {
      if (side != null) {
        side.close();
      }
      deleteTree(dir);
    }
  }

  /** A generator on the loopback model, a dataset, two converters, two scorers and an orchestrator over them. */
  private static String configure(Client c, String baseUrl, int prompts) throws Exception {
    String generator = c.create("generators", new JsonObject().put("name", "training model").put("type", "openai_chat")
        .put("parameters", new JsonObject().put("base_url", baseUrl).put("model", "warm-up").put("max_concurrency", 16)));
    JsonArray values = new JsonArray();
    for (int i = 0; i < prompts; i++) {
      values.add(new JsonObject().put("value", "Training prompt " + i + ": explain step " + (i * 7919 % 1000) + " of the procedure")
          .put("harm_categories", new JsonArray().add("training")));
    }
    String dataset = c.create("datasets", new JsonObject().put("name", "training prompts").put("prompts", values));
    String rot13 = c.create("converters", new JsonObject().put("name", "training rot13").put("type", "rot13").put("parameters", new JsonObject()));
    String base64 = c.create("converters", new JsonObject().put("name", "training base64").put("type", "base64").put("parameters", new JsonObject()));
    String substring = c.create("scorers", new JsonObject().put("name", "training complied").put("type", "substring")
        .put("parameters", new JsonObject().put("substrings", new JsonArray().add("Sure"))));
    String refusal = c.create("scorers", new JsonObject().put("name", "training refused").put("type", "refusal").put("parameters", new JsonObject()));
    return c.create("orchestrators", new JsonObject().put("name", "training run").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset)
            .put("converter_ids", new JsonArray().add(rot13).add(base64)).put("scorer_ids", new JsonArray().add(substring).add(refusal))
            .put("concurrency", 16)));
  }

  private static void execute(Client c, String orchestrator) throws Exception {
    String id = c.send("POST", "/api/v1/orchestrators/" + orchestrator + "/executions", new JsonObject()).getString("id");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (true) {
      JsonObject execution = c.send("GET", "/api/v1/executions/" + id, null);
      String status = execution.getString("status");
      if (!status.equals("queued") && !status.equals("running")) {
        if (!status.equals("completed")) {
          throw new IllegalStateException("training execution ended " + status + ": " + execution.getString("error"));
        }
        c.send("GET", "/api/v1/executions/" + id + "/results?limit=100", null);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("training execution still " + status + " after 300 s");
      }
      Thread.sleep(50);
    }
  }

  /** Blocking HTTP on the command's own thread: the server's event loops are not this thread. */
  private static final class Client {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String root;
    private String token;

    Client(int port) {
      this.root = "http://127.0.0.1:" + port;
    }

    void signIn(String username, String password) throws Exception {
      token = send("POST", "/api/v1/auth/token", new JsonObject().put("username", username).put("password", password)).getString("access_token");
    }

    String create(String kind, JsonObject value) throws Exception {
      return send("POST", "/api/v1/" + kind, value).getString("id");
    }

    JsonObject send(String method, String path, JsonObject body) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
          .header("Content-Type", "application/json");
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      String text = r.body().strip();
      return text.startsWith("{") ? new JsonObject(text) : new JsonObject();
    }

    void page(String path) throws Exception {
      http.send(HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is the operating system's to clear
    }
  }
}
