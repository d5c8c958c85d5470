package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.imports.ImportRunner;
import dev.gauntlet.imports.LandingTarget;
import dev.gauntlet.imports.UploadedFiles;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code imports.create}: another tool's file (PyRIT 1.x memory, …) into the caller's memory, or
 * an admin's into a named user's. The import runs on a worker and lands through the owner's
 * shard (see {@link ImportRunner}); its counts per table are the answer and go to the audit log.
 */
final class ImportOps {

  /** The argument the upload route sets (never declared, so no surface offers it): a token for the uploaded file. */
  static final String UPLOAD = "upload";

  private final Vertx vertx;
  private final MemoryClient memory;
  private final Users users;
  private final AuditLog audit;

  ImportOps(Vertx vertx, MemoryClient memory, Users users, AuditLog audit) {
    this.vertx = vertx;
    this.memory = memory;
    this.users = users;
    this.audit = audit;
  }

  Future<JsonObject> create(Caller c, JsonObject a) {
    UploadedFiles.Upload upload = a.getValue(UPLOAD) instanceof String t ? UploadedFiles.take(t) : null;
    if (upload == null) {
      throw Problem.badRequest("file_required", "an import takes its file as a multipart upload: POST /api/v1/imports with a field 'file'");
    }
    String format = a.getString("format");
    boolean dryRun = Boolean.TRUE.equals(a.getValue("dry_run")) || "true".equals(a.getValue("dry_run"));
    String user = a.getString("user");
    Future<MemoryOwner> owner;
    if (user == null || user.isEmpty() || user.equals(c.username())) {
      owner = Future.succeededFuture(c.owner());
    } else if (!c.isAdmin()) {
      return Future.failedFuture(Problem.forbidden("only an admin may import into another user's memory"));
    } else {
      owner = users.byUsername(user).map(u -> u.map(r -> new MemoryOwner(r.username(), r.memoryFile()))
          .orElseThrow(() -> Problem.badRequest("unknown_user", "unknown user '" + user + "': 'user' must name a registered user")));
    }
    return owner.compose(o -> vertx.executeBlocking(() -> ImportRunner.run(upload.file(), upload.fileName(), format, o.username(), dryRun,
            LandingTarget.shard(memory.imports(o))), false)
        .map(report -> report.put("user", o.username()))
        .andThen(done -> record(c, o, upload.fileName(), format, dryRun, done.succeeded() ? done.result() : null, done.cause())));
  }

  private void record(Caller c, MemoryOwner owner, String fileName, String format, boolean dryRun, JsonObject report, Throwable failure) {
    if (audit == null) {
      return;
    }
    Problem p = failure == null ? null : Problem.from(failure);
    int status = p == null ? (dryRun ? 200 : 201) : p.status();
    String detail = p == null ? new JsonObject().put("format", report.getString("format")).put("dry_run", dryRun)
        .put("tables", report.getJsonObject("tables")).encode() : p.getMessage();
    audit.record(new AuditLog.Entry(c.username(), "IMPORT " + (p == null ? report.getString("format") : format == null ? "auto" : format),
        "memory/" + owner.username() + "/imports/" + fileName, AuditLog.outcomeOf(status), status, null, null, detail));
  }
}
