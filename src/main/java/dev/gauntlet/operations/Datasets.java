package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.dataset.BuiltinDatasets;
import dev.gauntlet.dataset.AttackSets;
import dev.gauntlet.dataset.DatasetFormats;
import dev.gauntlet.dataset.DatasetOps;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.ConfigNaming;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.gauntlet.operations.Args.id;
import static dev.gauntlet.operations.Args.string;
import static dev.gauntlet.operations.Args.strings;

/** Building datasets: from built-in sets, uploaded files, other datasets, templates and memory. */
final class Datasets {

  static final int UPLOAD_PREVIEW_ROWS = 20;

  private final Vertx vertx;
  private final MemoryClient memory;
  private final Configurations configurations;

  Datasets(Vertx vertx, MemoryClient memory, Configurations configurations) {
    this.vertx = vertx;
    this.memory = memory;
    this.configurations = configurations;
  }

  Future<JsonObject> create(MemoryOwner owner, String name, String description, List<SeedPrompt> prompts) {
    return create(owner, name, description, prompts, ConfigNaming.STRICT);
  }

  /** A new dataset; {@code naming}: a 409 for a taken name the caller typed, the next free one for a name Gauntlet chose. */
  Future<JsonObject> create(MemoryOwner owner, String name, String description, List<SeedPrompt> prompts, ConfigNaming naming) {
    JsonArray values = new JsonArray();
    prompts.forEach(p -> values.add(p.toJson()));
    return configurations.create(owner, ConfigKind.DATASETS,
        new JsonObject().put("name", name).put("description", description).put("prompts", values), naming)
        .map(d -> {
          d.remove("prompts");
          return d;
        });
  }

  Future<JsonObject> builtin(Caller c, JsonObject a) {
    return Future.succeededFuture(new JsonObject().put("items",
        new JsonArray(BuiltinDatasets.all().stream().map(b -> b.toJson()).toList())));
  }

  Future<JsonObject> importBuiltin(Caller c, JsonObject a) {
    String builtin = string(a, "builtin_id");
    List<SeedPrompt> prompts = BuiltinDatasets.load(builtin);
    String name = a.getString("name", BuiltinDatasets.all().stream().filter(b -> b.id().equals(builtin)).findFirst()
        .map(BuiltinDatasets.Builtin::name).orElse(builtin));
    return create(c.owner(), name, "built-in set " + builtin, prompts, a.getString("name") == null ? ConfigNaming.NEXT_FREE : ConfigNaming.STRICT);
  }

  /**
   * A file's prompts ({@code content}: its bytes, or its text), with an optional field mapping;
   * {@code preview=true} answers the first rows without storing anything.
   */
  Future<JsonObject> upload(Caller c, JsonObject a) {
    boolean preview = Boolean.TRUE.equals(a.getValue("preview")) || "true".equals(a.getValue("preview"));
    String name = Args.optional(a, "name");
    if (!preview && (name == null || name.isBlank())) {
      throw Problem.badRequest("invalid_field", "'name' is required");
    }
    if (!preview && !c.can(Caller.WRITE)) {
      throw Problem.forbidden("this credential lacks the 'write' scope");
    }
    // raw: getValue would hand bytes over as base64 text
    Object content = a.getMap().get("content");
    byte[] bytes = content instanceof byte[] b ? b : content instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
    if (bytes == null) {
      throw Problem.badRequest("invalid_field", "'content' is required: the file's text");
    }
    // the uploaded name is metadata only: it picks the format, never a path
    String formatName = Args.optional(a, "format");
    String fileName = Args.optional(a, "file_name");
    AttackSets.Source source = AttackSets.Source.fromName(Args.optional(a, "source"));
    DatasetFormats.Format format = formatName != null && !formatName.isBlank()
        ? DatasetFormats.Format.fromFileName("upload." + formatName)
        : (fileName == null || fileName.isBlank()) && source.defaultFormat() != null ? source.defaultFormat()
        : DatasetFormats.Format.fromFileName(fileName == null ? "" : fileName);
    DatasetFormats.FieldMapping mapping = new DatasetFormats.FieldMapping(Args.optional(a, "value_field"),
        Args.optional(a, "harm_categories_field"));
    return vertx.executeBlocking(() -> DatasetFormats.read(bytes, format, mapping, source), false).compose(read -> {
      List<SeedPrompt> prompts = read.prompts();
      if (preview) {
        JsonArray rows = new JsonArray();
        prompts.stream().limit(UPLOAD_PREVIEW_ROWS).forEach(p -> rows.add(p.toJson()));
        return Future.succeededFuture(new JsonObject().put("format", format.name().toLowerCase()).put("source", source.id()).put("count", prompts.size())
            .put("rows", rows).put("fields", new JsonArray(read.fields())).put("value_field", read.valueField())
            .put("harm_categories_field", read.categoryField()).put("skipped_blank", read.skippedBlank()));
      }
      String described = source == AttackSets.Source.AUTO ? "uploaded " + format.name().toLowerCase() + " file"
          : "imported " + (read.name() != null ? read.name() : source.id()) + " (" + format.name().toLowerCase() + ")";
      return create(c.owner(), name, described, prompts)
          .map(d -> d.put("format", format.name().toLowerCase()));
    });
  }

