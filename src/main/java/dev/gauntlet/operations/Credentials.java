package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Who the caller is, signing in for a token, and the caller's own API keys. */
final class Credentials {

  private final Accounts accounts;
  private final ApiKeys keys;

  Credentials(Accounts accounts, ApiKeys keys) {
    this.accounts = accounts;
    this.keys = keys;
  }

  Future<JsonObject> me(Caller c, JsonObject a) {
    return Future.succeededFuture(c.toJson());
  }

  /** The caller's own new password, given the current one; the only thing a generated password allows. */
  Future<JsonObject> changePassword(Caller c, JsonObject a) {
    return accounts.changeOwnPassword(c.userId(), a.getValue("current_password"), a.getValue("new_password"))
        .map(v -> new JsonObject().put("changed", true));
  }

  /** A local account's name and password for an access token; anyone may try, rate limits and lock-out apply. */
  Future<JsonObject> token(Caller none, JsonObject a) {
    Object login = a.getValue("username");
    Object password = a.getValue("password");
    if (!(login instanceof String l) || l.isEmpty() || !(password instanceof String p)) {
      throw Problem.badRequest("invalid_field", "'username' and 'password' are required strings");
    }
    return accounts.signIn(l, p);
  }

  Future<JsonObject> createKey(Caller caller, JsonObject a) {
    Object name = a.getValue("name");
    if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
      throw Problem.badRequest("invalid_field", "'name' is required and must be a string of at most 200 characters");
    }
    List<String> scopes = Authenticator.validScopes(a.getValue("scopes"));
    if (scopes.contains(Caller.ADMIN) && !caller.isAdmin()) {
      throw Problem.forbidden("only an admin can create a key with the 'admin' scope");
    }
    String expiresAt = expiry(a.getValue("expires_at"));
    Authenticator.NewKey k = Authenticator.newKey();
    return keys.create(k.id(), caller.userId(), n, k.prefix(), k.hash(), scopes, expiresAt)
        .map(record -> record.toJson().put("key", k.key()));
  }

  Future<JsonObject> listKeys(Caller caller, JsonObject a) {
    return keys.list(caller.userId())
        .map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(ApiKeys.KeyRecord::toJson).toList())));
  }

  Future<JsonObject> revokeKey(Caller caller, JsonObject a) {
    String id = Args.id(a);
    return keys.revoke(caller.userId(), id).map(v -> new JsonObject().put("revoked", id));
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
