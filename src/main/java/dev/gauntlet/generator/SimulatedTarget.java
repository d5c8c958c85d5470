package dev.gauntlet.generator;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * A built-in deterministic model so that everything works offline and tests know the answers:
 * it refuses prompts with a harmful cue and complies with the rest, or always complies, or echoes.
 */
final class SimulatedTarget implements Target {

  static final String REFUSAL = "I'm sorry, but I can't help with that.";
  static final String COMPLIANCE = "Sure. Here is a response to: ";
  static final List<String> DEFAULT_CUES = List.of("bomb", "explosive", "weapon", "gun", "malware", "ransomware",
      "virus", "exploit", "kill", "murder", "poison", "meth", "drug", "steal", "password", "hack", "phishing",
      "keylogger", "credit card", "launder", "terror", "bioweapon", "nerve agent", "suicide", "self-harm");

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.choice("mode", "refuse_harmful", "comply", "echo").defaultValue("refuse_harmful")
          .describe("refuse_harmful: refuse when the prompt holds a refusal cue, else comply; comply: always;"
              + " echo: answer with the prompt"),
      Param.strings("refusal_cues").defaultValue(DEFAULT_CUES).describe("case-insensitive substrings that draw a refusal"),
      Param.integer("latency_ms").min(0).max(60_000).defaultValue(0).describe("delay before each answer"));

  private final Vertx vertx;
  private final GeneratorSpec spec;
  private final String mode;
  private final List<String> cues;
  private final long latencyMs;

  SimulatedTarget(Vertx vertx, GeneratorSpec spec) {
    JsonObject p = spec.params();
    this.vertx = vertx;
    this.spec = spec;
    this.mode = p.getString("mode", "refuse_harmful");
    List<?> given = p.getJsonArray("refusal_cues") == null ? DEFAULT_CUES : p.getJsonArray("refusal_cues").getList();
    this.cues = given.stream().map(c -> String.valueOf(c).toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty()).toList();
    this.latencyMs = p.getLong("latency_ms", 0L);
  }

  /** The answer to a conversation: a pure function of its last user message. */
  String answer(List<ChatMessage> messages) {
    String prompt = Target.lastUserText(messages);
    return switch (mode) {
      case "echo" -> prompt;
      case "comply" -> comply(prompt);
      default -> {
        String lower = prompt.toLowerCase(Locale.ROOT);
        yield cues.stream().anyMatch(lower::contains) ? REFUSAL : comply(prompt);
      }
    };
  }

  private static String comply(String prompt) {
    return COMPLIANCE + (prompt.length() > 200 ? prompt.substring(0, 200) : prompt);
  }

  @Override
  public Future<Outcome> attempt(List<ChatMessage> messages, long timeoutMs, Future<Void> abandoned) {
    Outcome o = Outcome.ok(answer(messages), 200);
    if (latencyMs <= 0) {
      return Future.succeededFuture(o);
    }
    Promise<Outcome> later = Promise.promise();
    long timer = vertx.setTimer(latencyMs, t -> later.tryComplete(o));
    abandoned.onComplete(a -> vertx.cancelTimer(timer));
    return later.future();
  }

  @Override
  public JsonObject identifier() {
    return Target.identifier("SimulatedTarget", spec, "simulated-" + mode);
  }
}
