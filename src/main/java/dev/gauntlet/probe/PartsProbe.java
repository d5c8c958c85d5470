package dev.gauntlet.probe;

import dev.gauntlet.dataset.SeedPrompt;

import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * A probe built from lists of parts (templates, payloads, framings): its prompts are a seeded
 * shuffle of every combination, one index per list, each made into a prompt by {@code maker}.
 */
final class PartsProbe implements Probe {

  /** One prompt from one combination; {@code seed} is there for seed-derived values such as canaries. */
  interface Maker {
    SeedPrompt make(int[] pick, long seed);
  }

  private final String id;
  private final String family;
  private final String description;
  private final List<String> taxonomy;
  private final int defaultCount;
  private final int[] dims;
  private final Maker maker;
  private final LongFunction<List<Detector>> detectors;
  private final LongFunction<List<Detector>> members;

  private PartsProbe(Builder b) {
    this.id = Objects.requireNonNull(b.id);
    this.family = Objects.requireNonNull(b.family);
    this.description = Objects.requireNonNull(b.description, "description");
    this.taxonomy = List.copyOf(b.taxonomy);
    this.dims = Objects.requireNonNull(b.dims, "parts").clone();
    this.maker = Objects.requireNonNull(b.maker, "prompts");
    this.detectors = Objects.requireNonNull(b.detectors, "detectors");
    this.members = b.members;
    this.defaultCount = Math.min(b.defaultCount, Picks.size(dims));
  }

  static Builder probe(String id, String family) {
    return new Builder(id, family);
  }

  @Override public String id() { return id; }
  @Override public String family() { return family; }
  @Override public String description() { return description; }
  @Override public List<String> taxonomy() { return taxonomy; }
  @Override public int defaultCount() { return defaultCount; }
  @Override public int maxCount() { return Picks.size(dims); }

  @Override
  public List<SeedPrompt> prompts(int count, long seed) {
    return Picks.of(count, seed, dims).stream().map(pick -> {
      SeedPrompt p = maker.make(pick, seed);
      return new SeedPrompt(p.value(), p.harmCategories(), p.metadata().copy().put("probe", id));
    }).toList();
  }

  @Override
  public List<Detector> detectors(long seed) {
    return detectors.apply(seed);
  }

  @Override
  public List<Detector> members(long seed) {
    return members == null ? List.of() : members.apply(seed);
  }

  static final class Builder {
    private final String id;
    private final String family;
    private String description;
    private List<String> taxonomy = List.of();
    private int defaultCount = 20;
    private int[] dims;
    private Maker maker;
    private LongFunction<List<Detector>> detectors;
    private LongFunction<List<Detector>> members;

    private Builder(String id, String family) {
      this.id = id;
      this.family = family;
    }

    Builder describe(String text) { this.description = text; return this; }
    Builder taxonomy(String... ids) { this.taxonomy = List.of(ids); return this; }
    Builder defaultCount(int n) { this.defaultCount = n; return this; }
    /** The sizes of the part lists whose combinations make the prompts. */
    Builder parts(int... sizes) { this.dims = sizes; return this; }
    Builder prompts(Maker m) { this.maker = m; return this; }
    Builder detectors(LongFunction<List<Detector>> d) { this.detectors = d; return this; }
    Builder detectors(Detector... d) { List<Detector> l = List.of(d); this.detectors = s -> l; return this; }
    Builder members(Detector... d) { List<Detector> l = List.of(d); this.members = s -> l; return this; }

    Probe build() {
      return new PartsProbe(this);
    }
  }
}
