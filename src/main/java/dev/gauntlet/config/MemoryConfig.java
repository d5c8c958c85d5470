package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * Per-user DuckDB memory. {@code salt} empty means "generate one at first start and keep it in
 * the app database"; {@code maxOpen} caps open connections across all shards.
 */
public record MemoryConfig(Path dir, String salt, int shards, int maxOpen, long idleCloseSeconds,
                           String duckdbMemoryLimit, int duckdbThreads) {

  static MemoryConfig from(JsonObject json, Path dataDir) {
    String dir = json.getString("dir", "");
    int shards = json.getInteger("shards", 2);
    if (shards < 1) {
      throw new IllegalArgumentException("memory.shards must be at least 1, got " + shards);
    }
    int maxOpen = json.getInteger("maxOpen", 64);
    if (maxOpen < 1) {
      throw new IllegalArgumentException("memory.maxOpen must be at least 1, got " + maxOpen);
    }
    return new MemoryConfig(dir.isBlank() ? dataDir.resolve("memory") : Path.of(dir).toAbsolutePath().normalize(),
        json.getString("salt", ""), shards, maxOpen,
        json.getLong("idleCloseSeconds", 600L), json.getString("duckdbMemoryLimit", "256MB"),
        json.getInteger("duckdbThreads", 2));
  }

  /** Connections a single shard may keep open: the global cap shared out, at least one. */
  public int maxOpenPerShard() {
    return Math.max(1, (maxOpen + shards - 1) / shards);
  }
}
