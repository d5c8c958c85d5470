package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where generators, LLM converters and judges may connect: the one check between a user's saved
 * URL and the network. It runs at connect time on the address the name resolved to, and the
 * connection then goes to exactly that address, so a name that resolves elsewhere a moment later
 * (DNS rebinding) cannot slip past.
 *
 * <ul>
 *   <li>Always refused: link-local (which holds the cloud metadata service at 169.254.169.254),
 *   unspecified, multicast and broadcast addresses.</li>
 *   <li>Loopback: refused unless the owner is an admin (an admin's local Ollama keeps working) or
 *   {@code generators.egress.allowLoopback} opens it to everyone, as test setups need.</li>
 *   <li>Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): allowed, since a local
 *   vLLM or Ollama there is common.</li>
 *   <li>An admin's lists, by host name ({@code api.example.com}, {@code *.example.com}) or CIDR:
 *   {@code deny} always wins; a non-empty {@code allow} admits only what it matches. Ports the
 *   same: {@code denyPorts}, and {@code allowPorts} when not empty.</li>
 * </ul>
 */
public final class Egress {

  /** A connection the policy refused, with the reason a user reads. */
  public static final class Denied extends VertxException {
    Denied(String message) {
      super(message, true);
    }
  }

  /** The admin-set policy ({@code generators.egress} in the configuration). */
  public record Policy(boolean allowLoopback, List<String> allow, List<String> deny, Set<Integer> allowPorts,
                       Set<Integer> denyPorts) {

    public static final Policy DEFAULT = new Policy(false, List.of(), List.of(), Set.of(), Set.of());

    public Policy {
      allow = List.copyOf(allow);
      deny = List.copyOf(deny);
      allowPorts = Set.copyOf(allowPorts);
      denyPorts = Set.copyOf(denyPorts);
      for (String rule : allow) {
        Rule.parse(rule, "allow");
      }
      for (String rule : deny) {
        Rule.parse(rule, "deny");
      }
    }

    /** Reads {@code generators.egress}; lists may be JSON arrays or comma-separated text (as environment variables give them). */
    public static Policy from(JsonObject json) {
      if (json == null) {
        return DEFAULT;
      }
      return new Policy(Boolean.parseBoolean(String.valueOf(json.getValue("allowLoopback", false))),
          strings(json.getValue("allow"), "allow"), strings(json.getValue("deny"), "deny"),
          ports(json.getValue("allowPorts"), "allowPorts"), ports(json.getValue("denyPorts"), "denyPorts"));
    }

    public JsonObject toJson() {
      return new JsonObject().put("allowLoopback", allowLoopback).put("allow", new JsonArray(allow)).put("deny", new JsonArray(deny))
          .put("allowPorts", new JsonArray(List.copyOf(new TreeSet<>(allowPorts))))
          .put("denyPorts", new JsonArray(List.copyOf(new TreeSet<>(denyPorts))))
          .put("alwaysRefused", new JsonArray(List.of("link-local (169.254.0.0/16, fe80::/10, the metadata service)",
              "unspecified (0.0.0.0, ::)", "multicast", "broadcast")))
          .put("loopback", allowLoopback ? "allowed for everyone" : "allowed for admins only")
          .put("privateRanges", "allowed");
    }

    private static List<String> strings(Object value, String name) {
      List<String> out = new ArrayList<>();
      if (value instanceof JsonArray a) {
        a.forEach(v -> out.add(String.valueOf(v).trim()));
      } else if (value instanceof String s) {
        for (String part : s.split(",")) {
          out.add(part.trim());
        }
      } else if (value != null) {
        throw new IllegalArgumentException("generators.egress." + name + " must be a list of host names or CIDRs");
      }
      out.removeIf(String::isEmpty);
      return out;
    }

    private static Set<Integer> ports(Object value, String name) {
      Set<Integer> out = new TreeSet<>();
      for (String s : strings(value, name)) {
        try {
          int port = Integer.parseInt(s);
          if (port < 1 || port > 65535) {
            throw new NumberFormatException();
          }
          out.add(port);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("generators.egress." + name + ": '" + s + "' is not a port (1-65535)");
        }
      }
      return out;
    }
  }

