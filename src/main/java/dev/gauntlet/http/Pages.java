package dev.gauntlet.http;

import dev.gauntlet.operations.Operations;

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

import java.util.Locale;
import java.util.Map;

/**
 * The browser UI: Handlebars pages rendered on the server (every value escaped by {@code {{ }}}),
 * each with one small script that calls the REST API with the session.
 */
final class Pages {

  /**
   * A page: its template, title and script. Configuration pages share one template and script,
   * told their kind, plus the kind's own panel and script ({@code generators.js}: the chat panel).
   */
  record Page(String template, String title, String script, String kind, boolean adminOnly) {
    Page(String template, String title, String script, String kind) {
      this(template, title, script, kind, false);
    }
  }

  static final Map<String, Page> PAGES = Map.ofEntries(
      Map.entry("/generators", new Page("config", "Generators", "config.js", "generators")),
      Map.entry("/converters", new Page("config", "Converters", "config.js", "converters")),
      Map.entry("/scorers", new Page("config", "Scorers", "config.js", "scorers")),
      Map.entry("/orchestrators", new Page("config", "Orchestrators", "config.js", "orchestrators")),
      Map.entry("/datasets", new Page("datasets", "Datasets", "datasets.js", null)),
      Map.entry("/datasets/:id", new Page("dataset", "Dataset", "dataset.js", null)),
      Map.entry("/executions/:id", new Page("execution", "Execution", "execution.js", null)),
      Map.entry("/keys", new Page("keys", "API keys", "keys.js", null)),
      Map.entry("/review", new Page("review", "Review", "review.js", null)),
      Map.entry("/admin/users", new Page("admin-users", "Users", "admin-users.js", null, true)),
      Map.entry("/admin/audit", new Page("admin-audit", "Audit log", "admin-audit.js", null, true)),
      Map.entry("/admin/memory", new Page("admin-memory", "Memory health", "admin-memory.js", null, true)),
      Map.entry("/admin/budgets", new Page("admin-budgets", "Provider budgets", "admin-budgets.js", null, true)));

  private final TemplateEngine engine;
  private final Accounts accounts;
  private final WebSessions sessions;
  private final Operations ops;
  /** The label of the "Sign in with ..." button, or null when OpenID Connect is off. */
  private final String ssoLabel;

  private final dev.gauntlet.generator.Egress.Policy egress;

  Pages(Vertx vertx, Accounts accounts, WebSessions sessions, Operations ops, String ssoLabel,
        dev.gauntlet.generator.Egress.Policy egress) {
    this.egress = egress;
    HandlebarsTemplateEngine handlebars = HandlebarsTemplateEngine.create(vertx);
    // compiled templates and their partials are kept, not parsed again at every render
    TemplatesByName.install(handlebars.unwrap());
    this.engine = handlebars;
    this.accounts = accounts;
    this.sessions = sessions;
    this.ops = ops;
    this.ssoLabel = ssoLabel;
  }

  void loginForm(RoutingContext ctx) {
    if (WebSessions.userId(ctx) != null) {
      ctx.redirect("/");
      return;
    }
    render(ctx, 200, "login", new JsonObject().put("title", "Sign in").put("csrf", WebSessions.csrfToken(ctx)).put("sso", ssoLabel));
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
        .compose(caller -> sessions.flush(ctx))
        .onSuccess(stored -> ctx.response().setStatusCode(303).putHeader("Location", "/").end())
        .onFailure(t -> {
          Problem p = Problem.from(t);
          if (p.status() == 429) {
            ctx.response().putHeader("Retry-After", Long.toString(p.retryAfterSeconds()));
          }
          loginFailed(ctx, p.status() == 429 ? 429 : 401, login,
              p.status() == 429 ? p.getMessage() : "Unknown username or wrong password.");
        });
  }

