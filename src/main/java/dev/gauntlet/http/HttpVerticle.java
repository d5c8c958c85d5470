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
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.orchestrator.GeneratorPool;
import dev.gauntlet.orchestrator.Resolver;
import dev.gauntlet.Metrics;
import io.vertx.core.Future;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.core.VerticleBase;
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
 * The HTTP face of Gauntlet: the browser UI, REST under {@code /api/v1}, health, and the event-bus bridge.
 * {@link #start} is the table of contents; every route is one line.
 */
public final class HttpVerticle extends VerticleBase {

  /** What every HTTP verticle instance shares, built once by the launcher. */
  public record Services(dev.gauntlet.appdb.AppDatabase db, Pool pool, MemoryPaths paths, String tokenSecret, long tokenTtlSeconds,
                         String host, int port, long maxBodyBytes, int memoryShards, dev.gauntlet.auth.SecretBox secrets,
                         java.nio.file.Path filesDir, dev.gauntlet.config.OidcConfig oidc,
                         TlsConfig tls, RateLimiter limiter) {}

  /** Chart.js comes from its WebJar on the classpath, pinned in the pom. */
  private static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist";
  private static final long FORM_BYTES = 64 * 1024;

  private final Services services;
  private HttpServer server;

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
    Accounts accounts = new Accounts(vertx, users, services.paths(), authenticator);
    MemoryClient memory = new MemoryClient(vertx, services.memoryShards());
    Configurations configurations = new Configurations(memory, services.secrets());
    Resolver resolver = new Resolver(vertx, memory, services.secrets(), new GeneratorPool(64));
    EngineOperations engine = new EngineOperations(vertx, memory, resolver, configurations);
    ApiOperations ops = new ApiOperations(vertx, memory, configurations, engine);
    EngineApi engineApi = new EngineApi(vertx, ops, engine, memory, services.paths(), services.filesDir());
    WebSessions sessions = new WebSessions(vertx, authenticator);
    sessions.handler().setCookieSecureFlag(services.tls().enabled());
    RateLimits limits = new RateLimits(services.limiter());
    Guard guard = new Guard(authenticator, audit, sessions);
    AuthApi auth = new AuthApi(accounts, keys);
    MemoryApi api = new MemoryApi(ops);
    AdminApi admin = new AdminApi(vertx, accounts, users, audit, switches, memory, services.paths());
    OperationsApi operations = new OperationsApi(vertx, users, memory, services.db(), services.filesDir());
    Health health = new Health(services.pool(), memory);
    Pages pages = new Pages(vertx, accounts, sessions, ops, oidc == null ? null : services.oidc().label());
    OidcPages sso = oidc == null ? null : new OidcPages(vertx, oidc, pages, audit);
    DashboardApi dashboard = new DashboardApi(vertx, ops, memory, services.paths(), services.filesDir());
    DashboardPages dashboardPages = new DashboardPages(pages, ops);
    EventBusBridge bridge = new EventBusBridge(vertx, authenticator, ops, sessions, audit, services.limiter());
    bridge.serve();

    String v1 = "/api/v1";
    Router router = Router.router(vertx);
    router.route().handler(WebSessions.securityHeaders(oidc == null ? null : WebSessions.origin(services.oidc().issuer())));
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    if (vertx.isMetricsEnabled()) {
      // Prometheus text, unauthenticated like /health: aggregate meters only, no user names or ids
      router.get("/metrics").handler(PrometheusScrapingHandler.create(Metrics.registry()));
    }
    router.route("/eventbus/*").handler(bridge::authenticateConnection);
    router.route("/eventbus/*").subRouter(bridge.router());

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
    router.get("/").handler(sessions::requirePage).handler(pages::home);
    Pages.PAGES.forEach((path, page) -> router.get(path).handler(sessions::requirePage).handler(ctx -> pages.page(ctx, page)));
    router.get("/dashboard").handler(sessions::requirePage).handler(dashboardPages::dashboard);
    router.get("/dashboard/results").handler(sessions::requirePage).handler(dashboardPages::results);
    router.get("/dashboard/compare").handler(sessions::requirePage).handler(dashboardPages::compare);

    router.route(v1 + "/*").handler(guard::audit);
    router.route(v1 + "/*").handler(limits::apiByAddress);
    router.post(v1 + "/datasets/upload").handler(Uploads::guard);
    router.post(v1 + "/datasets/upload").handler(BodyHandler.create(uploadsDir(services.filesDir()).toString())
        .setBodyLimit(services.maxBodyBytes()).setDeleteUploadedFilesOnEnd(true)).handler(Uploads::received);
    router.route(v1 + "/*").handler(BodyHandler.create(false).setBodyLimit(services.maxBodyBytes()));
    router.post(v1 + "/auth/token").handler(limits::signIn).handler(auth::token);
    router.route(v1 + "/*").handler(guard::authenticate);
    router.route(v1 + "/*").handler(limits::apiByUser);
    router.route(v1 + "/*").handler(Http::parseBody);
    router.get(v1 + "/auth/me").handler(api::me);
    router.post(v1 + "/keys").handler(limits::tokens).handler(auth::createKey);
    router.get(v1 + "/keys").handler(auth::listKeys);
    router.delete(v1 + "/keys/:id").handler(auth::revokeKey);
    router.get(v1 + "/datasets/builtin").handler(engineApi::builtinDatasets);
    router.post(v1 + "/datasets/builtin/:builtin/import").handler(engineApi::importBuiltin);
    router.post(v1 + "/datasets/upload").handler(engineApi::upload);
    router.post(v1 + "/datasets/combine").handler(ctx -> engineApi.datasetAction(ctx, "datasets.combine"));
    router.post(v1 + "/datasets/derive").handler(ctx -> engineApi.datasetAction(ctx, "datasets.derive"));
    router.post(v1 + "/datasets/:id/transform").handler(ctx -> engineApi.action(ctx, "datasets.transform"));
    router.post(v1 + "/generators/:id/test").handler(ctx -> engineApi.action(ctx, "generators.test"));
    router.post(v1 + "/converters/:id/preview").handler(ctx -> engineApi.action(ctx, "converters.preview"));
    router.post(v1 + "/converters/:id/apply").handler(ctx -> engineApi.action(ctx, "converters.apply"));
    router.post(v1 + "/scorers/:id/test").handler(ctx -> engineApi.action(ctx, "scorers.test"));
    router.post(v1 + "/orchestrators/:id/executions").handler(engineApi::startExecution);
    router.get(v1 + "/orchestrators/:id/executions").handler(engineApi::listExecutions);
    router.get(v1 + "/executions").handler(engineApi::listExecutions);
    router.get(v1 + "/executions/:id").handler(engineApi::execution);
    router.post(v1 + "/executions/:id/cancel").handler(engineApi::cancelExecution);
    router.post(v1 + "/executions/:id/resume").handler(engineApi::resumeExecution);
    router.get(v1 + "/executions/:id/results").handler(engineApi::results);
    router.get(v1 + "/executions/:id/export").handler(engineApi::export);
    router.get(v1 + "/memory/export").handler(engineApi::export);
    router.get(v1 + "/memory/backup").handler(engineApi::memoryBackup);
    for (ConfigKind kind : ConfigKind.values()) {
      String base = v1 + "/" + kind.table();
      if (kind != ConfigKind.DATASETS) {
        router.get(base + "/types").handler(ctx -> engineApi.types(ctx, kind));
      }
      router.get(base).handler(ctx -> api.list(ctx, kind));
      router.post(base).handler(ctx -> api.create(ctx, kind));
      router.get(base + "/:id").handler(ctx -> api.get(ctx, kind));
      router.put(base + "/:id").handler(ctx -> api.update(ctx, kind));
      router.delete(base + "/:id").handler(ctx -> api.delete(ctx, kind));
    }
    router.get(v1 + "/orchestrators/:id/instance").handler(api::orchestratorInstance);
    router.post(v1 + "/memory/pieces").handler(api::appendPieces);
    router.get(v1 + "/memory/conversations").handler(api::conversations);
    router.get(v1 + "/memory/conversations/:id").handler(api::conversation);
    router.get(v1 + "/dashboard/summary").handler(dashboard::summary);
    router.get(v1 + "/dashboard/results").handler(dashboard::results);
    router.get(v1 + "/dashboard/compare").handler(dashboard::compare);
    router.get(v1 + "/dashboard/export").handler(dashboard::export);
    router.get(v1 + "/database/status").handler(api::status);

    router.route(v1 + "/admin/*").handler(guard::requireAdmin);
    router.post(v1 + "/admin/users").handler(admin::createUser);
    router.get(v1 + "/admin/users").handler(admin::listUsers);
    router.put(v1 + "/admin/users/:id").handler(admin::updateUser);
    router.get(v1 + "/admin/memory-health").handler(admin::memoryHealth);
    router.get(v1 + "/admin/memory/connections").handler(admin::memoryConnections);
    router.post(v1 + "/admin/memory/close-all").handler(admin::closeMemoryConnections);
    router.get(v1 + "/admin/orchestrators").handler(admin::orchestratorStats);
    router.post(v1 + "/admin/orchestrators/evict").handler(admin::evictOrchestrators);
    router.get(v1 + "/admin/audit").handler(admin::auditLog);
    router.get(v1 + "/admin/routes").handler(ctx -> Http.json(ctx, 200, ApiSurface.describe(router, ops)));
    router.post(v1 + "/admin/memory/consolidate").handler(operations::consolidate);
    router.post(v1 + "/admin/backup").handler(operations::backup);

    router.route(v1 + "/*").handler(HttpVerticle::noSuchEndpoint);
    router.route().failureHandler(Http::failure);

    server = vertx.createHttpServer(serverOptions(services.host(), services.port(), services.tls()));
    return server.requestHandler(router).listen();
  }

  private static java.nio.file.Path uploadsDir(java.nio.file.Path filesDir) {
    return filesDir.resolve("uploads");
  }

  /** Removes upload files a crash left behind; the launcher calls it before any HTTP verticle listens. */
  public static void clearUploads(java.nio.file.Path filesDir) {
    Uploads.sweep(uploadsDir(filesDir));
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

  private static void noSuchEndpoint(RoutingContext ctx) {
    Http.json(ctx, 404, new JsonObject().put("error", new JsonObject().put("code", "not_found")
        .put("message", "no endpoint " + ctx.request().method() + " " + ctx.request().path())));
  }
}
