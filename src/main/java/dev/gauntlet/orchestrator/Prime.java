package dev.gauntlet.orchestrator;

import dev.gauntlet.generator.Generator;
import dev.gauntlet.generator.Generators;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.scorer.ScoreResult;
import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerContext;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the first answer of the first execution after a start would otherwise initialise, done
 * once at start instead, beside the rest of the start-up: the refusal scorer's phrase automaton
 * (about 45 ms on a fresh JVM), the other deterministic scorers, the chat answer reader, SHA-256
 * and random UUIDs. An execution's prompts share one event loop, so while the first answer pays
 * for these every other answer of the first wave waits: against a 200 ms target at concurrency 64
 * the first 64 round trips averaged 274–279 ms without this and 251–256 ms with it
 * (bench/execution.sh --latency 200 --concurrency 64, README "Cold-start CPU").
 *
 * <p>Unlike the warm-up ({@link Warmup}, off by default) it sends nothing and stores nothing, and
 * costs tens of milliseconds of one thread while the server's other start-up work runs.
 */
public final class Prime {

  private Prime() {}

  /** What a prime found, per deterministic scorer and sample answer: the verdicts it computed and the answer it read. */
  public record Report(Map<String, List<Boolean>> verdicts, String answerRead, long millis) {}

  /** Scores the warm-up model's sample answers with each deterministic scorer, reads one chat answer, hashes and draws an id. */
  public static Report run() {
    long start = System.nanoTime();
    Map<String, Scorer> scorers = new LinkedHashMap<>();
    scorers.put("refusal", Scorers.create("refusal", new JsonObject(), NO_REFERENCES));
    scorers.put("substring", Scorers.create("substring", new JsonObject().put("substrings", new JsonArray().add("Sure")), NO_REFERENCES));
    scorers.put("regex", Scorers.create("regex", new JsonObject().put("pattern", "[Ss]tep \\d+"), NO_REFERENCES));
    Map<String, List<Boolean>> verdicts = new LinkedHashMap<>();
    for (String answer : SAMPLES) {
      scorers.forEach((type, scorer) -> verdicts.computeIfAbsent(type, t -> new ArrayList<>()).add(verdict(scorer, answer)));
    }
    String read = Generators.primeAnswerReader(SAMPLES.get(SAMPLES.size() - 1));
    try {
      MessageDigest.getInstance("SHA-256").digest(read.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    UUID.randomUUID();
    return new Report(verdicts, read, (System.nanoTime() - start) / 1_000_000);
  }

  /** A refusal, a short compliance and a long one, as {@link WarmupModel} answers. */
  static final List<String> SAMPLES = List.of(WarmupModel.REFUSAL, WarmupModel.COMPLIANCE + "a first prompt", WarmupModel.LONG_COMPLIANCE);

  /** The deterministic scorers complete at once; anything else is a bug here, not a reason to wait. */
  private static Boolean verdict(Scorer scorer, String answer) {
    var scored = scorer.score(ScoreInput.of(answer));
    if (!scored.isComplete() || scored.failed()) {
      throw new IllegalStateException("a deterministic scorer did not score at once: " + scored.cause());
    }
    List<ScoreResult> results = scored.result();
    return results.isEmpty() ? null : results.get(0).verdict();
  }

  /** The prime's scorers reference no generator and no other scorer. */
  private static final ScorerContext NO_REFERENCES = new ScorerContext() {
    @Override
    public Generator generator(String id) {
      throw new IllegalStateException("the prime's scorers use no generator");
    }

    @Override
    public Scorer scorer(String id) {
      throw new IllegalStateException("the prime's scorers use no other scorer");
    }
  };
}
