package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.common.template.TemplateEngine;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;

import java.util.Map;

/**
 * The browser UI: Handlebars pages rendered on the server (every value escaped by {@code {{ }}}),
 * each with one small script that calls the REST API with the session.
 */
final class Pages {

  /** A page: its template, title and script; configuration pages share one template, told their kind. */
  record Page(String template, String title, String script, String kind) {}

  static final Map<String, Page> PAGES = Map.of(
      "/generators", new Page("config", "Generators", "config.js", "generators"),
      "/converters", new Page("config", "Converters", "config.js", "converters"),
      "/scorers", new Page("config", "Scorers", "config.js", "scorers"),
      "/orchestrators", new Page("config", "Orchestrators", "config.js", "orchestrators"),
      "/datasets", new Page("datasets", "Datasets", "datasets.js", null),
      "/datasets/:id", new Page("dataset", "Dataset", "dataset.js", null),
      "/executions/:id", new Page("execution", "Execution", "execution.js", null));

  private final TemplateEngine engine;
  private final Accounts accounts;
  private final WebSessions sessions;
  private final ApiOperations ops;

  Pages(Vertx vertx, Accounts accounts, WebSessions sessions, ApiOperations ops) {
    this.engine = HandlebarsTemplateEngine.create(vertx);
    this.accounts = accounts;
    this.sessions = sessions;
    this.ops = ops;
  }

  void loginForm(RoutingContext ctx) {
    if (WebSessions.userId(ctx) != null) {
      ctx.redirect("/");
      return;
    }
    render(ctx, 200, "login", new JsonObject().put("title", "Sign in").put("csrf", WebSessions.csrfToken(ctx)));
  }

  void login(RoutingContext ctx) {
    String login = ctx.request().getFormAttribute("username");
    String password = ctx.request().getFormAttribute("password");
    if (!WebSessions.csrfValid(ctx)) {
      loginFailed(ctx, 403, login, "The sign-in form expired. Please try again.");
      return;
    }
    if (login == null || login.isBlank() || password == null) {
      loginFailed(ctx, 400, login, "Enter your username and password.");
      return;
    }
    ctx.put(Guard.AUDIT_ACTOR, login.length() > 64 ? login.substring(0, 64) : login);
    sessions.signIn(ctx, accounts, login, password)
        .onSuccess(caller -> ctx.response().setStatusCode(303).putHeader("Location", "/").end())
        .onFailure(t -> {
          Problem p = Problem.from(t);
          loginFailed(ctx, p.status() == 429 ? 429 : 401, login,
              p.status() == 429 ? p.getMessage() : "Unknown username or wrong password.");
        });
  }

  private void loginFailed(RoutingContext ctx, int status, String login, String message) {
    render(ctx, status, "login", new JsonObject().put("title", "Sign in").put("csrf", WebSessions.csrfToken(ctx))
        .put("error", message).put("username", login));
  }

  void logout(RoutingContext ctx) {
    WebSessions.signOut(ctx);
    ctx.response().setStatusCode(303).putHeader("Location", "/login").end();
  }

  /** Home: the memory's file and table counts, and the latest executions. */
  void home(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    Future<JsonObject> status = ops.run("database.status", caller, new JsonObject());
    Future<JsonObject> executions = ops.run("executions.list", caller, new JsonObject().put("limit", 10));
    Future.all(status, executions).onFailure(ctx::fail).onSuccess(done -> {
      JsonObject s = status.result();
      JsonArray tables = new JsonArray();
      s.getJsonObject("tables", new JsonObject()).forEach(e -> tables.add(new JsonObject().put("name", e.getKey()).put("rows", e.getValue())));
      render(ctx, 200, "home", base(ctx, "Home", null).put("status", s).put("tables", tables)
          .put("size", humanBytes(s.getLong("size_bytes", 0L))).put("executions", executions.result().getJsonArray("items")));
    });
  }

  /** A page whose content its script loads from the API. */
  void page(RoutingContext ctx, Page page) {
    JsonObject data = base(ctx, page.title(), page.script()).put("id", ctx.pathParam("id")).put("kind", page.kind());
    render(ctx, 200, page.template(), data);
  }

  JsonObject base(RoutingContext ctx, String title, String script) {
    Caller caller = Guard.caller(ctx);
    return new JsonObject().put("title", title).put("script", script).put("username", caller.username())
        .put("admin", caller.isAdmin()).put("csrf", WebSessions.csrfToken(ctx))
        .put("nav_" + title.toLowerCase(), true);
  }

  private void render(RoutingContext ctx, int status, String template, JsonObject data) {
    engine.render(data, "templates/" + template + ".hbs").onFailure(ctx::fail).onSuccess(html -> ctx.response()
        .setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(html));
  }

  static String humanBytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