  /** A sign-in refused by the rate limits gets the form back, with when to try again. */
  void loginRefused(RoutingContext ctx) {
    if (!(ctx.failure() instanceof Problem p) || p.status() != 429 || ctx.response().ended()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", Long.toString(p.retryAfterSeconds()));
    loginFailed(ctx, 429, ctx.request().getFormAttribute("username"),
        "Too many sign-in attempts. Try again in " + p.retryAfterSeconds() + " seconds.");
  }

  void loginFailed(RoutingContext ctx, int status, String login, String message) {
    render(ctx, status, "login", new JsonObject().put("title", "Sign in").put("csrf", WebSessions.csrfToken(ctx))
        .put("error", message).put("typed_login", login).put("sso", ssoLabel));
  }

  /** Set a new password: the only page a user with a generated password reaches, without the navigation. */
  void passwordForm(RoutingContext ctx) {
    passwordPage(ctx, 200, null);
  }

  void changePassword(RoutingContext ctx) {
    String wanted = ctx.request().getFormAttribute("new_password");
    if (wanted == null || !wanted.equals(ctx.request().getFormAttribute("confirm_password"))) {
      passwordPage(ctx, 400, "The new password and its confirmation differ.");
      return;
    }
    ops.run(dev.gauntlet.operations.Operations.CHANGE_PASSWORD, Guard.caller(ctx), new JsonObject()
            .put("current_password", ctx.request().getFormAttribute("current_password")).put("new_password", wanted))
        .onSuccess(done -> ctx.response().setStatusCode(303).putHeader("Location", "/").end())
        .onFailure(t -> {
          Problem p = Problem.from(t);
          passwordPage(ctx, p.status() >= 500 ? 500 : p.status(), p.getMessage());
        });
  }

  private void passwordPage(RoutingContext ctx, int status, String error) {
    Caller caller = Guard.caller(ctx);
    render(ctx, status, "password", new JsonObject().put("title", "Set a new password").put("csrf", WebSessions.csrfToken(ctx))
        .put("who", caller.username()).put("forced", caller.mustChangePassword()).put("error", error));
  }

  /** Ends the session, for the identity provider's sign-out too. */
  Future<Void> signOut(RoutingContext ctx) {
    return sessions.signOut(ctx);
  }

  void logout(RoutingContext ctx) {
    sessions.signOut(ctx).onComplete(ended -> {
      if (ended.failed()) {
        ctx.fail(ended.cause());
        return;
      }
      ctx.response().setStatusCode(303).putHeader("Location", "/login").end();
    });
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
      JsonObject summary = ctx.get(HomeSummary.KEY);
      render(ctx, 200, "home", base(ctx, "Home", null).put("status", s).put("tables", tables).put("summary", summary)
          .put("size", humanBytes(s.getLong("total_bytes", s.getLong("size_bytes", 0L)))).put("executions", executions.result().getJsonArray("items")));
    });
  }

  /** The probe catalog by family, rendered here; its script only adds the "make a dataset" buttons' calls. */
  void probes(RoutingContext ctx) {
    ops.run("probes.list", Guard.caller(ctx), new JsonObject()).onFailure(ctx::fail).onSuccess(list -> {
      java.util.Map<String, JsonArray> byFamily = new java.util.TreeMap<>();
      list.getJsonArray("items").forEach(o -> {
        JsonObject p = (JsonObject) o;
        JsonArray detectors = new JsonArray();
        p.getJsonArray("detectors").forEach(d -> detectors.add(((JsonObject) d).getString("type")));
        byFamily.computeIfAbsent(p.getString("family"), f -> new JsonArray()).add(p.copy().put("detector_types", detectors));
      });
      JsonArray families = new JsonArray();
      byFamily.forEach((family, probes) -> families.add(new JsonObject().put("family", family).put("probes", probes)));
      render(ctx, 200, "probes", base(ctx, "Probes", "probes.js").put("families", families)
          .put("probe_count", list.getJsonArray("items").size()));
    });
  }

  /** A page whose content its script loads from the API; admin pages answer 403 to everyone else. */
  void page(RoutingContext ctx, Page page) {
    if (page.adminOnly() && !Guard.caller(ctx).isAdmin()) {
      render(ctx, 403, "denied", base(ctx, "Not allowed", null));
      return;
    }
    JsonObject data = base(ctx, page.title(), page.script()).put("id", ctx.pathParam("id")).put("kind", page.kind());
    if (page.kind() != null) {
      data.put("panel_" + page.kind(), true).put("extra_script", page.kind() + ".js");
      if ("generators".equals(page.kind())) {
        data.put("egress", egress.toJson());
      }
    }
    render(ctx, 200, page.template(), data);
  }

  JsonObject base(RoutingContext ctx, String title, String script) {
    Caller caller = Guard.caller(ctx);
    return new JsonObject().put("title", title).put("script", script).put("username", caller.username())
        .put("admin", caller.isAdmin()).put("csrf", WebSessions.csrfToken(ctx))
        .put("nav_" + title.toLowerCase().replace(' ', '_'), true);
  }

  static final long NO_TIMING = Long.MIN_VALUE;

  void render(RoutingContext ctx, int status, String template, JsonObject data) {
    render(ctx, status, template, data, NO_TIMING);
  }

  /** Unless {@code startNanos} is {@link #NO_TIMING}, the page says in {@code Server-Timing} how long it took from then. */
  void render(RoutingContext ctx, int status, String template, JsonObject data, long startNanos) {
    engine.render(data, "templates/" + template + ".hbs").onFailure(ctx::fail).onSuccess(html -> {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store");
      if (startNanos != NO_TIMING) {
        ctx.response().putHeader("Server-Timing", String.format(Locale.ROOT, "render;dur=%.1f", (System.nanoTime() - startNanos) / 1e6));
      }
      sessions.flush(ctx).onComplete(stored -> ctx.response().end(html));
    });
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
