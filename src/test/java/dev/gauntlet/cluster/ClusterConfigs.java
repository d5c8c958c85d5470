package dev.gauntlet.cluster;

import dev.gauntlet.config.ClusterConfig;

import java.util.List;

/** Cluster configurations for tests: loopback members, short leases. */
final class ClusterConfigs {

  private ClusterConfigs() {}

  static ClusterConfig of(String members, int port) {
    return new ClusterConfig(true, List.of(members.split(",")), "127.0.0.1", port, 5);
  }
}
