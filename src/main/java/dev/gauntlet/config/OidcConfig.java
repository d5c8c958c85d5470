package dev.gauntlet.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sign-in through an OpenID Connect provider ({@code auth.oidc.*}), beside the local accounts.
 *
 * <p>Lists may be JSON arrays in {@code conf.json} or comma- or space-separated text in an
 * environment variable. In {@code roleClaims}, {@code ${clientId}} stands for the client id, so
 * the default reads Keycloak's realm roles and this client's roles.
 *
 * @param issuer      the provider's issuer URL; discovery reads {@code <issuer>/.well-known/openid-configuration}
 * @param clientSecret empty for a public client (PKCE alone protects the code)
 * @param publicUrl   the address browsers reach Gauntlet at; empty = taken from each request
 * @param audiences   a bearer access token is for Gauntlet when its {@code aud} or {@code azp} is one
 *                    of these (default: the client id)
 */
public record OidcConfig(boolean enabled, String issuer, String clientId, String clientSecret, String publicUrl,
                         List<String> scopes, String usernameClaim, List<List<String>> roleClaims,
                         List<String> adminRoles, List<String> userRoles, List<String> audiences, String label) {

  private static final String WELL_KNOWN = "/.well-known/openid-configuration";

  public static OidcConfig from(JsonObject json) {
    boolean enabled = json.getValue("enabled") instanceof String s ? Boolean.parseBoolean(s.trim()) : json.getBoolean("enabled", false);
    String clientId = text(json, "clientId");
    List<String> scopes = new ArrayList<>(list(json.getValue("scopes"), List.of("openid", "profile", "email")));
    if (!scopes.contains("openid")) {
      scopes.add(0, "openid");
    }
    List<List<String>> roleClaims = list(json.getValue("roleClaims"), List.of("realm_access.roles", "resource_access.${clientId}.roles"))
        .stream().map(path -> Arrays.stream(path.split("\\.")).map(p -> p.equals("${clientId}") ? clientId : p).toList()).toList();
    List<String> audiences = list(json.getValue("audiences"), List.of());
    OidcConfig config = new OidcConfig(enabled, trimSlash(stripWellKnown(text(json, "issuer"))), clientId, text(json, "clientSecret"),
        trimSlash(text(json, "publicUrl")), List.copyOf(scopes), orDefault(text(json, "usernameClaim"), "preferred_username"),
        roleClaims, list(json.getValue("adminRoles"), List.of("admin")), list(json.getValue("userRoles"), List.of("user")),
        audiences.isEmpty() && !clientId.isEmpty() ? List.of(clientId) : audiences, orDefault(text(json, "label"), "SSO"));
    if (enabled) {
      config.validate();
    }
    return config;
  }

  public static OidcConfig disabled() {
    return from(new JsonObject());
  }

  public boolean publicClient() {
    return clientSecret.isEmpty();
  }

  private void validate() {
    if (!isHttpUrl(issuer)) {
      throw new IllegalArgumentException("auth.oidc.issuer must be the provider's http(s) issuer URL, got '" + issuer + "'");
    }
    if (clientId.isEmpty()) {
      throw new IllegalArgumentException("auth.oidc.clientId is required when auth.oidc.enabled is true");
    }
    if (!publicUrl.isEmpty() && !isHttpUrl(publicUrl)) {
      throw new IllegalArgumentException("auth.oidc.publicUrl must be an http(s) URL such as https://gauntlet.example.com, got '"
          + publicUrl + "'");
    }
    if (adminRoles.isEmpty() && userRoles.isEmpty()) {
      throw new IllegalArgumentException("auth.oidc.adminRoles and auth.oidc.userRoles are both empty: nobody could sign in");
    }
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI u = new URI(s);
      return (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https")))
          && u.getHost() != null && u.getQuery() == null && u.getFragment() == null;
    } catch (Exception e) {
      return false;
    }
  }

  private static String text(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v == null ? "" : v.toString().trim();
  }

  private static String orDefault(String s, String fallback) {
    return s.isEmpty() ? fallback : s;
  }

  private static String stripWellKnown(String s) {
    return s.endsWith(WELL_KNOWN) ? s.substring(0, s.length() - WELL_KNOWN.length()) : s;
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** A JSON array, or text split on commas and spaces; absent means the default, an empty value means none. */
  static List<String> list(Object value, List<String> fallback) {
    if (value == null) {
      return fallback;
    }
    List<String> items = value instanceof JsonArray a
        ? a.stream().map(String::valueOf).toList()
        : Arrays.asList(value.toString().split("[,\\s]+"));
    return items.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
  }
}
