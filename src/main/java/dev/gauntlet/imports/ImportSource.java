package dev.gauntlet.imports;

import dev.gauntlet.Problem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * The file being imported and what an importer may know of its import: the file on disk, the
 * name it was uploaded under (metadata only, never a path), the owner and the time.
 */
public record ImportSource(Path file, String fileName, String format, String owner, Instant importedAt) {

  /**
   * A stable id for something of the file that has none of its own (an execution per file, a
   * dataset): the same parts give the same UUID on every import, so a second import adds nothing.
   */
  public String uuid(String... parts) {
    return UUID.nameUUIDFromBytes((format + "\u0000" + String.join("\u0000", parts)).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** A refusal naming where in the file: {@code where} is a table ("table ScoreEntries") or a line ("line 12"). */
  public static Problem refuse(String where, String why) {
    return Problem.badRequest("invalid_import", where + ": " + why);
  }
}
