package dev.gauntlet.http;

import dev.gauntlet.Problem;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Uploads in flight. Vert.x's body handler waits forever for a multipart part whose closing
 * boundary never comes, keeping the request open and its temporary file on disk; here such a
 * request is refused once its body has ended, and every temporary file is removed however the
 * request ends (answered, refused or abandoned by the client).
 */
final class Uploads {

  private static final long CHECK_MS = 250;
  /** How long after the last byte a multipart body may still be incomplete before it is refused. */
  private static final long GRACE_MS = 1000;

  private Uploads() {}

  private static final String WATCH = "gauntlet.upload.watch";

  /** The multipart field holding the file, and the form fields read beside it (the OpenAPI document lists them). */
  static final String FILE_FIELD = "file";
  static final java.util.List<String> FORM_FIELDS = java.util.List.of("name", "format", "value_field", "harm_categories_field", "preview");

  /** Goes before the body handler of an upload route. */
  static void guard(RoutingContext ctx) {
    Vertx vertx = ctx.vertx();
    ctx.addEndHandler(done -> ctx.fileUploads().forEach(f -> vertx.fileSystem().delete(f.uploadedFileName()).onFailure(gone -> { })));
    long[] endedFor = {0};
    long watch = vertx.setPeriodic(CHECK_MS, timer -> {
      if (ctx.response().ended() || ctx.response().closed()) {
        vertx.cancelTimer(timer);
      } else if (ctx.request().isEnded() && (endedFor[0] += CHECK_MS) >= GRACE_MS) {
        vertx.cancelTimer(timer);
        ctx.fail(Problem.badRequest("invalid_upload", "the multipart body ended before its closing boundary"));
      }
    });
    ctx.put(WATCH, watch);
    ctx.next();
  }

  /** Goes right after the body handler: the body is complete, so the watch ends. */
  static void received(RoutingContext ctx) {
    Long watch = ctx.get(WATCH);
    if (watch != null) {
      ctx.vertx().cancelTimer(watch);
    }
    ctx.next();
  }

  /**
   * The arguments of {@code datasets.upload} from a multipart request: exactly one file field
   * named {@code file}, read off the event loop, and the form's fields.
   */
  static io.vertx.core.Future<io.vertx.core.json.JsonObject> arguments(RoutingContext ctx) {
    java.util.List<io.vertx.ext.web.FileUpload> files = ctx.fileUploads();
    if (files.size() != 1 || !FILE_FIELD.equals(files.get(0).name())) {
      throw Problem.badRequest("invalid_upload", "send exactly one multipart file field named 'file'");
    }
    io.vertx.ext.web.FileUpload file = files.get(0);
    var form = ctx.request().formAttributes();
    io.vertx.core.json.JsonObject args = new io.vertx.core.json.JsonObject().put("file_name", file.fileName())
        .put("preview", "true".equalsIgnoreCase(form.get("preview")));
    for (String field : FORM_FIELDS) {
      if (form.get(field) != null && !field.equals("preview")) {
        args.put(field, form.get(field));
      }
    }
    return ctx.vertx().fileSystem().readFile(file.uploadedFileName()).map(bytes -> args.put("content", bytes.getBytes()));
  }

  /** The form fields of an import beside its file (the OpenAPI document lists them). */
  static final java.util.List<String> IMPORT_FIELDS = java.util.List.of("format", "dry_run", "user");
  /** An import's file streams to disk, never into memory, so it may be far larger than a JSON body. */
  static final long IMPORT_BYTES = 4L * 1024 * 1024 * 1024;

  /**
   * The arguments of {@code imports.create}: the uploaded file stays where the body handler
   * streamed it and is handed over by token ({@link dev.gauntlet.imports.UploadedFiles}), so
   * neither a whole file in memory nor a path a caller could choose.
   */
  static io.vertx.core.Future<io.vertx.core.json.JsonObject> importArguments(RoutingContext ctx) {
    java.util.List<io.vertx.ext.web.FileUpload> files = ctx.fileUploads();
    if (files.size() != 1 || !FILE_FIELD.equals(files.get(0).name())) {
      throw Problem.badRequest("invalid_upload", "send exactly one multipart file field named 'file'");
    }
    io.vertx.ext.web.FileUpload file = files.get(0);
    var form = ctx.request().formAttributes();
    String token = dev.gauntlet.imports.UploadedFiles.offer(Path.of(file.uploadedFileName()), file.fileName());
    ctx.addEndHandler(done -> dev.gauntlet.imports.UploadedFiles.forget(token));
    io.vertx.core.json.JsonObject args = new io.vertx.core.json.JsonObject().put("upload", token)
        .put("dry_run", "true".equalsIgnoreCase(form.get("dry_run")));
    for (String field : IMPORT_FIELDS) {
      if (form.get(field) != null && !form.get(field).isEmpty() && !field.equals("dry_run")) {
        args.put(field, form.get(field));
      }
    }
    return io.vertx.core.Future.succeededFuture(args);
  }

  /** Removes what a crash or kill left in the uploads directory; called before the server listens. */
  static void sweep(Path uploads) {
    if (!Files.isDirectory(uploads)) {
      return;
    }
    try (Stream<Path> left = Files.list(uploads)) {
      for (Path p : left.filter(Files::isRegularFile).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot clear the uploads directory " + uploads + ": " + e.getMessage(), e);
    }
  }
}
