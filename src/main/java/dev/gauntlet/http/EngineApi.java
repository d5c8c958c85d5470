package dev.gauntlet.http;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.dataset.DatasetFormats;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOp;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.report.HtmlReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** REST for the engine: executions, try-outs, dataset building, uploads and exports. */
final class EngineApi {

  static final int UPLOAD_PREVIEW_ROWS = 20;

  private final Vertx vertx;
  private final ApiOperations ops;
  private final EngineOperations engine;
  private final MemoryClient memory;
  private final MemoryPaths paths;
  private final Path filesDir;

  EngineApi(Vertx vertx, ApiOperations ops, EngineOperations engine, MemoryClient memory, MemoryPaths paths, Path filesDir) {
    this.vertx = vertx;
    this.ops = ops;
    this.engine = engine;
    this.memory = memory;
    this.paths = paths;
    this.filesDir = filesDir;
  }

  void types(RoutingContext ctx, ConfigKind kind) {
    run(ctx, 200, kind.table() + ".types", new JsonObject());
  }

  void startExecution(RoutingContext ctx) {
    JsonObject body = Http.bodyOrEmpty(ctx);
    run(ctx, 202, "executions.start", new JsonObject().put("orchestrator_id", ctx.pathParam("id")).put("labels", body.getValue("labels")));
  }

  void listExecutions(RoutingContext ctx) {
    run(ctx, 200, "executions.list", Http.page(ctx, 50).put("orchestrator_id", ctx.pathParam("id")));
  }

  void execution(RoutingContext ctx) {
    run(ctx, 200, "executions.get", new JsonObject().put("id", ctx.pathParam("id")));
  }

  void cancelExecution(RoutingContext ctx) {
    run(ctx, 200, "executions.cancel", new JsonObject().put("id", ctx.pathParam("id")));
  }

  void resumeExecution(RoutingContext ctx) {
    run(ctx, 202, "executions.resume", new JsonObject().put("id", ctx.pathParam("id")));
  }

  void results(RoutingContext ctx) {
    run(ctx, 200, "executions.results", Http.page(ctx, 50).put("id", ctx.pathParam("id")));
  }

  /** {@code POST /<kind>/{id}/<action>}: the body's fields plus the path id. */
  void action(RoutingContext ctx, String op) {
    run(ctx, op.endsWith(".apply") || op.startsWith("datasets.") ? 201 : 200, op, Http.body(ctx).put("id", ctx.pathParam("id")));
  }

  /** {@code POST /datasets/<action>} with a JSON body. */
  void datasetAction(RoutingContext ctx, String op) {
    run(ctx, 201, op, Http.body(ctx));
  }

  void builtinDatasets(RoutingContext ctx) {
    run(ctx, 200, "datasets.builtin", new JsonObject());
  }

  void importBuiltin(RoutingContext ctx) {
    JsonObject body = Http.bodyOrEmpty(ctx);
    run(ctx, 201, "datasets.import_builtin", body.put("builtin_id", ctx.pathParam("builtin")));
  }

  /**
   * Multipart upload: {@code file}, {@code name}, optional {@code format}, {@code value_field},
   * {@code harm_categories_field}, and {@code preview=true} to see the first rows without storing.
   */
  void upload(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    List<FileUpload> files = ctx.fileUploads();
    if (files.size() != 1 || !"file".equals(files.get(0).name())) {
      throw Problem.badRequest("invalid_upload", "send exactly one multipart file field named 'file'");
    }
    FileUpload file = files.get(0);
    var form = ctx.request().formAttributes();
    boolean preview = "true".equalsIgnoreCase(form.get("preview"));
    String name = form.get("name");
    if (!preview && (name == null || name.isBlank())) {
      throw Problem.badRequest("invalid_field", "'name' is required");
    }
    if (!preview && !caller.can(Caller.WRITE)) {
      throw Problem.forbidden("this credential lacks the 'write' scope");
    }
    // the uploaded name is metadata only: it picks the format, never a path
    String formatName = form.get("format");
    DatasetFormats.Format format = formatName != null && !formatName.isBlank()
        ? DatasetFormats.Format.fromFileName("upload." + formatName) : DatasetFormats.Format.fromFileName(file.fileName());
    DatasetFormats.FieldMapping mapping = new DatasetFormats.FieldMapping(blankToNull(form.get("value_field")),
        blankToNull(form.get("harm_categories_field")));
    Future<DatasetFormats.Parsed> parsed = vertx.fileSystem().readFile(file.uploadedFileName())
        .compose(bytes -> vertx.executeBlocking(() -> DatasetFormats.read(bytes.getBytes(), format, mapping), false));
    Future<JsonObject> result = parsed.compose(read -> {
      List<SeedPrompt> prompts = read.prompts();
      if (preview) {
        JsonArray rows = new JsonArray();
        prompts.stream().limit(UPLOAD_PREVIEW_ROWS).forEach(p -> rows.add(p.toJson()));
        return Future.succeededFuture(new JsonObject().put("format", format.name().toLowerCase()).put("count", prompts.size())
            .put("rows", rows).put("fields", new JsonArray(read.fields())).put("value_field", read.valueField())
            .put("harm_categories_field", read.categoryField()).put("skipped_blank", read.skippedBlank()));
      }
      return engine.createDataset(caller.owner(), name, "uploaded " + format.name().toLowerCase() + " file", prompts)
          .map(d -> d.put("format", format.name().toLowerCase()));
    });
    Http.reply(ctx, preview ? 200 : 201, result);
  }

