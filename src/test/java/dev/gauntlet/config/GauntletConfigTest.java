package dev.gauntlet.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GauntletConfigTest {

  @TempDir
  Path dir;

  /** An empty -conf file, so the tests see the embedded defaults whatever the working directory holds. */
  private Path emptyConf() throws IOException {
    return Files.writeString(dir.resolve("empty.json"), "{}");
  }

  private GauntletConfig withEnv(Map<String, String> env) throws IOException {
    return GauntletConfig.load(emptyConf(), env);
  }

  @Test
  void embeddedDefaultsApplyWhenNothingIsOverridden() throws IOException {
    GauntletConfig c = withEnv(Map.of());
    assertEquals(8080, c.http().port());
    assertEquals("127.0.0.1", c.http().host(), "loopback only unless told otherwise");
    assertEquals(64, c.memory().maxOpen());
    assertEquals(2, c.memory().shards());
    assertEquals("", c.memory().salt());
    assertEquals(3600L, c.auth().tokenTtlSeconds());
  }

  @Test
  void rateLimitsAndTlsAreConfiguredLikeEveryOtherKey() throws IOException {
    GauntletConfig defaults = withEnv(Map.of());
    assertTrue(defaults.rateLimit().enabled());
    assertEquals(30, defaults.rateLimit().signInPerAddressPerMinute());
    assertEquals(10, defaults.rateLimit().signInPerLoginPerMinute());
    GauntletConfig c = withEnv(Map.of("GAUNTLET_RATE_LIMIT_API_PER_USER_PER_MINUTE", "77", "GAUNTLET_RATE_LIMIT_ENABLED", "false"));
    assertEquals(77, c.rateLimit().apiPerUserPerMinute());
    assertTrue(!c.rateLimit().enabled());
    assertThrows(IllegalArgumentException.class, () -> withEnv(Map.of("GAUNTLET_RATE_LIMIT_MAX_TRACKED", "0")));
    assertEquals("http.tls.keyStorePath", GauntletConfig.environmentNames().get("GAUNTLET_HTTP_TLS_KEY_STORE_PATH"));
  }

  @Test
  void theWarmUpIsOffByDefaultAndOneVariableTurnsItOn() throws IOException {
    GauntletConfig c = withEnv(Map.of());
    assertEquals(0, c.orchestrator().warmupPrompts());
    assertEquals(30, c.orchestrator().warmupSeconds());
    assertEquals("256MB", c.memory().duckdbMemoryLimit());
    assertEquals(20_000, withEnv(Map.of("GAUNTLET_ORCHESTRATOR_WARMUP_PROMPTS", "20000")).orchestrator().warmupPrompts());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withEnv(Map.of("GAUNTLET_ORCHESTRATOR_WARMUP_PROMPTS", "-1")));
    assertTrue(e.getMessage().contains("orchestrator.warmupPrompts"), e.getMessage());
  }

  @Test
  void httpPortVariableOverridesTheDefault() throws IOException {
    assertEquals(9999, withEnv(Map.of("GAUNTLET_HTTP_PORT", "9999")).http().port());
  }

  @Test
  void camelCaseKeyIsSetByItsUpperSnakeVariable() throws IOException {
    GauntletConfig c = withEnv(Map.of("GAUNTLET_MEMORY_MAX_OPEN", "3", "GAUNTLET_MEMORY_DUCKDB_MEMORY_LIMIT", "1GB"));
    assertEquals(3, c.memory().maxOpen());
    assertEquals("1GB", c.memory().duckdbMemoryLimit());
  }

  @Test
  void environmentNamesListDerivedVariablesAndAliases() {
    Map<String, String> names = GauntletConfig.environmentNames();
    assertEquals("memory.maxOpen", names.get("GAUNTLET_MEMORY_MAX_OPEN"));
    assertEquals("auth.adminPassword", names.get("GAUNTLET_AUTH_ADMIN_PASSWORD"));
    assertEquals("auth.adminPassword", names.get("GAUNTLET_ADMIN_PASSWORD"));
    assertEquals("memory.salt", names.get("PYRIT_DB_SALT"));
  }

  @Test
  void adminPasswordAliasSetsAuthAdminPassword() throws IOException {
    assertEquals("s3cret-pass", withEnv(Map.of("GAUNTLET_ADMIN_PASSWORD", "s3cret-pass")).auth().adminPassword());
  }

  @Test
  void exactVariableWinsOverItsAlias() throws IOException {
    GauntletConfig c = withEnv(Map.of("GAUNTLET_ADMIN_PASSWORD", "from-alias", "GAUNTLET_AUTH_ADMIN_PASSWORD", "from-exact"));
    assertEquals("from-exact", c.auth().adminPassword());
  }

  @Test
  void pyritDbSaltSetsMemorySalt() throws IOException {
    assertEquals("default_salt_2025", withEnv(Map.of("PYRIT_DB_SALT", "default_salt_2025")).memory().salt());
  }

  @Test
  void nonNumberForNumericKeyIsRefusedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withEnv(Map.of("GAUNTLET_HTTP_PORT", "eighty")));
    assertTrue(e.getMessage().contains("http.port"), e.getMessage());
    assertTrue(e.getMessage().contains("eighty"), e.getMessage());
  }

  @Test
  void nonNumberForMaxOpenIsRefusedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withEnv(Map.of("GAUNTLET_MEMORY_MAX_OPEN", "lots")));
    assertTrue(e.getMessage().contains("memory.maxOpen"), e.getMessage());
  }

  @Test
  void confFileIsLayeredOverDefaultsKeepingUnsetKeys() throws IOException {
    Path conf = Files.writeString(dir.resolve("conf.json"),
        "{\"http\": {\"port\": 7000}, \"memory\": {\"shards\": 4, \"salt\": \"from-file\"}}");
    GauntletConfig c = GauntletConfig.load(conf, Map.of());
    assertEquals(7000, c.http().port());
    assertEquals("127.0.0.1", c.http().host(), "a sibling key the file does not set keeps its default");
    assertEquals(4, c.memory().shards());
    assertEquals("from-file", c.memory().salt());
    assertEquals(64, c.memory().maxOpen());
  }

  @Test
  void environmentWinsOverConfFile() throws IOException {
    Path conf = Files.writeString(dir.resolve("conf.json"), "{\"http\": {\"port\": 7000}, \"memory\": {\"salt\": \"from-file\"}}");
    GauntletConfig c = GauntletConfig.load(conf, Map.of("GAUNTLET_HTTP_PORT", "7001", "PYRIT_DB_SALT", "from-env"));
    assertEquals(7001, c.http().port());
    assertEquals("from-env", c.memory().salt());
  }

  @Test
  void dataDirVariableMovesAppDatabaseAndDefaultMemoryDir() throws IOException {
    Path data = dir.resolve("elsewhere");
    GauntletConfig c = withEnv(Map.of("GAUNTLET_DATA_DIR", data.toString()));
    assertEquals(data, c.dataDir());
    assertEquals(data.resolve("gauntlet.db"), c.appDatabaseFile());
    assertEquals(data.resolve("memory"), c.memory().dir());
  }

  @Test
  void missingConfFileIsAnError() {
    Path missing = dir.resolve("no-such-conf.json");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GauntletConfig.load(missing, Map.of()));
    assertTrue(e.getMessage().contains("no-such-conf.json"), e.getMessage());
  }

  @Test
  void malformedConfFileIsAnError() throws IOException {
    Path conf = Files.writeString(dir.resolve("broken.json"), "{\"http\": ");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GauntletConfig.load(conf, Map.of()));
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
  }

  @Test
  void zeroShardsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withEnv(Map.of("GAUNTLET_MEMORY_SHARDS", "0")));
    assertTrue(e.getMessage().contains("memory.shards"), e.getMessage());
  }

  @Test
  void maxOpenIsSharedOutAcrossShardsRoundingUp() {
    MemoryConfig m = new MemoryConfig(dir, "", 3, 10, 600, "512MB", 2);
    assertEquals(4, m.maxOpenPerShard());
    assertEquals(1, new MemoryConfig(dir, "", 4, 1, 600, "512MB", 2).maxOpenPerShard());
  }
}
