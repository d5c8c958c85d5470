package dev.gauntlet.imports;

import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An execution another tool ran, as it lands in the user's memory: kind {@code imported}, no
 * snapshot, no frozen prompts, its source (tool, version, file name, import time) kept. Its
 * pieces carry its id in {@code prompt_metadata.execution_id}, as Gauntlet's own do, and each
 * conversation is one result ({@link Landing#result}).
 *
 * @param id a stable id ({@link ImportSource#uuid}), so a re-import adds nothing
 * @param name what lists show, e.g. the tool's attack or probe
 * @param type the tool's own name for what ran (an attack class, a probe), shown as the orchestrator type
 */
public record ImportedExecution(String id, String name, String type, String toolVersion, JsonObject labels, int total,
                                LocalDateTime startedAt, LocalDateTime finishedAt, java.util.List<String> harmCategories) {

  public static final String KIND = "imported";

  public ImportedExecution(String id, String name, String type, String toolVersion, JsonObject labels, int total,
                           LocalDateTime startedAt, LocalDateTime finishedAt) {
    this(id, name, type, toolVersion, labels, total, startedAt, finishedAt, java.util.List.of());
  }

  /**
   * Gauntlet's attack id (the standards table's) for another tool's attack or orchestrator class,
   * e.g. PyRIT's {@code RedTeamingAttack} or {@code CrescendoOrchestrator}; null when none matches.
   */
  public static String attackOf(String className) {
    if (className == null) {
      return null;
    }
    String k = className.replaceAll("(Attack|Orchestrator)$", "").toLowerCase(java.util.Locale.ROOT);
    return switch (k) {
      case "promptsending", "singleturn" -> "prompt_sending";
      case "manyshotjailbreak", "manyshot" -> "many_shot";
      case "skeletonkey" -> "skeleton_key";
      case "redteaming" -> "red_teaming";
      case "crescendo" -> "crescendo";
      case "treeofattackswithpruning", "tap" -> "tap";
      case "pair" -> "pair";
      case "flip" -> "flip";
      case "contextcompliance" -> "context_compliance";
      case "roleplay" -> "role_play";
      case "multipromptsending" -> "multi_prompt";
      default -> null;
    };
  }

  JsonObject toRow(String tool, ImportSource source) {
    LocalDateTime imported = LocalDateTime.ofInstant(source.importedAt(), ZoneOffset.UTC);
    LocalDateTime started = startedAt == null ? imported : startedAt;
    // the type is Gauntlet's attack id where one matches, so the standards table and compare read it as theirs
    String attack = attackOf(type);
    JsonObject orchestrator = new JsonObject().put("id", "").put("name", name).put("type", attack != null ? attack : type == null ? KIND : type)
        .put("source_type", type).put("kind", KIND).put("tool", tool)
        .put("harm_categories", new io.vertx.core.json.JsonArray(harmCategories == null ? java.util.List.of() : harmCategories));
    return new JsonObject().put("id", id).put("orchestrator_id", "").put("orchestrator", orchestrator).put("status", "completed")
        .put("total", total).put("labels", labels == null || labels.isEmpty() ? null : labels).put("created_at", started.toString())
        .put("started_at", started.toString()).put("finished_at", (finishedAt == null ? started : finishedAt).toString())
        .put("updated_at", imported.toString())
        .put("kind", KIND).put("source_tool", tool).put("source_version", toolVersion).put("source_file", source.fileName())
        .put("imported_at", imported.toString());
  }
}
