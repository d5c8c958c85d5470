package dev.gauntlet.operations;

import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One thing a user can do with Gauntlet, declared once: its name, a one-line summary, its input
 * parameters (the catalogs' {@link Param}), the shape of what it answers, the scope a credential
 * needs, and the action written to the audit log. REST, the event-bus bridge, the pages, the
 * OpenAPI document and the MCP server are adapters over these; none holds domain logic.
 */
public record Operation(String name, String summary, String scope, String auditAction, ParamSchema input, Output output,
                        Handler handler) {

  /** An operation anyone may call, before any credential is checked (signing in). */
  public static final String PUBLIC = "public";

  /** What an operation does for a caller with already-gathered arguments. */
  @FunctionalInterface
  public interface Handler {
    Future<JsonObject> run(Caller caller, JsonObject args);
  }

  /** True for an operation that changes something (it needs more than the read scope and is audited). */
  public boolean writes() {
    return auditAction != null;
  }

  public boolean isPublic() {
    return PUBLIC.equals(scope);
  }

  /**
   * True for an operation every surface can serve: its answer is JSON (not a file download),
   * and it needs a signed-in caller. File downloads and sign-in are REST's alone.
   */
  public boolean servedEverywhere() {
    return output.kind() == Output.Kind.JSON && !isPublic();
  }

  /** Starts the declaration of an operation that reads. */
  public static Builder read(String name, String summary) {
    return new Builder(name, summary, Caller.READ, null);
  }

  /** Starts the declaration of an operation that changes the caller's memory or account; audited under its name. */
  public static Builder write(String name, String summary) {
    return new Builder(name, summary, Caller.WRITE, name);
  }

  /** Starts the declaration of an operation only admins may call; audited under its name. */
  public static Builder admin(String name, String summary) {
    return new Builder(name, summary, Caller.ADMIN, name);
  }

  /** Starts the declaration of an operation anyone may call. */
  public static Builder open(String name, String summary) {
    return new Builder(name, summary, PUBLIC, name);
  }

  /** Fluent declaration: {@code Operation.read("x.list", "...").params(...).returns(...).handler(...)}. */
  public static final class Builder {
    private final String name;
    private final String summary;
    private final String scope;
    private String audit;
    private ParamSchema input = ParamSchema.of();
    private Output output = Output.json(Shapes.object());

    private Builder(String name, String summary, String scope, String audit) {
      this.name = name;
      this.summary = summary;
      this.scope = scope;
      this.audit = audit;
    }

    /** Audited under its name although it only needs the read scope (an upload's preview reads, its import writes). */
    public Builder audited() {
      this.audit = name;
      return this;
    }

    public Builder params(Param... params) {
      this.input = ParamSchema.of(params);
      return this;
    }

    public Builder returns(JsonObject schema) {
      this.output = Output.json(schema);
      return this;
    }

    public Builder returnsFile(String... contentTypes) {
      this.output = Output.file(contentTypes);
      return this;
    }

    public Operation handler(Handler handler) {
      return new Operation(name, summary, scope, audit, input, output, handler);
    }
  }
}
