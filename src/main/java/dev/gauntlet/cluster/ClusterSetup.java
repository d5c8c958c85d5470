package dev.gauntlet.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import dev.gauntlet.config.ClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Starts this node's Vert.x as a member of the cluster: Hazelcast configured here, in code (no
 * hazelcast.xml, no multicast), joining the listed members over TCP.
 */
public final class ClusterSetup {

  private static final Logger LOG = Logger.getLogger(ClusterSetup.class.getName());

  private ClusterSetup() {}

  /** Hazelcast's configuration for a node: TCP join to {@code members}, Vert.x's own maps, Gauntlet's lease maps. */
  public static Config hazelcast(ClusterConfig cluster) {
    Config c = new Config();
    c.setClusterName("gauntlet");
    // Vert.x leaves the cluster itself on stop; Hazelcast's own hook would race it
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.health.monitoring.level", "OFF");
    // a member that stops answering is removed within seconds, not Hazelcast's default minute
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(Math.max(5, cluster.leaseSeconds())));
    c.setProperty("hazelcast.local.localAddress", address(cluster.host()));
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false);
    JoinConfig join = c.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members()).setConnectionTimeoutSeconds(5);
    // what Vert.x's default-cluster.xml declares for its event-bus registrations and node infos
    c.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    c.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    c.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    // leases survive two members lost at once; the pace of a generator unused for an hour is forgotten
    c.addMapConfig(new MapConfig("gauntlet.leases.*").setBackupCount(2));
    c.addMapConfig(new MapConfig(Cluster.PACE).setBackupCount(1).setMaxIdleSeconds(3600));
    c.addMapConfig(new MapConfig(Cluster.IN_FLIGHT).setBackupCount(1).setMaxIdleSeconds(3600));
    // a rate-limit bucket idle for two minutes is full again, so forgetting it changes nothing; its backup is
    // asynchronous (a bucket lost with a member only lets a client start afresh), so it adds no wait to a request
    c.addMapConfig(new MapConfig(Cluster.RATES).setBackupCount(0).setAsyncBackupCount(1).setMaxIdleSeconds(120));
    return c;
  }

  /** Hazelcast binds to an address: a host name (a container's service name) is resolved first. */
  static String address(String host) {
    try {
      return java.net.InetAddress.getByName(host).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("cluster.host '" + host + "' does not resolve: " + e.getMessage());
    }
  }

  /** Joins the cluster and returns this node's Vert.x. Blocks the calling (main) thread until joined. */
  public static Vertx join(VertxBuilder builder, VertxOptions options, ClusterConfig cluster) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(cluster));
    options.getEventBusOptions().setHost(cluster.host()).setPort(0);
    Vertx vertx;
    try {
      vertx = builder.with(options).withClusterManager(manager).buildClustered()
          .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("could not join the cluster at " + cluster.members() + ": " + cause.getMessage(), cause);
    }
    Cluster node = new Cluster(manager, manager.getNodeId(), manager.getHazelcastInstance(), TimeUnit.SECONDS.toMillis(cluster.leaseSeconds()));
    Cluster.attach(vertx, node);
    LOG.info("joined the cluster as node " + node.nodeId() + " (" + node.members() + " members; cluster port "
        + cluster.host() + ":" + cluster.port() + ", leases " + cluster.leaseSeconds() + " s)");
    return vertx;
  }
}
