package dev.gauntlet.imports;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** PyRIT 1.x memory: a SQLite file ({@code pyrit.db}) in one of the layouts {@link PyritLayout} knows. */
final class PyritSqliteImport implements ImportFormat {

  static final String ID = "pyrit-sqlite";
  private static final byte[] SQLITE_MAGIC = "SQLite format 3\u0000".getBytes(StandardCharsets.US_ASCII);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String tool() {
    return "PyRIT";
  }

  @Override
  public boolean recognizes(byte[] head, String fileName) {
    return head.length >= SQLITE_MAGIC.length && Arrays.equals(head, 0, SQLITE_MAGIC.length, SQLITE_MAGIC, 0, SQLITE_MAGIC.length);
  }

  @Override
  public void read(ImportSource source, Landing landing) throws Exception {
    throw ImportSource.refuse("file", "PyRIT 1.x import is not ready yet");
  }
}
