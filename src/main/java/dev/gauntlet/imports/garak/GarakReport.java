package dev.gauntlet.imports.garak;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a garak {@code report.jsonl} line by line, handing each attempt to a {@link Sink} as soon
 * as it is known to be final, holding no more than one line and a compact set of pending attempt
 * ids (so a million-attempt report is read in bounded memory).
 *
 * <p>garak writes an attempt twice: with status 1 once the target answered, and again with status 2
 * once the detectors scored it (same uuid). The status-2 record is the attempt; a status-1 record is
 * kept only when no status-2 record of its uuid follows (the run stopped before detection): those
 * are read again in a second pass at the end and handed over without scores. Status 0 (never sent)
 * is skipped. The report's other records ({@code start_run setup}, {@code init}, {@code plugin_cache}
 * with each probe's tags, {@code eval}, {@code digest}, {@code completion}) make up the {@link Run}.
 *
 * <p>A line that is not a JSON object, has no {@code entry_type}, or an attempt with a missing or
 * mistyped field is refused with its line number, before anything of the import is stored (the
 * landing is atomic): a file cut short mid-line is refused the same way.
 */
public final class GarakReport {

  /** What the report says about its run, complete once the whole file has been read. */
  public record Run(String runId, String garakVersion, String startTime, String endTime, String targetType, String targetName,
                    Map<String, List<String>> probeTags, List<Eval> evals, boolean completed, long lines, long attempts,
                    long superseded, long unevaluated) {

    /** The target as garak names it ({@code openai gpt-4o}), or {@code garak target} when the report does not say. */
    public String target() {
      String t = ((targetType == null ? "" : targetType) + " " + (targetName == null ? "" : targetName)).trim();
      return t.isEmpty() ? "garak target" : t;
    }
  }

  /** One {@code eval} row: a detector's pass count over a probe's outputs, as garak summed it. */
  public record Eval(String probe, String detector, long passed, long total) {}

  /** Where the attempts go. {@link #start} is called once, before the first attempt. */
  public interface Sink {
    default void start(Run header) {}

    void attempt(GarakAttempt attempt);
  }

  private final Path file;
  private final Sink sink;
  private final AttemptIds pending = new AttemptIds();
  private final AttemptIds evaluated = new AttemptIds();
  private final Map<String, List<String>> tags = new LinkedHashMap<>();
  private final List<Eval> evals = new ArrayList<>();
  private String runId;
  private String version;
  private String startTime;
  private String endTime;
  private String targetType;
  private String targetName;
  private boolean started;
  private boolean completed;
  private long index;
  private long superseded;
  private long unevaluated;

  private GarakReport(Path file, Sink sink) {
    this.file = file;
    this.sink = sink;
  }

  /** Reads {@code file} to the end, handing its attempts to {@code sink}; returns what it said about the run. */
  public static Run read(Path file, Sink sink) throws IOException {
    return new GarakReport(file, sink).read();
  }

  private Run read() throws IOException {
    long lines;
    try (Lines in = new Lines(file, "garak report")) {
      String text;
      while ((text = in.next()) != null) {
        if (!text.isBlank()) {
          record(in, text);
        }
      }
      lines = in.number();
    }
    if (pending.size() > 0) {
      // attempts generated but never evaluated: read once more for them, in file order
      try (Lines in = new Lines(file, "garak report")) {
        String text;
        while ((text = in.next()) != null) {
          if (!text.isBlank() && text.contains("\"attempt\"")) {
            JsonObject o = new JsonObject(text);
            if ("attempt".equals(o.getString("entry_type")) && intField(in, o, "status") == 1
                && pending.remove(AttemptIds.key(o.getString("uuid")))) {
              unevaluated++;
              emit(GarakRecords.attempt(o, index++, in.number(), in));
            }
          }
        }
      }
    }
    return run(lines);
  }

  /** garak writes an attempt's first fields in this order ({@code Attempt.as_dict}): entry_type, uuid, seq, status. */
  private static final String ATTEMPT_HEAD = "{\"entry_type\": \"attempt\", \"uuid\": \"";

  private void record(Lines in, String text) {
    if (text.startsWith(ATTEMPT_HEAD) && pendingFast(text)) {
      return;
    }
    JsonObject o;
    try {
      o = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw in.refused(in.number(), in.endedWithNewline() ? "is not a JSON object" : "is cut short (the file is truncated)");
    }
    Object type = o.getValue("entry_type");
    if (!(type instanceof String entryType)) {
      throw in.refused(in.number(), "has no entry_type: not a garak report record");
    }
    switch (entryType) {
      case "start_run setup" -> {
        targetType = firstString(o, "plugins.target_type", "plugins.model_type");
        targetName = firstString(o, "plugins.target_name", "plugins.model_name");
      }
      case "init" -> {
        version = o.getValue("garak_version") == null ? null : String.valueOf(o.getValue("garak_version"));
        startTime = stringOrNull(o.getValue("start_time"));
        runId = stringOrNull(o.getValue("run"));
      }
      case "plugin_cache" -> pluginTags(o.getValue("plugin_cache"));
      case "digest" -> digestTags(o.getValue("eval"));
      case "eval" -> evals.add(eval(in, o));
      case "completion" -> {
        completed = true;
        endTime = stringOrNull(o.getValue("end_time"));
        if (runId == null) {
          runId = stringOrNull(o.getValue("run"));
        }
      }
      case "attempt" -> attempt(in, o);
      default -> { } // payload_init, probe_summary, tree_data, … : nothing to import
    }
  }

