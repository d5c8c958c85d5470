package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.converter.Converters;
import dev.gauntlet.dataset.SeedPrompt;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.ConfigNaming;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.orchestrator.OrchestratorClient;
import dev.gauntlet.probe.Detector;
import dev.gauntlet.probe.Probe;
import dev.gauntlet.scan.ScanPlan;
import dev.gauntlet.scan.ScanRequest;
import dev.gauntlet.scorer.Scorers;
import dev.gauntlet.standards.Compliance;
import dev.gauntlet.standards.ComplianceHtml;
import dev.gauntlet.standards.Standards;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gauntlet.operations.Args.page;

/**
 * Scans (a set of probes × detectors × strategies × converter chains against generators, run as
 * ordinary executions labelled {@code scan} and {@code probe}), their plans, and compliance reports
 * of an execution or a scan against the standards table.
 */
final class Scans {

  /** Judged results a control needs to pass, unless the caller says otherwise. */
  static final int MIN_JUDGED = 5;

  private final MemoryClient memory;
  private final Configurations configs;
  private final OrchestratorClient orchestrators;

  Scans(MemoryClient memory, Configurations configs, OrchestratorClient orchestrators) {
    this.memory = memory;
    this.configs = configs;
    this.orchestrators = orchestrators;
  }

  Future<JsonObject> standards(Caller c, JsonObject a) {
    return Future.succeededFuture(Standards.table().toJson());
  }

  /** The plan, with nothing sent and nothing stored. */
  Future<JsonObject> plan(Caller c, JsonObject a) {
    ScanRequest r = ScanRequest.parse(a);
    return checked(c.owner(), r).map(generators -> ScanPlan.of(r, generators));
  }

  /**
   * Plans, records the scan, then per probe creates its dataset and detector scorers and, per
   * generator × strategy × chain, an orchestrator it launches as an execution. A failure part way
   * is kept on the scan; what launched keeps running.
   */
  Future<JsonObject> create(Caller c, JsonObject a) {
    ScanRequest r = ScanRequest.parse(a);
    MemoryOwner owner = c.owner();
    return checked(owner, r).compose(generators -> {
      JsonObject plan = ScanPlan.of(r, generators);
      JsonObject request = a.copy();
      return memory.scans(owner).create(r.name(), request, plan);
    }).compose(scan -> {
      String scanId = scan.getString("id");
      Future<Void> chain = Future.succeededFuture();
      for (Probe probe : r.probes()) {
        chain = chain.compose(v -> launchProbe(owner, r, scanId, probe));
      }
      return chain.transform(done -> {
        if (done.failed()) {
          return memory.scans(owner).fail(scanId, done.cause().getMessage()).compose(x -> memory.scans(owner).get(scanId))
              .map(Scans::aggregated);
        }
        return memory.scans(owner).get(scanId).map(Scans::aggregated);
      });
    });
  }

  Future<JsonObject> list(Caller c, JsonObject a) {
    JsonObject page = page(a, 50);
    return memory.scans(c.owner()).list(page.getInteger("offset"), page.getInteger("limit"));
  }

  /** The scan with each execution's progress, and the status and outcome counts over all of them. */
  Future<JsonObject> get(Caller c, JsonObject a) {
    return memory.scans(c.owner()).get(Args.id(a)).map(Scans::aggregated);
  }

  Future<JsonObject> complianceOfExecution(Caller c, JsonObject a) {
    String id = Args.id(a);
    JsonObject subject = new JsonObject().put("kind", "execution").put("id", id);
    return memory.executions(c.owner()).getWithoutCounts(id)
        .compose(e -> memory.scans(c.owner()).compliance(new JsonArray().add(id)))
        .map(rows -> answer(a, Compliance.report(subject, rows, Scans::converterCategory, minJudged(a))));
  }

  Future<JsonObject> complianceOfScan(Caller c, JsonObject a) {
    String id = Args.id(a);
    MemoryClient.Scans scans = memory.scans(c.owner());
    return scans.get(id).compose(scan -> scans.executionIds(id).compose(ids -> scans.compliance(ids.getJsonArray("ids")))
        .map(rows -> answer(a, Compliance.report(new JsonObject().put("kind", "scan").put("id", id).put("name", scan.getString("name")),
            rows, Scans::converterCategory, minJudged(a)))));
  }

  /** The report as JSON, or for {@code format=html} its page under {@code html} (REST sends it as the page itself). */
  private static JsonObject answer(JsonObject a, JsonObject report) {
    String format = a.getString("format", "json");
    if (format.equals("html")) {
      return new JsonObject().put("format", "html").put("html", ComplianceHtml.render(report));
    }
    if (!format.equals("json")) {
      throw Problem.badRequest("invalid_parameter", "format must be json or html");
    }
    return report;
  }

  private static int minJudged(JsonObject a) {
    return Args.bounded(a, "min_judged", MIN_JUDGED, 1, 1_000_000);
  }

  private static String converterCategory(String type) {
    return Converters.catalog().has(type) ? Converters.catalog().get(type).category() : null;
  }

