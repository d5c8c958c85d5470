package dev.gauntlet.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gauntlet.config.ClusterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leases, the shared pace and the shared rate limits on two real Hazelcast members joined over TCP, as cluster mode configures them. */
class LeasesTest {

  static HazelcastInstance one;
  static HazelcastInstance two;

  @BeforeAll
  static void cluster() throws Exception {
    int p1 = freePort();
    int p2 = freePort();
    String members = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2;
    one = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcast(config(members, p1)));
    two = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcast(config(members, p2)));
  }

  @AfterAll
  static void stop() {
    two.shutdown();
    one.shutdown();
  }

  private static ClusterConfig config(String members, int port) {
    return ClusterConfigs.of(members, port);
  }

  @Test
  void oneNodeHoldsAKeyAndTheNextHolderGetsAHigherToken() throws Exception {
    Leases a = new Leases(one.getMap("test.leases"), "node-a", 1500);
    Leases b = new Leases(two.getMap("test.leases"), "node-b", 1500);
    Leases.Grant first = a.acquire("alice");
    assertTrue(first.granted());
    Leases.Grant refused = b.acquire("alice");
    assertFalse(refused.granted(), "a live lease is not handed to another node");
    assertEquals("node-a", refused.other().holder());
    assertNotNull(a.renew(first.hold()), "the holder renews");

    // node-a stops renewing: once the lease has run out, node-b takes it with a higher token
    Thread.sleep(1700);
    Leases.Grant taken = b.acquire("alice");
    assertTrue(taken.granted());
    assertTrue(taken.hold().token() > first.hold().token(), "the fencing token only grows");
    assertNull(a.renew(first.hold()), "the old holder can no longer renew");

    // released with its token kept: the next grant is higher still
    b.release(taken.hold()).toCompletableFuture().get();
    Leases.Grant again = a.acquire("alice");
    assertTrue(again.granted());
    assertTrue(again.hold().token() > taken.hold().token());
  }

  @Test
  void aHoldStopsBeingValidBeforeTheLeaseRunsOutForOthers() {
    Leases a = new Leases(one.getMap("test.leases"), "node-a", 2000);
    Leases.Hold hold = a.acquire("bob").hold();
    assertTrue(hold.valid());
    long remaining = hold.validUntilNanos() - System.nanoTime();
    assertTrue(remaining <= 1_000_000_000L, "valid for at most the lease minus its margin: " + remaining);
  }

  @Test
  void everyMemberReservesFromOneScheduleSoThePaceHoldsAcrossThem() throws Exception {
    ClusterPace p1 = new ClusterPace(one.getMap("test.pace"));
    ClusterPace p2 = new ClusterPace(two.getMap("test.pace"));
    long interval = 500_000; // 120 a minute
    List<Long> slots = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ClusterPace p = i % 2 == 0 ? p1 : p2;
      slots.add(p.reserve("generator-1", interval).toCompletableFuture().get());
    }
    // one interval between consecutive slots, whichever member asked
    for (int k = 1; k < slots.size(); k++) {
      assertEquals(interval, slots.get(k) - slots.get(k - 1), "slots " + slots);
    }
    long other = p2.reserve("generator-2", interval).toCompletableFuture().get();
    assertTrue(other < slots.get(slots.size() - 1), "another generator has a schedule of its own");
  }

  @Test
  void requestsInFlightAreCountedAcrossMembersAndADeadNodesPermitsComeBack() {
    com.hazelcast.map.IMap<String, String> m1 = one.getMap("test.inflight");
    com.hazelcast.map.IMap<String, String> m2 = two.getMap("test.inflight");
    List<String> both = List.of("node-a", "node-b");
    assertTrue(m1.executeOnKey("g", new ClusterConcurrency.Acquire("node-a", 2, both)));
    assertTrue(m2.executeOnKey("g", new ClusterConcurrency.Acquire("node-b", 2, both)));
    assertFalse(m1.executeOnKey("g", new ClusterConcurrency.Acquire("node-a", 2, both)), "two in flight across both members: no third");
    m2.executeOnKey("g", new ClusterConcurrency.Release("node-b"));
    assertTrue(m1.executeOnKey("g", new ClusterConcurrency.Acquire("node-a", 2, both)), "a released permit can be taken");
    // node-a leaves the cluster holding both permits: they are not lost with it
    List<String> onlyB = List.of("node-b");
    assertTrue(m2.executeOnKey("g", new ClusterConcurrency.Acquire("node-b", 2, onlyB)));
    assertTrue(m2.executeOnKey("g", new ClusterConcurrency.Acquire("node-b", 2, onlyB)));
    assertFalse(m2.executeOnKey("g", new ClusterConcurrency.Acquire("node-b", 2, onlyB)));
  }

  @Test
  void aRateLimitIsOneBucketForEveryMember() throws Exception {
    ClusterRates r1 = new ClusterRates(one.getMap("test.rates"));
    ClusterRates r2 = new ClusterRates(two.getMap("test.rates"));
    // a bucket of 6 a minute taken from both members in turn: six pass, the seventh waits about ten seconds
    for (int i = 0; i < 6; i++) {
      ClusterRates r = i % 2 == 0 ? r1 : r2;
      assertEquals(0L, r.take("API_PER_USER:alice", 6).toCompletableFuture().get(), "request " + (i + 1) + " of 6");
    }
    long wait = r1.take("API_PER_USER:alice", 6).toCompletableFuture().get();
    assertTrue(wait > 9_000_000 && wait <= 10_000_000, "the seventh waits for the next token: " + wait + " µs");
    assertTrue(r2.take("API_PER_USER:alice", 6).toCompletableFuture().get() > 0, "refused on the other member too");
    assertEquals(0L, r2.take("API_PER_USER:bob", 6).toCompletableFuture().get(), "another client has a bucket of its own");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
