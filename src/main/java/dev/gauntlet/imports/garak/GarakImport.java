package dev.gauntlet.imports.garak;

import dev.gauntlet.imports.ImportFormat;
import dev.gauntlet.imports.ImportSource;
import dev.gauntlet.imports.ImportedConversation;
import dev.gauntlet.imports.ImportedExecution;
import dev.gauntlet.imports.Landing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A garak run ({@code report.jsonl}, or its {@code hitlog.jsonl}) as one execution of kind
 * {@code imported}: each attempt a conversation (its prompt turns, then each generation's output,
 * the outputs sharing one turn), each detector result a score of its output (float_scale, garak's
 * value; at least {@link GarakAttempt#HIT} is an attack success, as garak counts hits), the probe
 * as the prompts' converter identifier and {@code probe} label, the detector as the scorer
 * identifier. Earlier assistant turns a probe supplies are {@code simulated_assistant}, not answers.
 * The execution's labels keep each probe's garak tags and the standards controls they map to
 * ({@link GarakTags}), which the compliance report reads.
 */
public final class GarakImport implements ImportFormat {

  public static final String ID = "garak";
  /** Ids are name-based in this namespace: a report and its hitlog land on the same rows. */
  static final String NAMESPACE = "garak";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String tool() {
    return "garak";
  }

  @Override
  public boolean recognizes(byte[] head, String fileName) {
    String s = new String(head, StandardCharsets.UTF_8).stripLeading();
    if (!s.startsWith("{")) {
      return false;
    }
    return s.startsWith("{\"entry_type\": \"start_run setup\"") || s.startsWith("{\"entry_type\":\"start_run setup\"")
        || s.startsWith("{\"entry_type\": \"init\"") || (s.startsWith("{\"goal\":") && fileName.endsWith("hitlog.jsonl"));
  }

  @Override
  public void read(ImportSource source, Landing landing) throws Exception {
    if (isHitlog(source)) {
      new Hits(source, landing).read();
    } else {
      new Report(source, landing).read();
    }
  }

  /** A hitlog's rows have no entry_type; a report's first record has one. */
  private static boolean isHitlog(ImportSource source) throws IOException {
    try (Lines in = new Lines(source.file(), "garak file")) {
      String line;
      while ((line = in.next()) != null) {
        if (!line.isBlank()) {
          JsonObject o;
          try {
            o = new JsonObject(line);
          } catch (RuntimeException e) {
            throw in.refused(in.number(), "is not a JSON object");
          }
          if (o.containsKey("entry_type")) {
            return false;
          }
          if (GarakHitlog.isHit(o)) {
            return true;
          }
          throw in.refused(in.number(), "is neither a garak report record (entry_type) nor a hitlog row (attempt_id)");
        }
      }
    }
    throw ImportSource.refuse("garak file", "is empty");
  }

  private static String executionId(String runKey) {
    return ImportedConversation.uuid(NAMESPACE, "run", runKey).toString();
  }

  static JsonObject plugin(String name, String kind) {
    return new JsonObject().put("__type__", GarakAttempt.className(name)).put("__module__", "garak." + kind + "." + GarakAttempt.module(name))
        .put("name", "garak " + name);
  }

  static JsonObject target(String type, String name) {
    String shown = ((type == null ? "" : type) + " " + (name == null ? "" : name)).trim();
    return new JsonObject().put("__type__", type == null ? "garak generator" : type)
        .put("__module__", "garak.generators" + (type == null ? "" : "." + type)).put("name", shown.isEmpty() ? "garak target" : shown);
  }

  static LocalDateTime time(String iso, LocalDateTime fallback) {
    if (iso == null || iso.isBlank()) {
      return fallback;
    }
    try {
      return LocalDateTime.parse(iso.length() > 26 ? iso.substring(0, 26) : iso);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
      } catch (DateTimeParseException e2) {
        return fallback;
      }
    }
  }

  /** The conversation of one attempt, or of a hit's part of one. */
  private static ImportedConversation conversation(String attemptId, String executionId, long index, LocalDateTime at, String probe,
                                                   JsonObject target, JsonObject orchestrator, List<GarakAttempt.Turn> prompt,
                                                   String converters, JsonObject meta) {
    ImportedConversation c = new ImportedConversation(NAMESPACE, attemptId, attemptId, executionId, (int) index, at,
        new JsonObject().put("probe", probe), target, orchestrator);
    for (int i = 0; i < prompt.size(); i++) {
      GarakAttempt.Turn t = prompt.get(i);
      String role = switch (t.role()) {
        case "assistant" -> "simulated_assistant"; // history the probe wrote, not the target's answer
        case "system", "user", "tool", "developer" -> t.role();
        default -> "user";
      };
      c.sent("p" + i, role, t.text(), converters, meta);
    }
    return c;
  }

  private static void score(ImportedConversation c, java.util.UUID answer, int idx, String detector, Double value, String goal) {
    c.score(answer, "s:" + idx + ":" + detector, value == null ? null : Double.toString(value), "float_scale",
        GarakAttempt.module(detector), value == null ? "garak detector " + detector + " gave no score" : null,
        new JsonObject().put("garak_detector", detector), plugin(detector, "detectors"), goal,
        value == null ? null : value >= GarakAttempt.HIT);
  }

  /** A report: its attempts as they are read, then the execution with what the report said of its run. */
  private static final class Report implements GarakReport.Sink {
    private final ImportSource source;
    private final Landing landing;
    private final Map<String, String> converters = new HashMap<>();
    private final LocalDateTime imported;
    private String runKey;
    private String executionId;
    private LocalDateTime at;
    private JsonObject target;
    private JsonObject orchestrator;

    Report(ImportSource source, Landing landing) {
      this.source = source;
      this.landing = landing;
      this.imported = LocalDateTime.ofInstant(source.importedAt(), ZoneOffset.UTC);
    }

    void read() throws Exception {
      GarakReport.Run run;
      try {
        run = GarakReport.read(source.file(), this);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } catch (LandingFailed e) {
        throw e.cause;
      }
      if (runKey == null) {
        begin(run);
      }
      JsonObject standards = new JsonObject();
      JsonObject tags = new JsonObject();
      for (Map.Entry<String, List<String>> e : run.probeTags().entrySet()) {
        tags.put(e.getKey(), new JsonArray(e.getValue()));
        standards.put(e.getKey(), new JsonArray(GarakTags.controls(e.getValue())));
      }
      JsonObject labels = new JsonObject().put("source_tool", "garak").put("garak_run", run.runId()).put("target", run.target())
          .put("standards", standards).put("garak_tags", tags);
      landing.execution(new ImportedExecution(executionId, name(run), "garak", run.garakVersion(), labels, (int) run.attempts(),
          at, time(run.endTime(), at)));
    }

    private void begin(GarakReport.Run header) {
      runKey = header.runId() != null ? header.runId() : "file:" + source.fileName();
      executionId = executionId(runKey);
      at = time(header.startTime(), imported);
      target = target(header.targetType(), header.targetName());
      orchestrator = new JsonObject().put("__type__", "garak").put("__module__", "garak").put("id", executionId)
          .put("name", name(header));
    }

    private static String name(GarakReport.Run run) {
      return "garak run " + (run.runId() == null ? "" : run.runId().substring(0, Math.min(8, run.runId().length())) + " ")
          + "on " + run.target();
    }

    @Override
    public void start(GarakReport.Run header) {
      begin(header);
    }

    @Override
    public void attempt(GarakAttempt a) {
      String conv = converters.computeIfAbsent(a.probe(), p -> new JsonArray().add(plugin(p, "probes")).encode());
      JsonObject meta = new JsonObject().put("garak_attempt", a.uuid()).put("garak_seq", a.seq());
      if (a.goal() != null) {
        meta.put("goal", a.goal());
      }
      if (a.status() != 2) {
        meta.put("garak_status", a.status()); // generated, never evaluated: its answers are unscored
      }
      ImportedConversation c = conversation(a.uuid(), executionId, a.index(), at, a.probe(), target, orchestrator, a.prompt(), conv, meta);
      for (int i = 0; i < a.outputs().size(); i++) {
        String out = a.outputs().get(i);
        JsonObject answerMeta = new JsonObject().put("generation", i);
        if (!a.triggers().isEmpty()) {
          answerMeta.put("triggers", new JsonArray(a.triggers()));
        }
        java.util.UUID answer = c.answered("o" + i, out, out == null ? "unknown" : null, answerMeta, true);
        for (Map.Entry<String, List<Double>> d : a.detectorResults().entrySet()) {
          if (i < d.getValue().size()) {
            score(c, answer, i, d.getKey(), d.getValue().get(i), a.goal());
          }
        }
      }
      try {
        c.land(landing);
      } catch (Exception e) {
        throw new LandingFailed(e);
      }
    }
  }

  /** A hitlog: each hit a conversation of its attempt, with the one output and score it names. */
  private static final class Hits implements GarakHitlog.Sink {
    private final ImportSource source;
    private final Landing landing;
    private final LocalDateTime at;
    private final AttemptIds attempts = new AttemptIds();
    private final Map<String, String> converters = new HashMap<>();
    private final Map<String, List<String>> probes = new LinkedHashMap<>();
    private String runId;
    private String generator;
    private long index;

    Hits(ImportSource source, Landing landing) {
      this.source = source;
      this.landing = landing;
      this.at = LocalDateTime.ofInstant(source.importedAt(), ZoneOffset.UTC);
    }

    void read() throws Exception {
      try {
        GarakHitlog.read(source.file(), this);
      } catch (LandingFailed e) {
        throw e.cause;
      }
      if (runId == null) {
        return;
      }
      JsonObject standards = new JsonObject();
      probes.keySet().forEach(p -> standards.put(p, new JsonArray()));
      JsonObject labels = new JsonObject().put("source_tool", "garak").put("garak_run", runId).put("target", generator)
          .put("standards", standards).put("garak_hitlog", true);
      landing.execution(new ImportedExecution(executionId(runId), "garak run " + runId.substring(0, Math.min(8, runId.length()))
          + " on " + generator + " (hits)", "garak", null, labels, attempts.size(), at, at));
    }

    @Override
    public void hit(GarakHitlog.Hit h) {
      if (runId == null) {
        runId = h.runId() != null ? h.runId() : "file:" + source.fileName();
        generator = h.generator() == null ? "garak target" : h.generator();
      }
      String executionId = executionId(runId);
      if (attempts.add(AttemptIds.key(h.attemptId()))) {
        index++;
      }
      probes.putIfAbsent(h.probe(), List.of());
      String conv = converters.computeIfAbsent(h.probe(), p -> new JsonArray().add(plugin(p, "probes")).encode());
      JsonObject meta = new JsonObject().put("garak_attempt", h.attemptId()).put("garak_seq", h.seq());
      String[] parts = generator.split(" ", 2);
      JsonObject target = target(parts[0], parts.length > 1 ? parts[1] : null);
      JsonObject orchestrator = new JsonObject().put("__type__", "garak").put("__module__", "garak").put("id", executionId);
      ImportedConversation c = conversation(h.attemptId(), executionId, index - 1, at, h.probe(), target, orchestrator, h.prompt(),
          conv, meta);
      java.util.UUID answer = c.answered("o" + h.outputIndex(), h.output(), h.output() == null ? "unknown" : null,
          new JsonObject().put("generation", h.outputIndex()), true);
      score(c, answer, h.outputIndex(), h.detector(), h.score(), h.goal());
      try {
        c.land(landing);
      } catch (Exception e) {
        throw new LandingFailed(e);
      }
    }
  }

  /** Carries a landing's failure out of a sink (the readers' callbacks throw no checked exceptions). */
  private static final class LandingFailed extends RuntimeException {
    final Exception cause;

    LandingFailed(Exception cause) {
      super(cause.getMessage(), cause, false, false);
      this.cause = cause;
    }
  }
}
