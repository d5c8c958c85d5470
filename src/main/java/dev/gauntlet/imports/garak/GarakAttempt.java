package dev.gauntlet.imports.garak;

import java.util.List;
import java.util.Map;

/**
 * One garak attempt as its report (or hitlog) recorded it: a prompt sent by a probe, the target's
 * outputs (one per generation, null where the generator gave none) and each detector's score per
 * output (null where the detector could not judge). Text is the target's and the probe's, hostile:
 * it stays text.
 *
 * @param uuid             garak's attempt id (conversation ids and piece ids derive from it)
 * @param index            the attempt's position among the attempts read, from 0
 * @param seq              garak's sequence number within its probe (-1 when absent)
 * @param status           2 evaluated by detectors; 1 generated but never evaluated (an interrupted run)
 * @param probe            the probe as garak names it, {@code module.Class} ({@code dan.Dan_11_0})
 * @param prompt           the turns sent, oldest first (a probe may supply earlier assistant turns)
 * @param outputs          the target's outputs, in generation order
 * @param detectorResults  detector ({@code module.Class}) to one score per output, in output order
 * @param goal             what the probe was after, or null
 * @param intent           garak's intent code, or null
 * @param triggers         what the detectors looked for ({@code notes.triggers}), or empty
 * @param line             the report line it came from (1-based), for messages
 */
public record GarakAttempt(String uuid, long index, int seq, int status, String probe, List<Turn> prompt, List<String> outputs,
                           Map<String, List<Double>> detectorResults, String goal, String intent, List<String> triggers, long line) {

  /** One prompt turn: garak's role ({@code system}, {@code user}, {@code assistant}) and its text. */
  public record Turn(String role, String text) {}

  /** A detector score of at least this is a hit: the attack succeeded (garak's threshold evaluator fails it). */
  public static final double HIT = 0.5;

  /** The probe's module, {@code dan} of {@code dan.Dan_11_0}. */
  public static String module(String pluginName) {
    int dot = pluginName.lastIndexOf('.');
    return dot < 0 ? "" : pluginName.substring(0, dot);
  }

  /** The class, {@code Dan_11_0} of {@code dan.Dan_11_0}. */
  public static String className(String pluginName) {
    return pluginName.substring(pluginName.lastIndexOf('.') + 1);
  }
}