  Future<JsonObject> combine(Caller c, JsonObject a) {
    List<String> ids = strings(a, "dataset_ids", 100);
    if (ids.size() < 2) {
      throw Problem.badRequest("invalid_field", "'dataset_ids' needs at least two datasets");
    }
    List<Future<List<SeedPrompt>>> all = new ArrayList<>();
    ids.forEach(id -> all.add(seedPrompts(c.owner(), id)));
    return Future.all(all).compose(done -> {
      List<List<SeedPrompt>> lists = new ArrayList<>();
      all.forEach(f -> lists.add(f.result()));
      return configurations.names(c.owner(), ConfigKind.DATASETS, ids).compose(names -> create(c.owner(), string(a, "name"),
          "combined from " + names, DatasetOps.combine(lists, a.getBoolean("dedupe", true))));
    });
  }

  Future<JsonObject> transform(Caller c, JsonObject a) {
    String template = string(a, "template");
    String id = id(a);
    DatasetOps.transform(List.of(), template);
    return seedPrompts(c.owner(), id).compose(prompts -> configurations.names(c.owner(), ConfigKind.DATASETS, List.of(id))
        .compose(names -> create(c.owner(), string(a, "name"), "dataset " + names + " through a template",
            DatasetOps.transform(prompts, template))));
  }

  /** A dataset of the prompts whose answers scored an attack success, from one execution or all memory. */
  Future<JsonObject> derive(Caller c, JsonObject a) {
    String name = string(a, "name");
    Object execution = a.getValue("execution_id");
    if (execution != null && !(execution instanceof String)) {
      throw Problem.badRequest("invalid_field", "'execution_id' must be a string");
    }
    // an execution the caller does not have is a 404, like every other id they do not own
    Future<?> exists = execution == null ? Future.succeededFuture()
        : memory.executions(c.owner()).get((String) execution);
    return exists.compose(v -> memory.executions(c.owner()).successfulPrompts((String) execution))
        .compose(found -> {
          List<SeedPrompt> prompts = new ArrayList<>();
          found.getJsonArray("prompts").forEach(p -> prompts.add(new SeedPrompt((String) p, List.of(), new JsonObject())));
          if (prompts.isEmpty()) {
            return Future.failedFuture(Problem.badRequest("no_prompts", "no prompt in memory has a successful score"
                + (a.getString("execution_id") == null ? "" : " in execution " + a.getString("execution_id"))));
          }
          return create(c.owner(), name, "prompts that succeeded", prompts);
        });
  }

  /** A dataset's name and the names of a chain of converters ("'a', 'b'"), for what a converted dataset says it came from. */
  Future<String[]> names(MemoryOwner owner, String datasetId, List<String> converterIds) {
    return memory.configs(owner).getDataset(datasetId, 0, 0).compose(d -> configurations.names(owner, ConfigKind.CONVERTERS, converterIds)
        .map(chain -> new String[] {d.getString("name"), chain}));
  }

  private Future<List<SeedPrompt>> seedPrompts(MemoryOwner owner, String datasetId) {
    return memory.configs(owner).getDataset(datasetId, 0, Integer.MAX_VALUE).map(d -> {
          List<SeedPrompt> out = new ArrayList<>();
          d.getJsonArray("prompts").forEach(o -> {
            JsonObject p = (JsonObject) o;
            JsonArray cats = p.getJsonArray("harm_categories", new JsonArray());
            out.add(new SeedPrompt(p.getString("value"), cats.stream().map(Object::toString).toList(), new JsonObject()));
          });
          return out;
        });
  }
}
