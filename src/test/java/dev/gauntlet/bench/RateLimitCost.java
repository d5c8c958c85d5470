package dev.gauntlet.bench;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gauntlet.auth.RateLimiter;
import dev.gauntlet.cluster.ClusterRates;
import dev.gauntlet.cluster.ClusterSetup;
import dev.gauntlet.config.ClusterConfig;
import dev.gauntlet.config.RateLimitConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * What one rate-limit check costs per request: this node's own bucket (bucket4j in a Caffeine
 * cache, as every request pays today) against the bucket every node shares (one Hazelcast entry
 * processor, {@code ClusterRates}), the latter between two real members joined over loopback TCP
 * in this JVM, asked from the second so most keys live on the other member. Prints the wait a
 * request sees one at a time, the rate with many in flight, and the CPU per check (both members
 * are in this process, so that is the whole cluster's). Flags: --checks N (20000), --clients N
 * (1000), --in-flight N (64).
 */
public final class RateLimitCost {

  public static void main(String[] args) throws Exception {
    Flags flags = new Flags(args, List.of());
    int checks = (int) flags.count("checks", 20_000);
    int clients = (int) flags.count("clients", 1000);
    int inFlight = (int) flags.count("in-flight", 64);
    flags.checkAllRead();

    RateLimiter local = new RateLimiter(new RateLimitConfig(true, 30, 10, 10, 1_000_000, 1_000_000, 100_000));
    for (int round = 0; round < 2; round++) {
      long cpu = cpuNanos();
      long start = System.nanoTime();
      int n = checks * 50;
      for (int i = 0; i < n; i++) {
        local.take(RateLimiter.Limit.API_PER_USER, "user" + (i % clients));
      }
      long elapsed = System.nanoTime() - start;
      if (round == 1) {
        System.out.printf("this node's bucket: %.2f µs a check (%,d checks), %.2f µs CPU a check%n",
            elapsed / 1000.0 / n, n, (cpuNanos() - cpu) / 1000.0 / n);
      }
    }

    int p1 = ChildJvm.freePort();
    int p2 = ChildJvm.freePort();
    List<String> members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    HazelcastInstance one = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcast(new ClusterConfig(true, members, "127.0.0.1", p1, 10)));
    HazelcastInstance two = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcast(new ClusterConfig(true, members, "127.0.0.1", p2, 10)));
    try {
      ClusterRates shared = ClusterRates.on(two);
      for (int round = 0; round < 2; round++) {
        // one at a time: the wait one request sees
        long cpu = cpuNanos();
        long[] waits = new long[checks];
        for (int i = 0; i < checks; i++) {
          long t = System.nanoTime();
          shared.take("API_PER_USER:user" + (i % clients), 1_000_000).toCompletableFuture().get();
          waits[i] = System.nanoTime() - t;
        }
        long cpuSerial = cpuNanos() - cpu;
        java.util.Arrays.sort(waits);
        long sum = 0;
        for (long w : waits) {
          sum += w;
        }
        // many in flight: the rate the cluster sustains
        Semaphore window = new Semaphore(inFlight);
        List<CompletableFuture<Long>> all = new ArrayList<>(checks);
        cpu = cpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < checks; i++) {
          window.acquire();
          CompletableFuture<Long> f = shared.take("API_PER_USER:user" + (i % clients), 1_000_000).toCompletableFuture();
          f.whenComplete((v, e) -> window.release());
          all.add(f);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpuParallel = cpuNanos() - cpu;
        if (round == 1) {
          System.out.printf("the cluster's bucket, one at a time: %.0f µs a check on average, median %.0f µs, p99 %.0f µs;"
                  + " %.0f µs CPU a check%n", sum / 1000.0 / checks, waits[checks / 2] / 1000.0, waits[checks * 99 / 100] / 1000.0,
              cpuSerial / 1000.0 / checks);
          System.out.printf("the cluster's bucket, %d in flight: %,.0f checks/s, %.0f µs CPU a check%n",
              inFlight, checks / seconds, cpuParallel / 1000.0 / checks);
        }
      }
      System.out.printf("load average %s%n", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    } finally {
      two.shutdown();
      one.shutdown();
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
