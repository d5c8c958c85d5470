package dev.gauntlet.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cluster mode is off by default and set by its variables; a wrong member list is refused with what was wrong. */
class ClusterConfigTest {

  private static GauntletConfig withEnv(Map<String, String> env) {
    io.vertx.core.json.JsonObject merged = GauntletConfig.embeddedDefaults();
    GauntletConfig.applyEnv(merged, env);
    return GauntletConfig.from(merged);
  }

  @Test
  void offByDefault() {
    ClusterConfig c = withEnv(Map.of()).cluster();
    assertFalse(c.enabled());
    assertEquals(5701, c.port());
    assertEquals(10, c.leaseSeconds());
  }

  @Test
  void theVariablesTurnItOnWithTheirMembersAndPort() {
    ClusterConfig c = withEnv(Map.of("GAUNTLET_CLUSTER_ENABLED", "true",
        "GAUNTLET_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5702", "GAUNTLET_CLUSTER_PORT", "5702",
        "GAUNTLET_CLUSTER_HOST", "10.0.0.2", "GAUNTLET_CLUSTER_LEASE_SECONDS", "4")).cluster();
    assertTrue(c.enabled());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5702"), c.members());
    assertEquals(5702, c.port());
    assertEquals("10.0.0.2", c.host());
    assertEquals(4, c.leaseSeconds());
  }

  @Test
  void aMemberWithoutPortOrAClusterWithoutMembersIsRefusedByName() {
    IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
        () -> withEnv(Map.of("GAUNTLET_CLUSTER_MEMBERS", "10.0.0.1")));
    assertTrue(noPort.getMessage().contains("cluster.members") && noPort.getMessage().contains("10.0.0.1"), noPort.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> withEnv(Map.of("GAUNTLET_CLUSTER_ENABLED", "true")));
    assertTrue(none.getMessage().contains("GAUNTLET_CLUSTER_MEMBERS"), none.getMessage());
  }
}
