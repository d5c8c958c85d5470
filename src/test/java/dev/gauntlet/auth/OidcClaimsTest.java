package dev.gauntlet.auth;

import dev.gauntlet.config.GauntletConfig;
import dev.gauntlet.config.OidcConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Role mapping and the claims Gauntlet reads from a provider's tokens, configured as an operator would. */
class OidcClaimsTest {

  @TempDir
  Path dir;

  private OidcConfig fromEnv(Map<String, String> env) throws Exception {
    return GauntletConfig.load(Files.writeString(dir.resolve("conf.json"), "{}"), env).auth().oidc();
  }

  private static OidcConfig config(JsonObject overrides) {
    return OidcConfig.from(new JsonObject().put("enabled", true).put("issuer", "https://sso.example.test/realms/red")
        .put("clientId", "gauntlet").mergeIn(overrides));
  }

  /** A Keycloak access token's role claims. */
  private static JsonObject keycloakClaims(List<String> realmRoles, List<String> clientRoles, List<String> otherClientRoles) {
    return new JsonObject().put("sub", "f3a1").put("preferred_username", "alice")
        .put("realm_access", new JsonObject().put("roles", new JsonArray(realmRoles)))
        .put("resource_access", new JsonObject()
            .put("gauntlet", new JsonObject().put("roles", new JsonArray(clientRoles)))
            .put("account", new JsonObject().put("roles", new JsonArray(otherClientRoles))));
  }

  @Test
  void realmRolesAndThisClientsRolesAreReadByDefault() {
    OidcClaims claims = new OidcClaims(config(new JsonObject()));
    Set<String> roles = claims.providerRoles(keycloakClaims(List.of("offline_access", "admin"), List.of("user"), List.of("manage-account")));
    assertEquals(Set.of("offline_access", "admin", "user"), roles, "another client's roles are not this client's");
  }

  @Test
  void providerRolesMapToGauntletRolesAndAnAdminIsAlsoAUser() {
    OidcClaims claims = new OidcClaims(config(new JsonObject().put("adminRoles", new JsonArray().add("red-team-lead"))
        .put("userRoles", new JsonArray().add("red-teamer").add("analyst"))));
    assertEquals(List.of("admin", "user"), claims.gauntletRoles(Set.of("red-team-lead")));
    assertEquals(List.of("user"), claims.gauntletRoles(Set.of("analyst", "offline_access")));
    assertEquals(List.of(), claims.gauntletRoles(Set.of("admin", "user")), "unmapped names grant nothing");
  }

  @Test
  void mappingAndClaimPathsComeFromEnvironmentVariables() throws Exception {
    OidcConfig c = fromEnv(Map.of("GAUNTLET_AUTH_OIDC_ENABLED", "true",
        "GAUNTLET_AUTH_OIDC_ISSUER", "http://localhost:8180/realms/red/.well-known/openid-configuration",
        "GAUNTLET_AUTH_OIDC_CLIENT_ID", "red-bench",
        "GAUNTLET_AUTH_OIDC_ADMIN_ROLES", "lead, owner",
        "GAUNTLET_AUTH_OIDC_USER_ROLES", "tester",
        "GAUNTLET_AUTH_OIDC_ROLE_CLAIMS", "groups resource_access.${clientId}.roles",
        "GAUNTLET_AUTH_OIDC_SCOPES", "profile email"));
    assertTrue(c.enabled());
    assertEquals("http://localhost:8180/realms/red", c.issuer(), "discovery URL reduced to the issuer");
    assertEquals(List.of("lead", "owner"), c.adminRoles());
    assertEquals(List.of(List.of("groups"), List.of("resource_access", "red-bench", "roles")), c.roleClaims());
    assertEquals(List.of("openid", "profile", "email"), c.scopes(), "openid is always asked for");
    assertEquals(List.of("red-bench"), c.audiences(), "tokens for the client id by default");
    assertTrue(c.publicClient(), "no secret: a public client with PKCE");
    OidcClaims claims = new OidcClaims(c);
    JsonObject token = new JsonObject().put("groups", new JsonArray().add("tester"))
        .put("resource_access", new JsonObject().put("red-bench", new JsonObject().put("roles", new JsonArray().add("owner"))));
    assertEquals(List.of("admin", "user"), claims.gauntletRoles(claims.providerRoles(token)));
  }

  @Test
  void aSingleNameAndMalformedClaimsAreHandled() {
    OidcClaims claims = new OidcClaims(config(new JsonObject().put("roleClaims", new JsonArray().add("role").add("realm_access.roles"))));
    assertEquals(Set.of("user"), claims.providerRoles(new JsonObject().put("role", "user").put("realm_access", "not an object")));
    assertEquals(Set.of(), claims.providerRoles(new JsonObject().put("role", new JsonArray().add(7).add(new JsonObject()))));
  }

  @Test
  void theWantedUsernameIsTheUsernameClaimMadeSafe() {
    OidcClaims claims = new OidcClaims(config(new JsonObject()));
    assertEquals("alice", claims.wantedUsername(new JsonObject().put("sub", "s").put("preferred_username", "alice")));
    assertEquals("j.doe@example.test", claims.wantedUsername(new JsonObject().put("preferred_username", "j.doe@example.test")));
    assertEquals("Ren\u00e9-O-Brien", claims.wantedUsername(new JsonObject().put("preferred_username", "Ren\u00e9 O'Brien")),
        "letters of any script stay; a space and an apostrophe cannot be in a name");
    assertEquals("ren\u00e9e", claims.wantedUsername(new JsonObject().put("preferred_username", "rene\u0301e")),
        "the provider's name in its NFC form, never rewritten to ASCII");
    assertEquals("etc-passwd", claims.wantedUsername(new JsonObject().put("preferred_username", "../etc/passwd")));
    assertEquals("f3a1-99", claims.wantedUsername(new JsonObject().put("sub", "f3a1-99")), "no username claim: the subject");
    assertEquals("\u7528\u6237", claims.wantedUsername(new JsonObject().put("preferred_username", "\u7528\u6237")));
    assertEquals("user", claims.wantedUsername(new JsonObject().put("preferred_username", "p\u0430ypal")),
        "a name mixing Latin and Cyrillic is not taken as it is");
    assertEquals(56, claims.wantedUsername(new JsonObject().put("preferred_username", "x".repeat(300))).length());
    OidcClaims byEmail = new OidcClaims(config(new JsonObject().put("usernameClaim", "email")));
    assertEquals("a@example.test", byEmail.wantedUsername(new JsonObject().put("email", "a@example.test").put("preferred_username", "a")));
  }

  @Test
  void anEnabledProviderNeedsAnIssuerAndAClient() {
    IllegalArgumentException noIssuer = assertThrows(IllegalArgumentException.class,
        () -> OidcConfig.from(new JsonObject().put("enabled", true).put("clientId", "gauntlet")));
    assertTrue(noIssuer.getMessage().contains("auth.oidc.issuer"), noIssuer.getMessage());
    IllegalArgumentException noClient = assertThrows(IllegalArgumentException.class,
        () -> OidcConfig.from(new JsonObject().put("enabled", true).put("issuer", "https://sso.example.test")));
    assertTrue(noClient.getMessage().contains("auth.oidc.clientId"), noClient.getMessage());
    assertThrows(IllegalArgumentException.class, () -> config(new JsonObject().put("publicUrl", "javascript:alert(1)")));
    assertEquals(false, OidcConfig.from(new JsonObject()).enabled(), "off unless enabled");
  }
}
