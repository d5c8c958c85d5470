package dev.gauntlet.imports;

import dev.gauntlet.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The formats Gauntlet imports, one a line: a new format is a class and a line here. */
public final class ImportFormats {

  public static final List<ImportFormat> ALL = List.of(
      new dev.gauntlet.imports.garak.GarakImport(),
      new dev.gauntlet.imports.promptfoo.PromptfooJsonImport(),
      new dev.gauntlet.imports.promptfoo.PromptfooSqliteImport(),
      new PyritSqliteImport());

  private ImportFormats() {}

  public static List<String> ids() {
    return ALL.stream().map(ImportFormat::id).toList();
  }

  public static Optional<ImportFormat> byId(String id) {
    return ALL.stream().filter(f -> f.id().equals(id)).findFirst();
  }

  /** The format named, or the one whose signature the file's first bytes carry; else a 400 listing the formats. */
  public static ImportFormat choose(String id, Path file, String fileName) throws IOException {
    if (id != null && !id.isBlank()) {
      return byId(id).orElseThrow(() -> Problem.badRequest("unknown_format", "no import format '" + id + "'; formats: "
          + String.join(", ", ids())));
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(512);
    }
    for (ImportFormat f : ALL) {
      if (f.recognizes(head, fileName == null ? "" : fileName)) {
        return f;
      }
    }
    throw Problem.badRequest("unknown_format", "the file's format is not recognized; name it with 'format': " + String.join(", ", ids()));
  }
}
