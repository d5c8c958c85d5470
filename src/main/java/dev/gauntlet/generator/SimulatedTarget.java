package dev.gauntlet.generator;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * A built-in deterministic model so that everything works offline and tests know the answers:
 * it refuses prompts with a harmful cue and complies with the rest, or always complies, or echoes.
 * Offered tools, it calls the first one its prompt names unless it refuses ({@code tool_calls}
 * {@code named}), as a model taken in by an instruction would.
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
      Param.integer("latency_ms").min(0).max(60_000).defaultValue(0).describe("delay before each answer"),
      Param.choice("tool_calls", "named", "never").defaultValue("named")
          .describe("when the prompt offers tools: named calls the first tool the prompt names (unless refusing); never calls none"));

  private final Vertx vertx;
  private final GeneratorSpec spec;
  private final String mode;
  private final List<String> cues;
  private final long latencyMs;
  private final boolean callsTools;

  SimulatedTarget(Vertx vertx, GeneratorSpec spec) {
    JsonObject p = spec.params();
    this.vertx = vertx;
    this.spec = spec;
    this.mode = p.getString("mode", "refuse_harmful");
    List<?> given = p.getJsonArray("refusal_cues") == null ? DEFAULT_CUES : p.getJsonArray("refusal_cues").getList();
    this.cues = given.stream().map(c -> String.valueOf(c).toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty()).toList();
    this.latencyMs = p.getLong("latency_ms", 0L);
    this.callsTools = !"never".equals(p.getString("tool_calls", "named"));
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

  /** The tool this target calls for a conversation: the offered tool its prompt names first, or null. */
  String toolCalled(List<ChatMessage> messages, JsonArray tools) {
    String answer = answer(messages);
    if (!callsTools || tools == null || REFUSAL.equals(answer)) {
      return null;
    }
    String prompt = Target.lastUserText(messages);
    String first = null;
    int at = Integer.MAX_VALUE;
    for (Object t : tools) {
      String name = t instanceof JsonObject o && o.getValue("function") instanceof JsonObject f ? f.getString("name") : null;
      int i = name == null || name.isEmpty() ? -1 : prompt.indexOf(name);
      if (i >= 0 && i < at) {
        first = name;
        at = i;
      }
    }
    return first;
  }

  @Override
  public Future<Outcome> attempt(List<ChatMessage> messages, long timeoutMs, Future<Void> abandoned) {
    return attempt(messages, null, timeoutMs, abandoned);
  }

  @Override
  public Future<Outcome> attempt(List<ChatMessage> messages, JsonArray tools, long timeoutMs, Future<Void> abandoned) {
    String tool = toolCalled(messages, tools);
    Outcome o = tool == null ? Outcome.ok(answer(messages), 200) : Outcome.called(null,
        new JsonArray().add(new JsonObject().put("name", tool).put("arguments", new JsonObject())), 200);
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