  /** Results as a file: {@code format=csv|jsonl|parquet|html}, filtered by execution, conversation, label or days. */
  void export(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    if (!caller.can(Caller.READ)) {
      throw Problem.forbidden("this credential lacks the 'read' scope");
    }
    String format = ctx.request().getParam("format", "csv");
    JsonObject filter = new JsonObject();
    String execution = ctx.pathParam("id") != null ? ctx.pathParam("id") : ctx.request().getParam("execution_id");
    for (String key : List.of("conversation_id", "role", "label_key", "label_value")) {
      if (ctx.request().getParam(key) != null) {
        filter.put(key, ctx.request().getParam(key));
      }
    }
    if (execution != null) {
      filter.put("execution_id", execution);
    }
    if (ctx.request().getParam("days") != null) {
      filter.put("days", Http.intParam(ctx, "days", 30, 1, 3650));
    }
    Future<Void> exists = ctx.pathParam("id") == null ? Future.succeededFuture()
        : memory.call(caller.owner(), MemoryOp.EXECUTION_GET, new JsonObject().put("id", execution)).mapEmpty();
    Path file = filesDir.resolve(paths.userHash(caller.username())).resolve("exports").resolve(UUID.randomUUID() + "." + format);
    // the id comes from the caller: it may carry quotes or line breaks, which must not reach a header
    String download = "gauntlet-" + (execution != null ? "execution-" + fileNameSafe(execution) : "memory") + "." + format;
    exists.compose(v -> memory.call(caller.owner(), MemoryOp.EXPORT,
            new JsonObject().put("format", format).put("filter", filter).put("path", file.toString())))
        .onFailure(ctx::fail)
        .onSuccess(done -> {
          Object rows = done.getValue("rows");
          var response = ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + download + "\"")
              .putHeader("X-Gauntlet-Rows", String.valueOf(rows instanceof JsonArray a ? a.size() : rows));
          if (format.equals("html")) {
            response.putHeader("Content-Type", "text/html; charset=utf-8")
                .end(HtmlReport.render("Gauntlet results" + (execution != null ? " — execution " + execution : ""),
                    done.getJsonArray("rows"), done.getInteger("limited_to")));
            return;
          }
          response.putHeader("Content-Type", switch (format) {
            case "csv" -> "text/csv; charset=utf-8";
            case "jsonl" -> "application/x-ndjson";
            default -> "application/vnd.apache.parquet";
          });
          response.sendFile(file.toString()).onComplete(sent -> vertx.fileSystem().delete(file.toString()));
        });
  }

  /**
   * The caller's own memory as a download: a consistent copy made by the user's shard after a
   * checkpoint, between two of the user's operations, under the memory's own file name.
   */
  void memoryBackup(RoutingContext ctx) {
    Caller caller = Guard.caller(ctx);
    if (!caller.can(Caller.READ)) {
      throw Problem.forbidden("this credential lacks the 'read' scope");
    }
    Path copy = filesDir.resolve(paths.userHash(caller.username())).resolve("backups").resolve(UUID.randomUUID() + ".db");
    memory.call(caller.owner(), MemoryOp.BACKUP, new JsonObject().put("target", copy.toAbsolutePath().toString()))
        .onFailure(ctx::fail)
        .onSuccess(done -> ctx.response().putHeader("Content-Type", "application/octet-stream")
            .putHeader("Content-Disposition", "attachment; filename=\"" + caller.memoryFile() + "\"")
            .sendFile(copy.toString()).onComplete(sent -> vertx.fileSystem().delete(copy.toString())));
  }

  private void run(RoutingContext ctx, int status, String op, JsonObject args) {
    Http.reply(ctx, status, ops.run(op, Guard.caller(ctx), args));
  }

  private static String fileNameSafe(String s) {
    String safe = s.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.length() > 100 ? safe.substring(0, 100) : safe;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
