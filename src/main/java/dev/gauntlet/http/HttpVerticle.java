package dev.gauntlet.http;

import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.appdb.SwitchEventLog;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Oidc;
import dev.gauntlet.auth.RateLimiter;
import dev.gauntlet.config.TlsConfig;
import dev.gauntlet.files.UserFiles;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.operations.Operations;
import dev.gauntlet.operations.Registry;
import dev.gauntlet.orchestrator.GeneratorPool;
import dev.gauntlet.orchestrator.Resolver;
import dev.gauntlet.Metrics;
import io.vertx.core.Future;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;

/**
 * The HTTP face of Gauntlet: the browser UI, REST under {@code /api/v1}, health, the event-bus bridge and the MCP server.
 * {@link #start} is the table of contents; every route is one line.
 */
public final class HttpVerticle extends VerticleBase {

  /** What every HTTP verticle instance shares, built once by the launcher. */
  public record Services(dev.gauntlet.appdb.AppDatabase db, Pool pool, MemoryPaths paths, String tokenSecret, long tokenTtlSeconds,
                         String host, int port, long maxBodyBytes, int memoryShards, dev.gauntlet.auth.SecretBox secrets,
                         java.nio.file.Path filesDir, dev.gauntlet.config.OidcConfig oidc,
                         TlsConfig tls, RateLimiter limiter, dev.gauntlet.generator.Egress egress) {}

  /** Chart.js comes from its WebJar on the classpath, pinned in the pom. */
  private static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist";
  private static final long FORM_BYTES = 64 * 1024;

  private static final String V1 = "/api/v1";

  private final Services services;
  private HttpServer server;
  private Rest rest;
  /** The OpenAPI document and the reference page read from it, written once every route is bound. */
  private io.vertx.core.buffer.Buffer openApi;
  private ApiReference apiReference;

  public HttpVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Users users = new Users(vertx, services.db(), services.pool());
    ApiKeys keys = new ApiKeys(services.pool());
    AuditLog audit = new AuditLog(services.pool());
    SwitchEventLog switches = new SwitchEventLog(services.pool());
    Authenticator authenticator = new Authenticator(vertx, services.tokenSecret(), users, keys, services.tokenTtlSeconds());
    Oidc oidc = services.oidc().enabled() ? new Oidc(vertx, services.oidc(), users, services.paths()) : null;
    authenticator.withOidc(oidc);
    Accounts accounts = new Accounts(vertx, users, services.paths(), authenticator)
        .withInitialPasswordFile(services.filesDir().resolveSibling(Accounts.INITIAL_PASSWORD_FILE));
    MemoryClient memory = new MemoryClient(vertx, services.memoryShards());
    Resolver resolver = new Resolver(vertx, memory, services.secrets(), new GeneratorPool(64), services.egress());
    Router router = Router.router(vertx);
    UserFiles files = new UserFiles(services.filesDir(), services.paths());
    Operations ops = Registry.of(new Registry.Services(vertx, memory, resolver, services.secrets(), services.db(), users, keys, audit,
        switches, accounts, services.paths(), files), () -> ApiSurface.describe(router, rest));
    rest = new Rest(router, ops, V1);
    WebSessions sessions = new WebSessions(vertx, authenticator, new dev.gauntlet.appdb.Sessions(services.pool()));
    sessions.handler().setCookieSecureFlag(services.tls().enabled());
    RateLimits limits = new RateLimits(services.limiter());
    Guard guard = new Guard(authenticator, audit, sessions);
    Health health = new Health(services.pool(), memory);
    Pages pages = new Pages(vertx, accounts, sessions, ops, oidc == null ? null : services.oidc().label(), services.egress().policy());
    OidcPages sso = oidc == null ? null : new OidcPages(vertx, oidc, pages, audit);
    DashboardPages dashboardPages = new DashboardPages(pages, ops);
    EventBusBridge bridge = new EventBusBridge(vertx, authenticator, ops, sessions, audit, services.limiter());
    bridge.serve();
    McpEndpoint mcp = new McpEndpoint(vertx, ops, audit);

