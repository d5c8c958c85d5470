package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Cluster mode: nodes find each other over TCP at {@code members} ({@code host:port}, comma
 * separated; never multicast), this node listening for the cluster on {@code host:port}. A
 * user's memory and a running execution are held by one node through leases of
 * {@code leaseSeconds}: how long a dead node's users and executions wait before another takes them.
 */
public record ClusterConfig(boolean enabled, List<String> members, String host, int port, int leaseSeconds) {

  static ClusterConfig from(JsonObject json) {
    boolean enabled = json.getBoolean("enabled", false);
    Object raw = json.getValue("members", "");
    List<String> members = new ArrayList<>();
    if (raw instanceof io.vertx.core.json.JsonArray a) {
      a.forEach(v -> members.add(String.valueOf(v).trim()));
    } else {
      for (String m : String.valueOf(raw).split(",")) {
        if (!m.isBlank()) {
          members.add(m.trim());
        }
      }
    }
    for (String m : members) {
      int colon = m.lastIndexOf(':');
      if (colon <= 0 || !m.substring(colon + 1).matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException("cluster.members must be host:port entries separated by commas, got '" + m + "'");
      }
    }
    int port = json.getInteger("port", 5701);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster.port must be between 1 and 65535, got " + port);
    }
    int lease = json.getInteger("leaseSeconds", 10);
    if (lease < 2) {
      throw new IllegalArgumentException("cluster.leaseSeconds must be at least 2, got " + lease);
    }
    if (enabled && members.isEmpty()) {
      throw new IllegalArgumentException("cluster.enabled needs cluster.members (GAUNTLET_CLUSTER_MEMBERS), e.g. 10.0.0.1:5701,10.0.0.2:5701");
    }
    return new ClusterConfig(enabled, List.copyOf(members), json.getString("host", "127.0.0.1"), port, lease);
  }
}
