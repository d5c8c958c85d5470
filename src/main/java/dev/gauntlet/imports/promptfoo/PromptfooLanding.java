package dev.gauntlet.imports.promptfoo;

import dev.gauntlet.imports.ImportSource;
import dev.gauntlet.imports.ImportedConversation;
import dev.gauntlet.imports.ImportedExecution;
import dev.gauntlet.imports.Landing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * promptfoo's results as Gauntlet's: an execution of kind {@code imported} per eval and provider;
 * each result a conversation (the prompt, the output, or a multi-turn strategy's exchanges), each
 * assertion a true/false score of the last answer whose true is the attack succeeding, since
 * promptfoo's pass means the model behaved (so a passed red-team test is {@code held}); an error
 * is an error. The red-team plugin and strategy are kept as the prompt's converter identifiers and
 * its {@code probe} label ({@code plugin} or {@code plugin/strategy}); the execution's labels map each
 * to the standards controls ({@link PromptfooTaxonomy}). Ids are name-based on promptfoo's own ids,
 * the same whether the eval comes from results.json or promptfoo.db, so it lands once.
 */
final class PromptfooLanding {

  static final String NAMESPACE = "promptfoo";

  private final ImportSource source;
  private final Landing landing;
  private final LocalDateTime imported;
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private PromptfooEval eval;
  private long position;

  /** An execution being filled: one eval with one provider. */
  private static final class Run {
    final String id;
    final PromptfooEval eval;
    final String provider;
    final String providerId;
    final JsonObject standards = new JsonObject();
    int results;

    Run(String id, PromptfooEval eval, String provider, String providerId) {
      this.id = id;
      this.eval = eval;
      this.provider = provider;
      this.providerId = providerId;
    }
  }

  PromptfooLanding(ImportSource source, Landing landing) {
    this.source = source;
    this.landing = landing;
    this.imported = LocalDateTime.ofInstant(source.importedAt(), ZoneOffset.UTC);
  }

  void start(PromptfooEval e) {
    this.eval = e;
    this.position = 0;
  }

  void result(PromptfooResult r) throws Exception {
    String providerKey = r.providerId() + "\u0000" + (r.providerLabel() == null ? "" : r.providerLabel());
    String executionId = ImportedConversation.uuid(NAMESPACE, "eval", r.evalId(), providerKey).toString();
    Run run = runs.computeIfAbsent(executionId, id -> new Run(id, eval, r.provider(), r.providerId()));
    String key = r.id() != null ? r.id() : r.evalId() + "\u0000" + providerKey + "\u0000" + position;
    position++;
    String probe = r.pluginId() == null ? null : r.strategyId() == null || "basic".equals(r.strategyId()) ? r.pluginId()
        : r.pluginId() + "/" + r.strategyId();
    if (probe != null && !run.standards.containsKey(probe)) {
      run.standards.put(probe, new JsonArray(PromptfooTaxonomy.controls(r.pluginId(), r.strategyId())));
    }
    LocalDateTime at = time(eval.createdAt(), imported);
    JsonObject labels = probe == null ? null : new JsonObject().put("probe", probe);
    JsonObject target = new JsonObject().put("__type__", r.providerId()).put("__module__", "promptfoo.providers").put("name", r.provider());
    JsonObject orchestrator = new JsonObject().put("__type__", eval.redteam() ? "promptfoo redteam" : "promptfoo eval")
        .put("__module__", "promptfoo").put("id", executionId).put("name", name(eval, r.provider()));
    ImportedConversation c = new ImportedConversation(NAMESPACE, key, "promptfoo:" + (r.id() != null ? r.id()
        : ImportedConversation.uuid(NAMESPACE, key)), executionId, run.results++, at, labels, target, orchestrator);
    JsonArray converters = new JsonArray();
    if (r.pluginId() != null) {
      converters.add(new JsonObject().put("__type__", r.pluginId()).put("__module__", "promptfoo.redteam.plugins")
          .put("name", "promptfoo plugin " + r.pluginId()));
    }
    if (r.strategyId() != null) {
      converters.add(new JsonObject().put("__type__", r.strategyId()).put("__module__", "promptfoo.redteam.strategies")
          .put("name", "promptfoo strategy " + r.strategyId()));
    }
    JsonObject meta = new JsonObject().put("promptfoo_eval", r.evalId()).put("promptfoo_test", r.testIdx()).put("promptfoo_prompt", r.promptIdx());
    if (r.id() != null) {
      meta.put("promptfoo_result", r.id());
    }
    if (r.description() != null) {
      meta.put("description", r.description());
    }
    UUID last = null;
    for (int t = 0; t < r.turns().size(); t++) {
      PromptfooResult.Turn turn = r.turns().get(t);
      boolean final_ = t == r.turns().size() - 1;
      c.sent("p" + t, "user", turn.prompt(), converters.isEmpty() ? null : converters.encode(), meta);
      String error = final_ && r.error() != null ? "unknown" : turn.output() == null ? "unknown" : null;
      JsonObject answerMeta = new JsonObject();
      if (final_) {
        answerMeta.put("promptfoo_success", r.success()).put("promptfoo_score", r.score());
        if (r.error() != null) {
          answerMeta.put("error_detail", r.error());
        }
      }
      last = c.answered("o" + t, turn.output(), error, answerMeta, false);
    }
    for (int i = 0; i < r.assertions().size(); i++) {
      PromptfooResult.Assertion a = r.assertions().get(i);
      JsonObject scoreMeta = new JsonObject().put("promptfoo_pass", a.pass()).put("promptfoo_score", a.score());
      if (a.metric() != null) {
        scoreMeta.put("metric", a.metric());
      }
      c.score(last, "s" + i, Boolean.toString(a.attackSucceeded()), "true_false", r.pluginId() != null ? r.pluginId() : a.type(),
          a.reason(), scoreMeta, new JsonObject().put("__type__", a.type()).put("__module__", "promptfoo.assertions")
              .put("name", "promptfoo " + a.type()), r.description(), a.attackSucceeded());
    }
    c.land(landing);
  }

  /** The executions, once every result has been read. */
  void finish() throws Exception {
    for (Run run : runs.values()) {
      JsonObject labels = new JsonObject().put("source_tool", "promptfoo").put("promptfoo_eval", run.eval.id())
          .put("provider", run.providerId).put("standards", run.standards);
      if (run.eval.redteam()) {
        labels.put("redteam", true);
      }
      LocalDateTime at = time(run.eval.createdAt(), imported);
      landing.execution(new ImportedExecution(run.id, name(run.eval, run.provider), run.eval.redteam() ? "promptfoo redteam" : "promptfoo eval",
          run.eval.promptfooVersion(), labels, run.results, at, at));
    }
  }

  private static String name(PromptfooEval eval, String provider) {
    String what = eval.description() != null && !eval.description().isBlank() ? eval.description() : eval.id();
    return "promptfoo " + what + " · " + provider;
  }

  static LocalDateTime time(String iso, LocalDateTime fallback) {
    if (iso == null || iso.isBlank()) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    } catch (DateTimeParseException e) {
      try {
        return java.time.Instant.parse(iso).atOffset(ZoneOffset.UTC).toLocalDateTime();
      } catch (DateTimeParseException e2) {
        try {
          return LocalDateTime.parse(iso.replace(' ', 'T'));
        } catch (DateTimeParseException e3) {
          return fallback;
        }
      }
    }
  }
}
