package dev.gauntlet.imports.garak;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a garak {@code hitlog.jsonl}: one line per output a detector scored as a hit (score at or
 * above {@link GarakAttempt#HIT}), with its attempt's prompt. A hit names its attempt and output
 * index, so it lands on the same conversation and answer as the report's attempt: importing both
 * stores each once.
 */
public final class GarakHitlog {

  /** One hit: attempt {@code attemptId}'s output {@code outputIndex}, scored {@code score} by {@code detector}. */
  public record Hit(String runId, String attemptId, int seq, int outputIndex, String probe, String detector, String generator,
                    List<GarakAttempt.Turn> prompt, String output, Double score, String goal, long line) {}

  public interface Sink {
    void hit(Hit hit);
  }

  private GarakHitlog() {}

  /** Reads every hit; returns how many lines were read. */
  public static long read(Path file, Sink sink) throws IOException {
    try (Lines in = new Lines(file, "garak hitlog")) {
      String text;
      while ((text = in.next()) != null) {
        if (text.isBlank()) {
          continue;
        }
        JsonObject o;
        try {
          o = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
          throw in.refused(in.number(), in.endedWithNewline() ? "is not a JSON object" : "is cut short (the file is truncated)");
        }
        sink.hit(hit(o, in));
      }
      return in.number();
    }
  }

  /** Whether a JSON line looks like a hitlog row rather than a report record. */
  static boolean isHit(JsonObject o) {
    return o.getValue("entry_type") == null && o.containsKey("attempt_id") && o.containsKey("detector");
  }

  private static Hit hit(JsonObject o, Lines in) {
    long line = in.number();
    if (!(o.getValue("attempt_id") instanceof String id) || id.isBlank()) {
      throw in.refused(line, "has no attempt_id: not a garak hitlog row");
    }
    if (!(o.getValue("probe") instanceof String probe) || !(o.getValue("detector") instanceof String detector)) {
      throw in.refused(line, "has no probe or detector");
    }
    Object idx = o.getValue("attempt_idx");
    if (!(idx instanceof Number n) || n.intValue() < 0) {
      throw in.refused(line, "has no attempt_idx");
    }
    List<String> output = GarakRecords.outputs(new io.vertx.core.json.JsonArray().add(o.getValue("output")), line, in);
    Object score = o.getValue("score");
    if (score != null && !(score instanceof Number s && s.doubleValue() >= 0 && s.doubleValue() <= 1)) {
      throw in.refused(line, "score is not between 0 and 1");
    }
    Object seq = o.getValue("attempt_seq");
    return new Hit(o.getValue("run_id") == null ? null : String.valueOf(o.getValue("run_id")), id,
        seq instanceof Number q ? q.intValue() : -1, n.intValue(), GarakRecords.plugin(probe, "probes."),
        GarakRecords.plugin(detector, "detectors."), o.getValue("generator") instanceof String g ? g : null,
        GarakRecords.prompt(o.getValue("prompt"), line, in), output.get(0), score == null ? null : ((Number) score).doubleValue(),
        o.getValue("goal") instanceof String goal ? goal : null, line);
  }
}