    String v1 = V1;
    router.route().handler(WebSessions.securityHeaders(oidc == null ? null : WebSessions.origin(services.oidc().issuer())));
    router.route().handler(Http::multipartOnlyWhereDecodable);
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    if (vertx.isMetricsEnabled()) {
      // Prometheus text, unauthenticated like /health: aggregate meters only, no user names or ids
      router.get("/metrics").handler(PrometheusScrapingHandler.create(Metrics.registry()));
    }
    router.route("/eventbus/*").handler(bridge::authenticateConnection);
    router.route("/eventbus/*").subRouter(bridge.router());
    router.route("/mcp").handler(mcp::audit).handler(limits::apiByAddress);
    router.route("/mcp").method(HttpMethod.POST).method(HttpMethod.GET).method(HttpMethod.DELETE)
        .handler(BodyHandler.create(false).setBodyLimit(services.maxBodyBytes())).handler(McpEndpoint::requireBearer)
        .handler(guard::authenticate).handler(limits::apiByUser).handler(mcp::serve);

    router.route("/static/vendor/chartjs/*").handler(StaticHandler.create(CHART_JS));
    router.route("/static/*").handler(StaticHandler.create("webroot"));
    router.route().handler(sessions.handler());
    router.get("/login").handler(pages::loginForm);
    router.post("/login").handler(BodyHandler.create(false).setBodyLimit(FORM_BYTES)).handler(guard::audit).handler(limits::signIn)
        .handler(pages::login).failureHandler(pages::loginRefused);
    router.post("/logout").handler(BodyHandler.create(false).setBodyLimit(FORM_BYTES)).handler(guard::audit).handler(sessions::requirePage)
        .handler(sso == null ? RoutingContext::next : sso::logout).handler(pages::logout);
    if (sso != null) {
      router.get("/auth/oidc/login").handler(limits::signIn).handler(sso::login);
      router.get(OidcPages.CALLBACK).handler(limits::signIn).handler(sso::callback);
    }
    router.get("/password").handler(sessions::requirePage).handler(pages::passwordForm);
    router.post("/password").handler(BodyHandler.create(false).setBodyLimit(FORM_BYTES)).handler(guard::audit).handler(sessions::requirePage)
        .handler(pages::changePassword);
    router.get("/").handler(sessions::requirePage).handler(pages::home);
    router.get("/probes").handler(sessions::requirePage).handler(pages::probes);
    Pages.PAGES.forEach((path, page) -> router.get(path).handler(sessions::requirePage).handler(ctx -> pages.page(ctx, page)));
    router.get("/dashboard").handler(sessions::requirePage).handler(dashboardPages::dashboard);
    router.get("/dashboard/results").handler(sessions::requirePage).handler(dashboardPages::results);
    router.get("/dashboard/compare").handler(sessions::requirePage).handler(dashboardPages::compare);
    router.get("/api").handler(sessions::requirePage).handler(ctx -> apiReference.page(ctx));
    ScanPages scanPages = new ScanPages(pages, ops);
    router.get("/scans").handler(sessions::requirePage).handler(scanPages::scans);
    router.post("/scans").handler(BodyHandler.create(false).setBodyLimit(FORM_BYTES)).handler(guard::audit).handler(sessions::requirePage)
        .handler(scanPages::run);
    router.get("/scans/:id").handler(sessions::requirePage).handler(scanPages::scan);
    router.get("/scans/:id/compliance").handler(sessions::requirePage).handler(HtmlAnswers.page(ops, "compliance.scan"));
    router.get("/executions/:id/compliance").handler(sessions::requirePage).handler(HtmlAnswers.page(ops, "compliance.execution"));

