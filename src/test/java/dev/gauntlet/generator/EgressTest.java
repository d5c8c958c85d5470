package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The egress policy's decisions: what is never reachable, loopback for admins only, and the admin's lists. */
class EgressTest {

  private static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void close() {
    VERTX.close();
  }

  private static Egress egress(JsonObject config) {
    return new Egress(Egress.Policy.from(config), user -> Future.succeededFuture("root".equals(user)));
  }

  /** The refusal's message, or "allowed" and the address connected to. */
  private static String decide(Egress e, String owner, String host, int port) throws Exception {
    try {
      InetAddress a = e.gate(owner).check(VERTX, host, port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return "allowed " + a.getHostAddress();
    } catch (java.util.concurrent.ExecutionException failed) {
      assertTrue(failed.getCause() instanceof Egress.Denied, String.valueOf(failed.getCause()));
      return failed.getCause().getMessage();
    }
  }

  @Test
  void metadataLinkLocalUnspecifiedAndMulticastAreNeverReachable() throws Exception {
    Egress open = egress(new JsonObject().put("allowLoopback", true));
    for (String host : new String[] {"169.254.169.254", "169.254.10.1", "[fe80::1]", "[fd00:ec2::254]", "0.0.0.0", "0.1.2.3",
        "[::]", "224.0.0.1", "255.255.255.255", "[::ffff:169.254.169.254]"}) {
      String d = decide(open, "root", host, 80);
      assertTrue(d.contains("never allowed"), host + ": " + d);
    }
  }

  @Test
  void loopbackIsForAdminsUnlessOpenedToAll() throws Exception {
    Egress strict = egress(new JsonObject());
    for (String host : new String[] {"127.0.0.1", "127.8.9.10", "[::1]", "[::ffff:127.0.0.1]", "localhost"}) {
      String d = decide(strict, "alice", host, 11434);
      assertTrue(d.contains("loopback address, which only admins' generators may reach"), host + ": " + d);
      assertTrue(decide(strict, "root", host, 11434).startsWith("allowed"), host + " for an admin");
    }
    assertEquals("allowed 127.0.0.1", decide(egress(new JsonObject().put("allowLoopback", "true")), "alice", "127.0.0.1", 80),
        "the environment variable's text 'true' opens it");
  }

  @Test
  void privateRangesAndPublicAddressesAreAllowedByDefault() throws Exception {
    Egress strict = egress(new JsonObject());
    for (String host : new String[] {"10.1.2.3", "172.16.0.9", "192.168.1.20", "100.64.0.1", "[fd12::5]", "8.8.8.8", "[2001:db8::1]"}) {
      assertTrue(decide(strict, "alice", host, 8000).startsWith("allowed"), host);
    }
  }

  @Test
  void theAdminsListsDecideByNameCidrAndPort() throws Exception {
    Egress listed = egress(new JsonObject().put("allow", new JsonArray().add("10.0.0.0/8").add("*.corp.example").add("8.8.8.8"))
        .put("deny", "10.66.0.0/16, 2001:db8::/32").put("denyPorts", new JsonArray().add(22)));
    assertTrue(decide(listed, "alice", "10.1.2.3", 443).startsWith("allowed"));
    assertTrue(decide(listed, "alice", "10.66.1.1", 443).contains("deny list"), "deny wins over allow");
    assertTrue(decide(listed, "alice", "192.168.1.1", 443).contains("not on the egress allow list"));
    assertTrue(decide(listed, "alice", "10.1.2.3", 22).contains("port 22"));
    assertTrue(decide(listed, "alice", "[2001:db8::7]", 443).contains("deny list"));
    assertTrue(decide(listed, "alice", "8.8.8.8", 443).startsWith("allowed"), "a single address is a /32");
    Egress ports = egress(new JsonObject().put("allowPorts", new JsonArray().add(443)));
    assertTrue(decide(ports, "alice", "8.8.8.8", 80).contains("port 80 is not allowed"));
  }

  @Test
  void eachRefusalIsReportedOnceAMinutePerOwnerTargetAndReason() throws Exception {
    java.util.List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    Egress strict = egress(new JsonObject()).reportingTo((owner, target, reason) -> reported.add(owner + " " + target + " " + reason));
    for (int i = 0; i < 5; i++) {
      decide(strict, "alice", "169.254.169.254", 80);
    }
    decide(strict, "bob", "169.254.169.254", 80);
    decide(strict, "alice", "127.0.0.1", 11434);
    assertTrue(decide(strict, "alice", "10.0.0.1", 80).startsWith("allowed"));
    assertEquals(3, reported.size(), "a run of refused prompts is reported once, each owner and target apart: " + reported);
    assertTrue(reported.get(0).startsWith("alice 169.254.169.254:80 169.254.169.254 is link-local"), reported.get(0));
    assertTrue(reported.get(2).contains("only admins' generators may reach"), reported.get(2));
  }

  @Test
  void aBadPolicyIsRefusedAtStartNamingTheEntry() {
    IllegalArgumentException cidr = assertThrows(IllegalArgumentException.class,
        () -> Egress.Policy.from(new JsonObject().put("deny", new JsonArray().add("10.0.0.0/33"))));
    assertEquals("generators.egress.deny: '10.0.0.0/33' is not a valid CIDR", cidr.getMessage());
    IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
        () -> Egress.Policy.from(new JsonObject().put("allow", new JsonArray().add("not a host"))));
    assertTrue(host.getMessage().contains("neither a host name nor a CIDR"), host.getMessage());
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> Egress.Policy.from(new JsonObject().put("allowPorts", "http")));
    assertTrue(port.getMessage().contains("'http' is not a port"), port.getMessage());
  }
}
