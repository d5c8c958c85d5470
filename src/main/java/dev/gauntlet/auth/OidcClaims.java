package dev.gauntlet.auth;

import dev.gauntlet.config.OidcConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What Gauntlet reads from a provider's verified claims: the provider roles at the configured
 * claim paths, mapped to Gauntlet's roles, and the name a new user's username is made from.
 */
final class OidcClaims {

  private static final int MAX_BASE = 56;

  private final OidcConfig config;

  OidcClaims(OidcConfig config) {
    this.config = config;
  }

  /** The value at a path of object keys, or null. */
  static Object at(JsonObject claims, List<String> path) {
    Object node = claims;
    for (String key : path) {
      if (!(node instanceof JsonObject o)) {
        return null;
      }
      node = o.getValue(key);
    }
    return node;
  }

  /** Every provider role found at the configured paths of any of the claim sets (a list or a single name). */
  Set<String> providerRoles(JsonObject... claimSets) {
    Set<String> roles = new LinkedHashSet<>();
    for (JsonObject claims : claimSets) {
      for (List<String> path : config.roleClaims()) {
        Object value = claims == null ? null : at(claims, path);
        if (value instanceof JsonArray a) {
          a.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        } else if (value instanceof String s) {
          roles.add(s);
        }
      }
    }
    return roles;
  }

  /** Gauntlet's roles for these provider roles: an admin is also a user; none means no access. */
  List<String> gauntletRoles(Set<String> providerRoles) {
    List<String> roles = new ArrayList<>();
    if (config.adminRoles().stream().anyMatch(providerRoles::contains)) {
      roles.add(Caller.ADMIN);
      roles.add("user");
    } else if (config.userRoles().stream().anyMatch(providerRoles::contains)) {
      roles.add("user");
    }
    return roles;
  }

  /**
   * The username a first sign-in asks for: the username claim (else the subject) as the provider
   * spells it, in any script (so a ViolentUTF user's memory file for that name is the one opened);
   * only characters no username may hold become '-'. It is only a wish; registration freezes a free name.
   */
  String wantedUsername(JsonObject claims) {
    Object value = claims.getValue(config.usernameClaim());
    String raw = value instanceof String s && !s.isBlank() ? s : claims.getString("sub", "");
    String name = Usernames.fromProvider(raw);
    if (name == null || name.isEmpty()) {
      return "user";
    }
    // room for the "-2" a taken name gets
    int cut = name.codePointCount(0, name.length()) > MAX_BASE ? name.offsetByCodePoints(0, MAX_BASE) : name.length();
    return name.substring(0, cut);
  }

  String displayName(JsonObject claims) {
    for (String key : new String[] {"name", config.usernameClaim(), "email"}) {
      if (claims.getValue(key) instanceof String s && !s.isBlank()) {
        return s.length() > 200 ? s.substring(0, 200) : s;
      }
    }
    return null;
  }
}