    router.route(v1 + "/*").handler(guard::audit);
    router.route(v1 + "/*").handler(limits::apiByAddress);
    router.get(OpenApiDocument.PATH).handler(this::openApi);
    router.post(v1 + "/datasets/upload").handler(Uploads::guard);
    router.post(v1 + "/datasets/upload").handler(BodyHandler.create(files.uploadsDir().toString())
        .setBodyLimit(services.maxBodyBytes()).setDeleteUploadedFilesOnEnd(true)).handler(Uploads::received);
    router.route(v1 + "/*").handler(BodyHandler.create(false).setBodyLimit(services.maxBodyBytes()));
    rest.post("/auth/token", "auth.token", 200, limits::signIn);
    router.route(v1 + "/*").handler(guard::authenticate);
    router.route(v1 + "/*").handler(limits::apiByUser);
    router.route(v1 + "/*").handler(Http::parseBody);
    rest.get("/auth/me", "auth.me");
    rest.post("/auth/password", "auth.change_password", 200);
    rest.post("/keys", "keys.create", 201, limits::tokens);
    rest.get("/keys", "keys.list");
    rest.delete("/keys/:id", "keys.revoke");
    rest.get("/datasets/builtin", "datasets.builtin");
    rest.post("/datasets/builtin/:builtin_id/import", "datasets.import_builtin", 201);
    rest.upload("/datasets/upload", "datasets.upload", Uploads::arguments);
    rest.post("/datasets/combine", "datasets.combine", 201);
    rest.post("/datasets/derive", "datasets.derive", 201);
    rest.post("/datasets/:id/transform", "datasets.transform", 201);
    rest.get("/probes", "probes.list");
    rest.get("/probes/:probe_id", "probes.get");
    rest.get("/probes/:probe_id/prompts", "probes.prompts");
    rest.post("/probes/:probe_id/dataset", "probes.dataset", 201);
    rest.post("/generators/:id/test", "generators.test", 200);
    rest.get("/egress", "generators.egress");
    rest.post("/converters/:id/preview", "converters.preview", 200);
    rest.post("/converters/:id/apply", "converters.apply", 201);
    rest.post("/scorers/:id/test", "scorers.test", 200);
    rest.post("/orchestrators/:orchestrator_id/executions", "executions.start", 202);
    rest.get("/orchestrators/:orchestrator_id/executions", "executions.list");
    rest.get("/executions", "executions.list");
    rest.get("/executions/:id", "executions.get");
    rest.post("/executions/:id/cancel", "executions.cancel", 200);
    rest.post("/executions/:id/resume", "executions.resume", 202);
    rest.get("/executions/:id/results", "executions.results");
    rest.get("/executions/:id/export", "executions.export");
    rest.post("/executions/:id/rescore", "executions.rescore", 202);
    rest.get("/rescores/:id", "rescores.get");
    rest.post("/rescores/:id/cancel", "rescores.cancel", 200);
    rest.post("/rescores/:id/resume", "rescores.resume", 202);
    rest.get("/memory/export", "memory.export");
    rest.get("/memory/backup", "memory.backup");
    for (ConfigKind kind : ConfigKind.values()) {
      String k = kind.table();
      if (kind != ConfigKind.DATASETS) {
        rest.get("/" + k + "/types", k + ".types");
      }
      rest.get("/" + k, k + ".list");
      rest.postBody("/" + k, k + ".create", 201, "value");
      rest.get("/" + k + "/:id", k + ".get");
      rest.putBody("/" + k + "/:id", k + ".update", "value");
      rest.delete("/" + k + "/:id", k + ".delete");
    }
    rest.get("/orchestrators/:id/instance", "orchestrators.instance");
    rest.post("/memory/pieces", "memory.pieces.append", 201);
    rest.get("/memory/conversations", "memory.conversations.list");
    rest.get("/memory/conversations/:id", "memory.conversations.get");
    rest.get("/dashboard/summary", "dashboard.summary");
    rest.get("/dashboard/results", "dashboard.results");
    rest.get("/dashboard/compare", "dashboard.compare");
    rest.get("/dashboard/export", "dashboard.export");
    rest.get("/database/status", "database.status");
    rest.put("/results/:piece_id/review", "reviews.set");
    rest.get("/results/:piece_id/review", "reviews.get");
    rest.get("/executions/:execution_id/reviews", "reviews.list");
    rest.get("/reviews", "reviews.list");
    rest.get("/reviews/queue", "reviews.queue");
    rest.get("/reviews/quality", "reviews.quality");
    rest.get("/scorers/:id/quality", "scorers.quality");
    rest.get("/standards", "standards.list");
    rest.get("/executions/:id/compliance", "compliance.execution");
    rest.get("/scans/:id/compliance", "compliance.scan");
    rest.post("/scans/plan", "scans.plan", 200);
    rest.post("/scans", "scans.create", 201);
    rest.get("/scans", "scans.list");
    rest.get("/scans/:id", "scans.get");