  /**
   * A status-1 attempt read from its first fields without parsing the line (half of a report's
   * lines are these, and only their id matters until the end); false when the line is not laid out
   * as garak writes it, to be parsed in full.
   */
  private boolean pendingFast(String text) {
    int start = ATTEMPT_HEAD.length();
    int end = text.indexOf('"', start);
    if (end < 0 || end - start != 36) {
      return false;
    }
    String rest = ", \"status\": 1,";
    int seq = text.indexOf(", \"seq\": ", end);
    if (seq != end + 1) {
      return false;
    }
    int comma = text.indexOf(',', seq + 9);
    if (comma < 0 || !text.startsWith(rest, comma)) {
      return false;
    }
    UUID key;
    try {
      key = UUID.fromString(text.substring(start, end));
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (!wellFormed(text)) {
      return false; // parsed in full, to be refused with its line
    }
    if (evaluated.contains(key)) {
      superseded++;
    } else {
      pending.add(key);
    }
    return true;
  }

  private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

  /** Whether the line is one complete JSON value: tokenized, no object built. */
  private static boolean wellFormed(String text) {
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(text)) {
      p.nextToken();
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private void attempt(Lines in, JsonObject o) {
    int status = intField(in, o, "status");
    Object id = o.getValue("uuid");
    if (!(id instanceof String uuid) || uuid.isBlank()) {
      throw in.refused(in.number(), "attempt has no uuid");
    }
    UUID key = AttemptIds.key(uuid);
    switch (status) {
      case 0 -> { } // prepared, never sent
      case 1 -> {
        if (evaluated.contains(key)) {
          superseded++;
        } else {
          pending.add(key);
        }
      }
      case 2 -> {
        if (!evaluated.add(key)) {
          throw in.refused(in.number(), "repeats evaluated attempt " + uuid);
        }
        if (pending.remove(key)) {
          superseded++;
        }
        emit(GarakRecords.attempt(o, index++, in.number(), in));
      }
      default -> throw in.refused(in.number(), "attempt status " + status + " is not 0, 1 or 2");
    }
  }

  private void emit(GarakAttempt a) {
    if (!started) {
      started = true;
      sink.start(run(0));
    }
    sink.attempt(a);
  }

  private Run run(long lines) {
    Map<String, List<String>> t = new LinkedHashMap<>();
    tags.forEach((k, v) -> t.put(k, List.copyOf(v)));
    return new Run(runId, version, startTime, endTime, targetType, targetName, t, List.copyOf(evals), completed, lines, index,
        superseded, unevaluated);
  }

  private Eval eval(Lines in, JsonObject o) {
    Object probe = o.getValue("probe");
    Object detector = o.getValue("detector");
    if (!(probe instanceof String p) || !(detector instanceof String d)) {
      throw in.refused(in.number(), "eval has no probe or detector");
    }
    Object total = o.getValue("total_evaluated", o.getValue("total"));
    Object passed = o.getValue("passed");
    if (!(total instanceof Number n) || !(passed instanceof Number ok)) {
      throw in.refused(in.number(), "eval has no passed or total_evaluated count");
    }
    return new Eval(GarakRecords.plugin(p, "probes."), GarakRecords.plugin(d, "detectors."), ok.longValue(), n.longValue());
  }

  /** plugin_cache: {"probes": {"probes.dan.Dan_11_0": {"tags": [...]}}}. */
  private void pluginTags(Object cache) {
    if (cache instanceof JsonObject c && c.getValue("probes") instanceof JsonObject probes) {
      for (String name : probes.fieldNames()) {
        if (probes.getValue(name) instanceof JsonObject info && info.getValue("tags") instanceof JsonArray list) {
          addTags(GarakRecords.plugin(name, "probes."), list);
        }
      }
    }
  }

  /** digest: {"eval": {group: {"dan.Dan_11_0": {"_summary": {"probe_tags": [...]}}}}}. */
  private void digestTags(Object eval) {
    if (!(eval instanceof JsonObject groups)) {
      return;
    }
    for (String group : groups.fieldNames()) {
      if (groups.getValue(group) instanceof JsonObject probes) {
        for (String probe : probes.fieldNames()) {
          if (probes.getValue(probe) instanceof JsonObject p && p.getValue("_summary") instanceof JsonObject s
              && s.getValue("probe_tags") instanceof JsonArray list) {
            addTags(GarakRecords.plugin(s.getValue("probe_name") instanceof String n ? n : probe, "probes."), list);
          }
        }
      }
    }
  }

  private void addTags(String probe, JsonArray list) {
    List<String> known = tags.computeIfAbsent(probe, k -> new ArrayList<>());
    for (Object tag : list) {
      if (tag instanceof String s && !known.contains(s)) {
        known.add(s);
      }
    }
  }

  private static int intField(Lines in, JsonObject o, String name) {
    Object v = o.getValue(name);
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw in.refused(in.number(), "attempt has no whole-number " + name);
    }
    return n.intValue();
  }

  private static String firstString(JsonObject o, String... names) {
    for (String n : names) {
      if (o.getValue(n) instanceof String s && !s.isBlank()) {
        return s;
      }
    }
    return null;
  }

  private static String stringOrNull(Object v) {
    return v == null ? null : String.valueOf(v);
  }
}