  /** One allow or deny entry: a host name (optionally {@code *.}-prefixed) or a CIDR block. */
  private record Rule(String host, byte[] network, int prefix) {

    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    static Rule parse(String text, String list) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      int slash = t.indexOf('/');
      String address = slash < 0 ? t : t.substring(0, slash);
      if (isLiteral(address)) {
        try {
          byte[] net = InetAddress.getByName(address).getAddress();
          int prefix = slash < 0 ? net.length * 8 : Integer.parseInt(t.substring(slash + 1));
          if (prefix < 0 || prefix > net.length * 8) {
            throw new NumberFormatException();
          }
          return new Rule(null, net, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
          throw new IllegalArgumentException("generators.egress." + list + ": '" + text + "' is not a valid CIDR");
        }
      }
      if (slash >= 0 || !HOST.matcher(t).matches()) {
        throw new IllegalArgumentException("generators.egress." + list + ": '" + text + "' is neither a host name nor a CIDR");
      }
      return new Rule(t, null, 0);
    }

    boolean matches(String hostName, InetAddress address) {
      if (host != null) {
        String h = hostName.toLowerCase(Locale.ROOT);
        return host.startsWith("*.") ? h.endsWith(host.substring(1)) : h.equals(host);
      }
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((a[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final long RESOLVED_FOR_MS = 5_000;
  private static final long ADMIN_KNOWN_FOR_MS = 30_000;

  private record Resolved(InetAddress[] addresses, long at) {}

  private record Known(boolean admin, long at) {}

  private final Policy policy;
  private final List<Rule> allow;
  private final List<Rule> deny;
  /** Whether a user is an admin now; asked at connect time so a role change applies to running executions too. */
  private final Function<String, Future<Boolean>> isAdmin;
  private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();
  /** Where refusals are reported (the audit log), and when each owner-target-reason was last, so a run of many prompts reports once a minute. */
  private volatile Refusals refusals = (owner, target, reason) -> {};
  private final Map<String, Long> lastReported = new ConcurrentHashMap<>();
  private final Map<String, Known> admins = new ConcurrentHashMap<>();

  public Egress(Policy policy, Function<String, Future<Boolean>> isAdmin) {
    this.policy = policy;
    this.allow = policy.allow().stream().map(r -> Rule.parse(r, "allow")).toList();
    this.deny = policy.deny().stream().map(r -> Rule.parse(r, "deny")).toList();
    this.isAdmin = isAdmin;
  }

  /** Where a refused connection is reported: whose generator, which host:port, and why. */
  @FunctionalInterface
  public interface Refusals {
    void refused(String owner, String target, String reason);
  }

  /** Reports every refusal to {@code refusals} (the audit log), at most once a minute per owner, target and reason. */
  public Egress reportingTo(Refusals refusals) {
    this.refusals = refusals;
    return this;
  }

  /** No lists and loopback open to all: for tests that build generators against local fakes, and the warm-up. */
  public static Egress open() {
    return new Egress(new Policy(true, List.of(), List.of(), Set.of(), Set.of()), u -> Future.succeededFuture(false));
  }

  public Policy policy() {
    return policy;
  }

  /** What one owner's generators may reach. */
  public Gate gate(String owner) {
    return new Gate(this, owner);
  }

  /** The policy applied for one owner: resolves a host and checks the address the connection will go to. */
  public record Gate(Egress egress, String owner) {

    /** Loopback open, no lists: the gate of {@link #open()}. */
    public static final Gate OPEN = open().gate(null);

    /**
     * The address to connect to for {@code host}:{@code port}, or a failed future holding a
     * {@link Denied} that says why not.
     */
    public Future<InetAddress> check(Vertx vertx, String host, int port) {
      return egress.check(vertx, host, port, owner);
    }
  }

  Future<InetAddress> check(Vertx vertx, String host, int port, String owner) {
    Future<InetAddress> decided = decide(vertx, host, port, owner);
    if (decided.isComplete() && decided.succeeded()) {
      return decided;
    }
    return decided.onFailure(t -> {
      if (t instanceof Denied) {
        report(owner, host + ":" + port, t.getMessage());
      }
    });
  }

  private void report(String owner, String target, String reason) {
    String key = owner + "\u0000" + target + "\u0000" + reason;
    long now = System.currentTimeMillis();
    Long last = lastReported.get(key);
    if (last != null && now - last < 60_000) {
      return;
    }
    if (lastReported.size() > 10_000) {
      lastReported.clear();
    }
    lastReported.put(key, now);
    refusals.refused(owner, target, reason);
  }

  private Future<InetAddress> decide(Vertx vertx, String host, int port, String owner) {
    if (policy.denyPorts().contains(port) || (!policy.allowPorts().isEmpty() && !policy.allowPorts().contains(port))) {
      return Future.failedFuture(new Denied("port " + port + " is not allowed by the egress policy"));
    }
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return resolve(vertx, bare).compose(addresses -> {
      // every address the name has must pass, and the first is the one connected to
      for (InetAddress a : addresses) {
        String refusal = refusal(bare, a);
        if (refusal != null) {
          if (refusal.equals(LOOPBACK) && owner != null) {
            return admin(owner).compose(admin -> admin ? Future.succeededFuture(addresses[0])
                : Future.failedFuture(new Denied(describe(bare, a) + " is a loopback address, which only admins' generators may reach")));
          }
          return Future.failedFuture(new Denied(describe(bare, a) + " " + refusal));
        }
      }
      return Future.succeededFuture(addresses[0]);
    });
  }

  private static final String LOOPBACK = "is a loopback address";

  /** Why the policy refuses {@code address} (reached as {@code host}), or null; {@link #LOOPBACK} when only admins may. */
  String refusal(String host, InetAddress address) {
    InetAddress a = unmapped(address);
    if (a.isLinkLocalAddress() || isMetadata(a)) {
      return "is link-local (where cloud metadata services answer), which is never allowed";
    }
    if (a.isAnyLocalAddress() || (a instanceof Inet4Address && a.getAddress()[0] == 0)) {
      return "is the unspecified address, which is never allowed";
    }
    if (a.isMulticastAddress() || isBroadcast(a)) {
      return "is a multicast or broadcast address, which is never allowed";
    }
    for (Rule r : deny) {
      if (r.matches(host, a)) {
        return "is on the egress deny list";
      }
    }
    if (!allow.isEmpty() && allow.stream().noneMatch(r -> r.matches(host, a))) {
      return "is not on the egress allow list";
    }
    if (a.isLoopbackAddress() && !policy.allowLoopback()) {
      return LOOPBACK;
    }
    return null;
  }

  private static String describe(String host, InetAddress a) {
    return isLiteral(host) ? host : host + " (" + a.getHostAddress() + ")";
  }

  private Future<Boolean> admin(String owner) {
    Known k = admins.get(owner);
    long now = System.currentTimeMillis();
    if (k != null && now - k.at() < ADMIN_KNOWN_FOR_MS) {
      return Future.succeededFuture(k.admin());
    }
    return isAdmin.apply(owner).otherwise(false).map(admin -> {
      admins.put(owner, new Known(admin, now));
      return admin;
    });
  }

  private Future<InetAddress[]> resolve(Vertx vertx, String host) {
    if (isLiteral(host)) {
      try {
        return Future.succeededFuture(new InetAddress[] {InetAddress.getByName(host)});
      } catch (UnknownHostException e) {
        return Future.failedFuture(new Denied("'" + host + "' is not a valid address"));
      }
    }
    Resolved r = resolved.get(host);
    long now = System.currentTimeMillis();
    if (r != null && now - r.at() < RESOLVED_FOR_MS) {
      return Future.succeededFuture(r.addresses());
    }
    return vertx.executeBlocking(() -> InetAddress.getAllByName(host), false).map(addresses -> {
      if (resolved.size() > 10_000) {
        resolved.clear();
      }
      resolved.put(host, new Resolved(addresses, now));
      return addresses;
    });
  }

  /** An IPv4 or IPv6 literal (resolving one asks no DNS server). */
  static boolean isLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }

  /** Compiled once: {@link #isLiteral} runs for every request a generator sends. */
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is. */
  private static InetAddress unmapped(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
        try {
          return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
          return a;
        }
      }
    }
    return a;
  }

  private static boolean isMetadata(InetAddress a) {
    byte[] b = a.getAddress();
    // AWS's IPv6 metadata endpoint fd00:ec2::254
    return a instanceof Inet6Address && b[0] == (byte) 0xfd && b[1] == 0 && b[2] == (byte) 0x0e && b[3] == (byte) 0xc2
        && b[15] == (byte) 0x54 && b[14] == 0x02;
  }

  private static boolean isBroadcast(InetAddress a) {
    return a instanceof Inet4Address && a.getHostAddress().equals("255.255.255.255");
  }
}