  /** The caller's generators (a 404 for one not theirs), after checking converters and detectors' judges. */
  private Future<Map<String, JsonObject>> checked(MemoryOwner owner, ScanRequest r) {
    for (Probe p : r.probes()) {
      for (Detector d : p.detectors(r.seed())) {
        judge(d, r.judgeGeneratorId());
      }
    }
    Map<String, JsonObject> generators = new LinkedHashMap<>();
    List<Future<?>> reads = new ArrayList<>();
    for (String id : r.generatorIds()) {
      reads.add(memory.configs(owner).get(ConfigKind.GENERATORS, id).onSuccess(g -> generators.put(id, g)));
    }
    for (String id : new String[] {r.attackerGeneratorId(), r.judgeGeneratorId()}) {
      if (id != null) {
        reads.add(memory.configs(owner).get(ConfigKind.GENERATORS, id));
      }
    }
    r.chains().stream().flatMap(List::stream).distinct().forEach(id -> reads.add(memory.configs(owner).get(ConfigKind.CONVERTERS, id)));
    return Future.all(reads).map(v -> {
      Map<String, JsonObject> ordered = new LinkedHashMap<>();
      r.generatorIds().forEach(id -> ordered.put(id, generators.get(id)));
      return ordered;
    });
  }

  /** A detector's parameters, its judge filled in: a scorer type that needs a generator takes {@code judge_generator_id}. */
  private static JsonObject judge(Detector d, String judgeId) {
    JsonObject params = d.parameters().copy();
    for (Param p : Scorers.catalog().get(d.scorerType()).schema().params()) {
      if (p.kind() == Param.Kind.GENERATOR_ID && params.getValue(p.name()) == null) {
        if (judgeId != null) {
          params.put(p.name(), judgeId);
        } else if (p.isRequired()) {
          throw Problem.badRequest("judge_required", "detector '" + d.name() + "' (" + d.scorerType() + ") needs a judge: give 'judge_generator_id'");
        }
      }
    }
    return params;
  }

  private Future<Void> launchProbe(MemoryOwner owner, ScanRequest r, String scanId, Probe probe) {
    JsonArray prompts = new JsonArray();
    for (SeedPrompt p : probe.prompts(r.counts().get(probe.id()), r.seed())) {
      prompts.add(new JsonObject().put("value", p.value()).put("harm_categories", new JsonArray(p.harmCategories())));
    }
    String tag = "scan " + r.name() + " · " + probe.id();
    Future<JsonObject> dataset = configs.create(owner, ConfigKind.DATASETS, new JsonObject().put("name", tag)
        .put("description", probe.description() + " (" + prompts.size() + " prompts, seed " + r.seed() + ")").put("prompts", prompts),
        ConfigNaming.NEXT_FREE);
    Future<JsonArray> scorers = Future.succeededFuture(new JsonArray());
    for (Detector d : probe.detectors(r.seed())) {
      scorers = scorers.compose(ids -> configs.create(owner, ConfigKind.SCORERS, new JsonObject().put("name", tag + " · " + d.name())
          .put("type", d.scorerType()).put("parameters", judge(d, r.judgeGeneratorId())), ConfigNaming.NEXT_FREE).map(s -> ids.add(s.getString("id"))));
    }
    Future<JsonArray> scorerIds = scorers;
    return dataset.compose(ds -> scorerIds.compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (String generatorId : r.generatorIds()) {
        for (String strategy : r.strategies()) {
          for (List<String> converters : r.chains()) {
            JsonObject params = new JsonObject().put("generator_id", generatorId).put("dataset_id", ds.getString("id"))
                .put("scorer_ids", ids.copy());
            if (!converters.isEmpty()) {
              params.put("converter_ids", new JsonArray(converters));
            }
            if (ScanRequest.multiTurn(strategy)) {
              params.put("attacker_generator_id", r.attackerGeneratorId());
              if (!ids.isEmpty()) {
                params.put("objective_scorer_id", ids.getString(0));
              }
            }
            JsonObject labels = new JsonObject().put("scan", scanId).put("probe", probe.id());
            chain = chain.compose(v -> configs.create(owner, ConfigKind.ORCHESTRATORS, new JsonObject()
                    .put("name", tag + " · " + strategy + (converters.isEmpty() ? "" : " · " + String.join("+", converters)))
                    .put("type", strategy).put("parameters", params), ConfigNaming.NEXT_FREE)
                .compose(o -> orchestrators.start(owner, o.getString("id"), labels)).mapEmpty());
          }
        }
      }
      return chain;
    }));
  }

  /** A scan's status from its executions' (running while any runs; failed if any failed; else the one they share) and summed counts. */
  static JsonObject aggregated(JsonObject scan) {
    JsonObject totals = new JsonObject().put("total", 0L).put("done", 0L).put("attack_succeeded", 0L).put("held", 0L)
        .put("error", 0L).put("unscored", 0L);
    List<String> statuses = new ArrayList<>();
    for (Object o : scan.getJsonArray("executions", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      statuses.add(e.getString("status"));
      JsonObject p = e.getJsonObject("progress", new JsonObject());
      for (String k : totals.fieldNames()) {
        totals.put(k, totals.getLong(k) + p.getLong(k, 0L));
      }
    }
    String status;
    if (statuses.isEmpty()) {
      status = scan.getString("error") != null ? "failed" : "queued";
    } else if (statuses.stream().anyMatch(s -> s.equals("running") || s.equals("queued"))) {
      status = "running";
    } else if (statuses.stream().anyMatch(s -> s.equals("failed")) || scan.getString("error") != null) {
      status = "failed";
    } else if (statuses.stream().allMatch(s -> s.equals(statuses.get(0)))) {
      status = statuses.get(0);
    } else {
      status = "completed_with_errors";
    }
    return scan.put("status", status).put("progress", totals);
  }
}
