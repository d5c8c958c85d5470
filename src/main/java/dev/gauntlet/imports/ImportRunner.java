package dev.gauntlet.imports;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Runs one import, on a worker thread: picks the format, stages the file's rows batch by batch,
 * then commits them in one transaction (or rolls back, for a dry run). Anything the importer
 * refuses, or any failure of the memory, drops what was staged: a file lands whole or not at all.
 */
public final class ImportRunner {

  private ImportRunner() {}

  /**
   * Returns {@code {format, tool, file, dry_run, tables: {table: {read, added, present}}, rows_per_second}}.
   *
   * @param format a format id, or null to recognize it from the file
   * @param fileName the name the file was uploaded under (shown, never used as a path)
   */
  public static JsonObject run(Path file, String fileName, String format, String owner, boolean dryRun, LandingTarget target)
      throws Exception {
    ImportFormat f = ImportFormats.choose(format, file, fileName);
    ImportSource source = new ImportSource(file, fileName == null ? file.getFileName().toString() : fileName, f.id(), owner, Instant.now());
    String importId = dev.gauntlet.memory.ImportStore.newId();
    long start = System.nanoTime();
    target.begin(importId);
    Landing landing = new Landing(target, importId, source, f);
    JsonObject committed;
    long commitStart;
    try {
      f.read(source, landing);
      landing.finish();
      commitStart = System.nanoTime();
      committed = target.commit(importId, dryRun);
    } catch (Exception | Error e) {
      target.abort(importId);
      throw e;
    }
    double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    long rows = landing.counts().values().stream().mapToLong(Long::longValue).sum();
    return new JsonObject().put("format", f.id()).put("tool", f.tool()).put("file", source.fileName()).put("dry_run", dryRun)
        .put("tables", committed.getJsonObject("tables")).put("rows", rows).put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("commit_seconds", Math.round((System.nanoTime() - commitStart) / 1e6) / 1000.0)
        .put("rows_per_second", Math.round(rows / seconds))
        .put("layout", f.layout(file));
  }
}