    router.route(v1 + "/admin/*").handler(guard::requireAdmin);
    rest.post("/admin/users", "admin.users.create", 201);
    rest.get("/admin/users", "admin.users.list");
    rest.put("/admin/users/:id", "admin.users.update");
    rest.post("/admin/users/:id/disable", "admin.users.disable", 200);
    rest.post("/admin/users/:id/enable", "admin.users.enable", 200);
    rest.delete("/admin/users/:id", "admin.users.delete");
    rest.get("/admin/memory-health", "admin.memory.health");
    rest.get("/admin/memory/connections", "admin.memory.connections");
    rest.post("/admin/memory/close-all", "admin.memory.close_all", 200);
    rest.get("/admin/orchestrators", "admin.orchestrators.stats");
    rest.post("/admin/orchestrators/evict", "admin.orchestrators.evict", 200);
    rest.get("/admin/audit", "admin.audit");
    rest.get("/admin/routes", "admin.routes");
    rest.post("/admin/memory/consolidate", "admin.memory.consolidate", 200);
    rest.post("/admin/backup", "admin.backup", 200);
    rest.get("/admin/budgets", "admin.budgets.list");
    rest.put("/admin/budgets/:host", "admin.budgets.put");
    rest.delete("/admin/budgets/:host", "admin.budgets.delete");

    router.route(v1 + "/*").handler(HttpVerticle::noSuchEndpoint);
    router.route().failureHandler(Http::failure);
    JsonObject document = OpenApiDocument.of(rest.bindings(), vertx.isMetricsEnabled());
    openApi = document.toBuffer();
    apiReference = new ApiReference(pages, document);

    server = vertx.createHttpServer(serverOptions(services.host(), services.port(), services.tls()));
    return mcp.start().compose(built -> server.requestHandler(router).listen());
  }

  /** Removes upload files a crash left behind; the launcher calls it before any HTTP verticle listens. */
  public static void clearUploads(UserFiles files) {
    Uploads.sweep(files.uploadsDir());
  }

  /** Plain HTTP, or TLS from PEM files or a key store when configured. */
  static HttpServerOptions serverOptions(String host, int port, TlsConfig tls) {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true);
    if (tls.enabled()) {
      options.setSsl(true).setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.2", "TLSv1.3")).setKeyCertOptions(tls.pem()
          ? new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath())
          : new KeyStoreOptions().setType(tls.keyStoreType().toUpperCase(java.util.Locale.ROOT)).setPath(tls.keyStorePath())
              .setPassword(tls.keyStorePassword()));
    }
    return options;
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(openApi);
  }

  private static void noSuchEndpoint(RoutingContext ctx) {
    Http.json(ctx, 404, new JsonObject().put("error", new JsonObject().put("code", "not_found")
        .put("message", "no endpoint " + ctx.request().method() + " " + ctx.request().path())));
  }
}
