package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.files.UserFiles;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.report.HtmlReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;

import static dev.gauntlet.operations.Args.id;
import static dev.gauntlet.operations.Args.page;

/** A user's own memory: pieces in, conversations out, its status, exports and a backup copy. */
final class Memories {

  static final List<String> EXPORT_FORMATS = List.of("csv", "jsonl", "parquet", "html", "pyrit-sqlite");

  private final MemoryClient memory;
  private final UserFiles files;

  Memories(MemoryClient memory, UserFiles files) {
    this.memory = memory;
    this.files = files;
  }

  Future<JsonObject> append(Caller c, JsonObject a) {
    return memory.pieces(c.owner()).append(a);
  }

  Future<JsonObject> conversations(Caller c, JsonObject a) {
    JsonObject page = page(a, 50);
    return memory.conversations(c.owner()).list(page.getInteger("offset"), page.getInteger("limit"));
  }

  Future<JsonObject> conversation(Caller c, JsonObject a) {
    return memory.conversations(c.owner()).get(id(a));
  }

  Future<JsonObject> status(Caller c, JsonObject a) {
    return memory.file(c.owner()).status();
  }

  /** A new file in the caller's own export folder; the name is generated, never the caller's. */
  Path exportFile(Caller c, String format) {
    return files.exportFile(c.username(), format);
  }

  /** One execution's results as a file. */
  Future<JsonObject> exportExecution(Caller c, JsonObject a) {
    String execution = id(a);
    return memory.executions(c.owner()).get(execution)
        .compose(v -> export(c, a, execution));
  }

  /** Results as a file: {@code format=csv|jsonl|parquet|html}, filtered by execution, conversation, role, label or days. */
  Future<JsonObject> exportMemory(Caller c, JsonObject a) {
    return export(c, a, Args.optional(a, "execution_id"));
  }

  private Future<JsonObject> export(Caller c, JsonObject a, String execution) {
    String format = a.getString("format", "csv");
    if (!EXPORT_FORMATS.contains(format)) {
      throw Problem.badRequest("invalid_parameter", "'format' must be one of " + String.join(", ", EXPORT_FORMATS));
    }
    JsonObject filter = new JsonObject();
    for (String key : List.of("conversation_id", "role", "label_key", "label_value")) {
      String v = Args.optional(a, key);
      if (v != null) {
        filter.put(key, v);
      }
    }
    if (execution != null) {
      filter.put("execution_id", execution);
    }
    if (a.getValue("days") != null) {
      filter.put("days", Args.bounded(a, "days", 30, 1, 3650));
    }
    Path file = exportFile(c, format.equals("pyrit-sqlite") ? "db" : format);
    // the id comes from the caller: it may carry quotes or line breaks, which must not reach a header
    String download = "gauntlet-" + (execution != null ? "execution-" + fileNameSafe(execution) : "memory") + "."
        + (format.equals("pyrit-sqlite") ? "pyrit.db" : format);
    return memory.file(c.owner()).export(filter, format, file).map(done -> {
          Object rows = done.getValue("rows");
          JsonObject out = new JsonObject().put("filename", download).put("content_type", contentType(format))
              .put("rows", rows instanceof JsonArray r ? r.size() : rows);
          if (format.equals("html")) {
            return out.put("content", HtmlReport.render("Gauntlet results" + (execution != null ? " — execution " + execution : ""),
                done.getJsonArray("rows"), done.getInteger("limited_to")));
          }
          return out.put("file", file.toString());
        });
  }

  /**
   * The caller's own memory as a download: a consistent copy made by the user's shard after a
   * checkpoint, between two of the user's operations, under the memory's own file name.
   */
  Future<JsonObject> backup(Caller c, JsonObject a) {
    Path copy = files.backupFile(c.username());
    return memory.file(c.owner()).backup(copy)
        .map(done -> new JsonObject().put("file", copy.toString()).put("filename", c.memoryFile())
            .put("content_type", "application/octet-stream"));
  }

  static String contentType(String format) {
    return switch (format) {
      case "csv" -> "text/csv; charset=utf-8";
      case "jsonl" -> "application/x-ndjson";
      case "html" -> "text/html; charset=utf-8";
      case "pyrit-sqlite" -> "application/vnd.sqlite3";
      default -> "application/vnd.apache.parquet";
    };
  }

  private static String fileNameSafe(String s) {
    String safe = s.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.length() > 100 ? safe.substring(0, 100) : safe;
  }
}
