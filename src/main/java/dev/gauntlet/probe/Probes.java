package dev.gauntlet.probe;

import dev.gauntlet.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The probe catalog: every probe Gauntlet ships, by id, in the order they are listed. */
public final class Probes {

  private static final Map<String, Probe> ALL = build();

  private Probes() {}

  private static Map<String, Probe> build() {
    Map<String, Probe> m = new LinkedHashMap<>();
    List<Probe> all = new ArrayList<>();
    all.add(new PromptHijack());
    all.addAll(InjectionProbes.all());
    all.addAll(LeakageProbes.all());
    all.addAll(OutputProbes.all());
    all.addAll(JailbreakProbes.all());
    all.addAll(HarmfulRequests.all());
    all.addAll(IntegrityProbes.all());
    all.addAll(AgencyProbes.all());
    all.add(new BiasPairs());
    for (Probe p : all) {
      if (m.putIfAbsent(p.id(), p) != null) {
        throw new IllegalStateException("probe '" + p.id() + "' listed twice");
      }
    }
    return m;
  }

  public static Collection<Probe> all() {
    return ALL.values();
  }

  /** The probe, or a 404 naming the id. */
  public static Probe get(String id) {
    Probe p = ALL.get(id);
    if (p == null) {
      throw Problem.notFound("probe", id);
    }
    return p;
  }

  public static boolean has(String id) {
    return ALL.containsKey(id);
  }
}
