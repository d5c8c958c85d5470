package dev.gauntlet.operations;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What an operation answers: JSON of a declared shape (a JSON Schema), or a file to download.
 * A file operation's handler answers {@code {"file": path, "content_type", "filename", "rows"}}
 * (or {@code "content"} instead of a path); the REST adapter sends it and removes the file.
 */
public record Output(Kind kind, JsonObject schema, List<String> contentTypes) {

  public enum Kind { JSON, FILE }

  public static Output json(JsonObject schema) {
    return new Output(Kind.JSON, schema, List.of("application/json"));
  }

  public static Output file(String... contentTypes) {
    return new Output(Kind.FILE, new JsonObject().put("type", "string").put("format", "binary"), List.of(contentTypes));
  }
}
