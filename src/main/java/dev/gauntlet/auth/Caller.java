package dev.gauntlet.auth;

import dev.gauntlet.appdb.UserRecord;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * Who is making a request, established from credentials only: the user's id, frozen username,
 * registered memory file, roles, and the scopes this credential grants. {@code mustChangePassword}:
 * the account's password was generated for it, so it may do nothing but set its own first.
 */
public record Caller(String userId, String username, String memoryFile, List<String> roles, Set<String> scopes,
                     String credential, String keyId, boolean mustChangePassword) {

  public Caller(String userId, String username, String memoryFile, List<String> roles, Set<String> scopes,
                String credential, String keyId) {
    this(userId, username, memoryFile, roles, scopes, credential, keyId, false);
  }

  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String ADMIN = "admin";

  /** A signed-in user's credential carries every scope their roles allow. */
  static Caller signedIn(UserRecord u, String credential) {
    return new Caller(u.id(), u.username(), u.memoryFile(), u.roles(), allowed(u.roles(), Set.of(READ, WRITE, ADMIN)), credential, null,
        u.mustChangePassword());
  }

  /** An API key grants its scopes, never more than the owner's roles allow. */
  static Caller withKey(UserRecord u, String keyId, List<String> keyScopes) {
    return new Caller(u.id(), u.username(), u.memoryFile(), u.roles(), allowed(u.roles(), Set.copyOf(keyScopes)), "api_key", keyId,
        u.mustChangePassword());
  }

  private static Set<String> allowed(List<String> roles, Set<String> requested) {
    return requested.stream().filter(s -> !s.equals(ADMIN) || roles.contains(ADMIN))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN) && scopes.contains(ADMIN);
  }

  public boolean can(String scope) {
    return scopes.contains(scope);
  }

  public MemoryOwner owner() {
    return new MemoryOwner(username, memoryFile);
  }

  /** Rebuilds a caller stamped on an event-bus message by the bridge. */
  public static Caller fromJson(JsonObject j) {
    return new Caller(j.getString("id"), j.getString("username"), j.getString("memory_file"),
        j.getJsonArray("roles").stream().map(Object::toString).toList(),
        j.getJsonArray("scopes").stream().map(Object::toString).collect(java.util.stream.Collectors.toUnmodifiableSet()),
        j.getString("credential"), j.getString("key_id"), j.getBoolean("must_change_password", false));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", userId).put("username", username).put("roles", new JsonArray(roles))
        .put("scopes", new JsonArray(scopes.stream().sorted().toList())).put("credential", credential)
        .put("memory_file", memoryFile).put("key_id", keyId).put("must_change_password", mustChangePassword);
  }
}
