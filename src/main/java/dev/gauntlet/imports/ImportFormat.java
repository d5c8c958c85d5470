package dev.gauntlet.imports;

/**
 * One format Gauntlet imports (PyRIT 1.x memory, a garak report, a promptfoo eval): it
 * recognizes its files and streams their rows to a {@link Landing}. An importer never holds a
 * whole file in memory and never writes a memory itself; it names the table or line of anything
 * it refuses ({@link ImportSource#refuse}).
 */
public interface ImportFormat {

  /** The format's name in requests, {@code pyrit-sqlite}. */
  String id();

  /** The tool whose files these are, as shown on imported executions: {@code PyRIT}. */
  String tool();

  /**
   * Whether a file whose first bytes are {@code head} (up to 512, fewer for a short file) is of
   * this format, for a request that names none. Only a certain signature answers true.
   */
  boolean recognizes(byte[] head, String fileName);

  /** What the import's answer says of the file's layout (a PyRIT memory's Alembic revision), or null. */
  default io.vertx.core.json.JsonObject layout(java.nio.file.Path file) {
    return null;
  }

  /** Reads the file, handing every row to {@code landing} as it goes. */
  void read(ImportSource source, Landing landing) throws Exception;
}
