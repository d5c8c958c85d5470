package dev.gauntlet.memory;

/**
 * The JSON keys of the memory protocol, named once: {@link MemoryClient} writes them and
 * {@link MemoryVerticle} reads them, so the two sides cannot drift apart.
 */
final class MemoryKeys {

  static final String KIND = "kind";
  static final String ID = "id";
  /** An execution's lease token, carried by its runner's reads and commits (see {@link ExecutionFences}). */
  static final String FENCE = "fence";
  static final String OFFSET = "offset";
  static final String LIMIT = "limit";
  static final String VALUE = "value";
  static final String COUNTS = "counts";
  static final String ORCHESTRATOR = "orchestrator";
  static final String ORCHESTRATOR_ID = "orchestrator_id";
  static final String LABELS = "labels";
  static final String REFERENCES = "references";
  static final String CONFIGS = "configs";
  static final String PROMPTS = "prompts";
  static final String RESULTS = "results";
  static final String EXECUTION_ID = "execution_id";
  static final String A = "a";
  static final String B = "b";
  static final String FILTER = "filter";
  static final String FORMAT = "format";
  static final String PATH = "path";
  static final String TARGET = "target";
  static final String FILE = "file";
  static final String DRY_RUN = "dry_run";
  static final String NAME = "name";
  static final String REQUEST = "request";
  static final String PLAN = "plan";
  static final String ERROR = "error";
  static final String IDS = "ids";
  static final String NAMES = "names";
  static final String NAMING = "naming";
  static final String DUPLICATE_OF = "duplicate_of";
  static final String FORCE = "force";

  private MemoryKeys() {}
  static final String IMPORT_ID = "import_id";
  static final String ROWS = "rows";
}
