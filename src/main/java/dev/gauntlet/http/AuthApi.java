package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Sign-in and API keys. */
final class AuthApi {

  private final Accounts accounts;
  private final ApiKeys keys;

  AuthApi(Accounts accounts, ApiKeys keys) {
    this.accounts = accounts;
    this.keys = keys;
  }

  void token(RoutingContext ctx) {
    JsonObject body = Http.body(ctx);
    Object login = body.getValue("username");
    Object password = body.getValue("password");
    if (!(login instanceof String l) || l.isEmpty() || !(password instanceof String p)) {
      throw Problem.badRequest("invalid_field", "'username' and 'password' are required strings");
    }
    ctx.put(Guard.AUDIT_ACTOR, l.length() > 64 ? l.substring(0, 64) : l);
    Http.reply(ctx, 200, accounts.signIn(l, p));
  }

  void createKey(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    if (!caller.can(Caller.WRITE)) {
      throw Problem.forbidden("this credential lacks the 'write' scope");
    }
    JsonObject body = Http.body(ctx);
    Object name = body.getValue("name");
    if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
      throw Problem.badRequest("invalid_field", "'name' is required and must be a string of at most 200 characters");
    }
    List<String> scopes = Authenticator.validScopes(body.getValue("scopes"));
    if (scopes.contains(Caller.ADMIN) && !caller.isAdmin()) {
      throw Problem.forbidden("only an admin can create a key with the 'admin' scope");
    }
    String expiresAt = expiry(body.getValue("expires_at"));
    Authenticator.NewKey k = Authenticator.newKey();
    Http.reply(ctx, 201, keys.create(k.id(), caller.userId(), n, k.prefix(), k.hash(), scopes, expiresAt)
        .map(record -> record.toJson().put("key", k.key())));
  }

  void listKeys(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    Http.reply(ctx, 200, keys.list(caller.userId())
        .map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(ApiKeys.KeyRecord::toJson).toList()))));
  }

  void revokeKey(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    if (!caller.can(Caller.WRITE)) {
      throw Problem.forbidden("this credential lacks the 'write' scope");
    }
    String id = ctx.pathParam("id");
    Http.reply(ctx, 200, keys.revoke(caller.userId(), id).map(v -> new JsonObject().put("revoked", id)));
  }

  private static String expiry(Object value) {
    if (value == null) {
      return null;
    }
    try {
      Instant at = Instant.parse((String) value);
      if (!at.isAfter(Instant.now())) {
        throw Problem.badRequest("invalid_field", "'expires_at' must be in the future");
      }
      return at.toString();
    } catch (ClassCastException | DateTimeParseException e) {
      throw Problem.badRequest("invalid_field", "'expires_at' must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
  }
}
