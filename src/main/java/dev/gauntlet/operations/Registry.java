package dev.gauntlet.operations;

import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.appdb.SwitchEventLog;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.dataset.AttackSets;
import dev.gauntlet.files.UserFiles;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.ResultsQuery;
import dev.gauntlet.orchestrator.OrchestratorClient;
import dev.gauntlet.orchestrator.Resolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

import static dev.gauntlet.operations.Args.ID;
import static dev.gauntlet.operations.Args.OFFSET;
import static dev.gauntlet.operations.Args.limit;
import static dev.gauntlet.operations.Shapes.CONFIG;
import static dev.gauntlet.operations.Shapes.EXECUTION;
import static dev.gauntlet.operations.Shapes.EXECUTION_STATE;
import static dev.gauntlet.operations.Shapes.any;
import static dev.gauntlet.operations.Shapes.arrayOf;
import static dev.gauntlet.operations.Shapes.bool;
import static dev.gauntlet.operations.Shapes.integer;
import static dev.gauntlet.operations.Shapes.items;
import static dev.gauntlet.operations.Shapes.nullableString;
import static dev.gauntlet.operations.Shapes.object;
import static dev.gauntlet.operations.Shapes.string;

/**
 * What Gauntlet can do, one operation a line: the table of contents of its application layer.
 * REST routes, the event-bus bridge, the pages, the OpenAPI document and the MCP server all
 * serve these and nothing else; a new operation is added here, once.
 */
public final class Registry {

  /** What the operations reach: the stores, the memory shards, the orchestrator, the files. */
  public record Services(Vertx vertx, MemoryClient memory, Resolver resolver, SecretBox secrets, AppDatabase db, Users users,
                         ApiKeys keys, AuditLog audit, SwitchEventLog switches, Accounts accounts, MemoryPaths paths, UserFiles files) {}

  private Registry() {}

  /** Every operation; {@code surface} describes the live HTTP routes and bus addresses for {@code admin.routes}. */
  public static Operations of(Services s, Supplier<JsonObject> surface) {
    Configurations configs = new Configurations(s.memory(), s.secrets());
    Datasets datasets = new Datasets(s.vertx(), s.memory(), configs);
    TryOuts tryOuts = new TryOuts(s.resolver(), datasets);
    OrchestratorClient orchestrators = new OrchestratorClient(s.vertx());
    Executions executions = new Executions(s.memory(), orchestrators);
    Memories memories = new Memories(s.memory(), s.files());
    Dashboards dashboards = new Dashboards(s.memory(), memories);
    Reviews reviews = new Reviews(s.memory());
    JudgeQualities qualities = new JudgeQualities(s.memory());
    Credentials credentials = new Credentials(s.accounts(), s.keys());
    Administration admin = new Administration(s.vertx(), s.accounts(), s.users(), s.audit(), s.switches(), s.memory(), orchestrators,
        s.paths(), s.files(), s.db() == null ? null : new dev.gauntlet.appdb.ExecutionIndex(s.db().pool(s.vertx())));
    Maintenance maintenance = new Maintenance(s.vertx(), s.users(), s.memory(), s.db(), s.files());
    Budgets budgets = new Budgets(s.vertx(), s.db() == null ? null : new dev.gauntlet.appdb.ProviderBudgetStore(s.db().pool(s.vertx())));
    Param value = Param.object("value").required().describe("the configuration: name, type, parameters (datasets: name, description, prompts)");
    Param format = Param.choice("format", "csv", "jsonl", "parquet", "html", "pyrit-sqlite").defaultValue("csv").describe("the file's format (pyrit-sqlite: a PyRIT 1.x memory that PyRIT opens)");
    Param[] dashboardFilter = {Param.integer("days").min(1).max(3650).describe("only the last N days"),
        Param.string("scorer").describe("a scorer's name"), Param.string("generator").describe("a generator's name"),
        Param.string("label").describe("a label, key=value"), Param.string("execution").describe("an execution's id")};
    Operations ops = new Operations();

    // configurations: five operations per kind, and the catalog of types each kind offers
    for (ConfigKind kind : ConfigKind.values()) {
      String k = kind.table();
      String one = kind.singular();
      ops.add(Operation.read(k + ".list", "List your " + k + ", a page at a time").params(OFFSET, limit(100))
          .returns(Shapes.page(Shapes.LISTED_CONFIG)).handler(configs.list(kind)));
      ops.add(Operation.read(k + ".get", "Read one " + one + (kind == ConfigKind.DATASETS ? " with a page of its prompts" : ""))
          .params(ID, OFFSET, limit(1000)).returns(CONFIG).handler(configs.get(kind)));
      ops.add(Operation.write(k + ".create", "Create a " + one).params(value).returns(CONFIG).handler(configs.create(kind)));
      ops.add(Operation.write(k + ".update", "Replace a " + one + "'s configuration").params(ID, value).returns(CONFIG)
          .handler(configs.update(kind)));
      ops.add(Operation.write(k + ".delete", "Delete a " + one + " (a 409 listing what still uses it, unless force=true)")
          .params(ID, Param.bool("force").defaultValue(false).describe("delete even if other configurations still use it"))
          .returns(object("deleted", string(), "name?", string(), "used_by?", arrayOf(Shapes.CONFIG_USER))).handler(configs.delete(kind)));
      ops.add(Operation.write(k + ".duplicate", "Copy a " + one + " under the first free \"name (copy)\"").params(ID).returns(CONFIG)
          .handler(configs.duplicate(kind)));
      if (kind != ConfigKind.DATASETS) {
        ops.add(Operation.read(k + ".types", "The " + one + " types Gauntlet offers, with their parameters")
            .returns(object("kind", string(), "types", arrayOf(Shapes.CATALOG_TYPE))).handler(Configurations.types(kind)));
      }
    }

    // datasets beyond plain configuration
    ops.add(Operation.read("datasets.builtin", "The built-in datasets Gauntlet ships").returns(items(object("id", string(), "name", string())))
        .handler(datasets::builtin));
    ops.add(Operation.write("datasets.import_builtin", "Copy a built-in dataset into your memory")
        .params(Param.string("builtin_id").required(), Param.string("name").describe("the new dataset's name"))
        .returns(CONFIG).handler(datasets::importBuiltin));
    ops.add(Operation.read("datasets.upload", "Read a CSV, TSV, JSON, JSONL, TXT or YAML file of prompts (or a HarmBench, AdvBench, JailbreakBench, garak or promptfoo set) into a dataset, or preview it").audited()
        .params(Param.text("content").required().describe("the file's content"), Param.string("name").describe("the new dataset's name"),
            Param.string("format").describe("csv, tsv, json, jsonl, txt or yaml; else from file_name"),
            Param.string("file_name").describe("the file's name, which picks the format"),
            Param.choice("source", AttackSets.Source.ids().toArray(String[]::new)).defaultValue("auto")
                .describe("whose layout the file has: harmbench, advbench, jailbreakbench, garak_payload, promptfoo, or auto (Gauntlet's and PyRIT's)"),
            Param.string("value_field").describe("the field holding each prompt"),
            Param.string("harm_categories_field").describe("the field holding harm categories"),
            Param.bool("preview").defaultValue(false).describe("show the first rows without storing anything"))
        .returns(object("format", string())).handler(datasets::upload));
    ops.add(Operation.write("datasets.combine", "Combine datasets into a new one")
        .params(Param.strings("dataset_ids").required(), Param.string("name").required(), Param.bool("dedupe").defaultValue(true))
        .returns(CONFIG).handler(datasets::combine));
    ops.add(Operation.write("datasets.transform", "Put every prompt of a dataset through a {{prompt}} template, into a new dataset")
        .params(ID, Param.text("template").required(), Param.string("name").required()).returns(CONFIG).handler(datasets::transform));
    ops.add(Operation.write("datasets.derive", "A new dataset of the prompts that got through, from one execution or all memory")
        .params(Param.string("name").required(), Param.string("execution_id")).returns(CONFIG).handler(datasets::derive));

    // probes: the catalog of attack prompt generators, their detectors and the controls they test
    ProbesOps probes = new ProbesOps(configs, datasets);
    Param probeId = Param.string("probe_id").required().describe("a probe's id, e.g. prompt_hijack");
    Param probeCount = Param.integer("count").min(1).describe("how many prompts; the probe's default when absent, at most its max_count");
    Param probeSeed = Param.integer("seed").defaultValue(0).describe("the same seed gives the same prompts");
    JsonObject probeShape = object("id", string(), "family", string(), "description", string(), "taxonomy", arrayOf(string()),
        "default_count", integer(), "max_count", integer(), "detectors", arrayOf(any()));
    ops.add(Operation.read("probes.list", "The probes Gauntlet ships: family, taxonomy ids, counts and detectors")
        .params(Param.string("family").describe("only this family")).returns(items(probeShape)).handler(probes::list));
    ops.add(Operation.read("probes.get", "One probe, with its detectors and the scorers they build on").params(probeId)
        .returns(probeShape).handler(probes::get));
    ops.add(Operation.read("probes.prompts", "Preview a probe's prompts for a count and seed").params(probeId, probeCount, probeSeed)
        .returns(object("probe_id", string(), "seed", integer(), "count", integer(), "prompts", arrayOf(any()))).handler(probes::prompts));
    ops.add(Operation.write("probes.dataset", "Make a dataset of a probe's prompts, with its detectors that need no judge as scorers")
        .params(probeId, probeCount, probeSeed, Param.string("name").describe("the new dataset's name"))
        .returns(Shapes.extend(CONFIG, "dataset_id", string(), "scorer_ids", arrayOf(string()), "member_scorer_ids", arrayOf(string()),
            "skipped", arrayOf(any()))).handler(probes::dataset));

    // trying parts out
    ops.add(Operation.read("generators.egress", "Where generators, LLM converters and judges may connect: the admin's egress policy")
        .returns(object("allowLoopback", bool(), "loopback", string(), "privateRanges", string(), "allow", arrayOf(string()),
            "deny", arrayOf(string()), "allowPorts", arrayOf(integer()), "denyPorts", arrayOf(integer()), "alwaysRefused", arrayOf(string())))
        .handler((c, a) -> io.vertx.core.Future.succeededFuture(s.resolver().egress().policy().toJson())));
    ops.add(Operation.write("generators.test", "Send one prompt (after earlier chat turns) to a generator and see its answer")
        .params(ID, Param.text("prompt").required(), Param.objects("messages").describe("earlier turns: {role, content}"))
        .returns(object("ok", bool(), "answer", nullableString(), "error", string(), "status", integer(), "latency_ms", integer(),
            "attempts", integer(), "detail", nullableString())).handler(tryOuts::testGenerator));
    ops.add(Operation.read("converters.preview", "See prompts through a converter (and more after it), step by step")
        .params(ID, Param.strings("prompts").required(), Param.strings("then").describe("converter ids applied after this one"))
        .returns(items(object("original", string(), "converted?", string(), "steps?", arrayOf(string()), "error?", string())))
        .handler(tryOuts::previewConverter));
    ops.add(Operation.write("converters.apply", "Convert every prompt of a dataset into a new dataset")
        .params(ID, Param.string("dataset_id").required(), Param.strings("then"), Param.string("name"))
        .returns(CONFIG).handler(tryOuts::applyConverter));
    ops.add(Operation.read("scorers.test", "Score a text with a scorer")
        .params(ID, Param.text("text").required(), Param.text("prompt"), Param.text("objective"))
        .returns(object("scores", arrayOf(object("score_type", string(), "score_value", nullableString(),
            "verdict", string(), "undetermined", bool())))).handler(tryOuts::testScorer));

    // forms for people: provider presets, unsaved settings tried, and the guided first campaign
    JsonObject tried = object("ok", bool(), "answer", nullableString(), "error", string(), "status", integer(), "latency_ms", integer(),
        "attempts", integer(), "detail", nullableString());
    ops.add(Operation.read("generators.presets", "Provider presets: the generator type, URL shape, model placeholder, auth style and limits each provider needs")
        .returns(items(object("id", string(), "name", string(), "type", string(), "parameters", object(), "essentials", arrayOf(string()))))
        .handler((c, a) -> Future.succeededFuture(dev.gauntlet.generator.Presets.toJson())));
    ops.add(Operation.write("generators.try", "Send one prompt to generator settings not saved yet (the egress policy applies); with id, masked secrets keep that generator's")
        .params(Param.object("value").required().describe("{type, parameters} as a form holds them"), Param.text("prompt"),
            Param.string("id").describe("the generator being edited, whose stored secrets fill masked ones"))
        .returns(tried).handler(tryOuts::tryGenerator));
    Campaigns campaigns = new Campaigns(s.memory(), configs, datasets, probes, executions, s.resolver());
    ops.add(Operation.write("campaigns.plan", "A campaign before it runs: prompt and request counts, tokens, cost, one prompt through the chain, the scorers on a sample answer")
        .params(Campaigns.params()).returns(object("prompts", integer(), "requests", integer(), "cost", any(), "sample", any(), "verdicts", arrayOf(any())))
        .handler(campaigns::plan));
    ops.add(Operation.write("campaigns.create", "Create a campaign's target, prompts, converters, scorers and orchestrator under readable names, and start it")
        .params(Campaigns.params()).returns(object("name", string(), "generator_id", string(), "dataset_id", string(), "converter_ids", arrayOf(string()),
            "scorer_ids", arrayOf(string()), "orchestrator_id", string(), "execution_id", string(), "status", string()))
        .handler(campaigns::create));

    // executions
    ops.add(Operation.write("executions.start", "Launch an execution of an orchestrator")
        .params(Param.string("orchestrator_id").required(), Param.object("labels").describe("labels given to every piece"))
        .returns(EXECUTION_STATE).handler(executions::start));
    ops.add(Operation.read("executions.list", "List executions, of one orchestrator or all")
        .params(Param.string("orchestrator_id"), OFFSET, limit(50)).returns(items(EXECUTION)).handler(executions::list));
    ops.add(Operation.read("executions.get", "An execution's status and progress").params(ID).returns(EXECUTION).handler(executions::get));
    ops.add(Operation.write("executions.cancel", "Stop a running execution").params(ID).returns(EXECUTION_STATE).handler(executions::cancel));
    ops.add(Operation.write("executions.resume", "Run a stopped execution on from its last committed prompt").params(ID)
        .returns(EXECUTION_STATE).handler(executions::resume));
    ops.add(Operation.read("executions.results", "An execution's results, a page at a time").params(ID, OFFSET, limit(50))
        .returns(object("execution", EXECUTION, "items", arrayOf(any()))).handler(executions::results));
    ops.add(Operation.read("executions.export", "An execution's results as a file").params(ID, format)
        .returnsFile("text/csv", "application/x-ndjson", "application/vnd.apache.parquet", "text/html", "application/vnd.sqlite3").handler(memories::exportExecution));
    ops.add(Operation.write("executions.rescore", "Score an execution's stored answers again with your scorers, sending nothing to its target")
        .params(ID, Param.strings("scorer_ids").required().describe("the scorers to apply (new ones, or edited versions)"))
        .returns(EXECUTION_STATE).handler(executions::rescore));
    ops.add(Operation.read("rescores.get", "A re-scoring job's status and progress").params(ID)
        .returns(object("id", string(), "status", string(), "progress", any())).handler(executions::rescoreStatus));
    ops.add(Operation.write("rescores.cancel", "Stop a running re-scoring job").params(ID).returns(EXECUTION_STATE)
        .handler(executions::rescoreCancel));
    ops.add(Operation.write("rescores.resume", "Run a stopped re-scoring job on from its last committed batch").params(ID)
        .returns(EXECUTION_STATE).handler(executions::rescoreResume));
    ops.add(Operation.read("orchestrators.instance", "The live instance of an orchestrator, built from its configuration").params(ID)
        .returns(object("orchestrator_id", string(), "name", string(), "type", string(), "built_at", string(), "config_updated_at?",
            nullableString())).handler(executions::instance));

    // memory
    ops.add(Operation.write("memory.pieces.append", "Store prompt pieces and scores in your memory")
        .params(Param.objects("pieces").required().describe("PyRIT prompt pieces"), Param.objects("scores").describe("scores of those pieces"))
        .returns(object("pieces", integer(), "scores", integer(), "duplicates", integer())).handler(memories::append));
    ops.add(Operation.read("memory.conversations.list", "List your conversations").params(OFFSET, limit(50))
        .returns(Shapes.page(object("conversation_id", string(), "pieces", integer(), "first_at", string(), "last_at", string())))
        .handler(memories::conversations));
    ops.add(Operation.read("memory.conversations.get", "A conversation's pieces and scores").params(ID)
        .returns(object("conversation_id", string(), "pieces", arrayOf(any()), "scores", arrayOf(any()))).handler(memories::conversation));
    ops.add(Operation.read("database.status", "Your memory: its file, size and row counts").returns(object("file", string(),
            "size_bytes", integer(), "wal_bytes?", integer(), "total_bytes?", integer(), "schema_version", integer(), "tables", new JsonObject().put("type", "object")
                .put("additionalProperties", integer())))
        .handler(memories::status));
    ops.add(Operation.read("memory.export", "Results from your memory as a file")
        .params(format, Param.string("execution_id"), Param.string("conversation_id"), Param.string("role"), Param.string("label_key"),
            Param.string("label_value"), Param.integer("days").min(1).max(3650))
        .returnsFile("text/csv", "application/x-ndjson", "application/vnd.apache.parquet", "text/html", "application/vnd.sqlite3").handler(memories::exportMemory));
    ops.add(Operation.write("imports.create", "Import another tool's file (" + String.join(", ", dev.gauntlet.imports.ImportFormats.ids()) + ") into your memory, or an admin's into a named user's: all of it or nothing, ids kept so a second import adds nothing; counts per table").params(Param.choice("format", dev.gauntlet.imports.ImportFormats.ids().toArray(String[]::new)).describe("the file's format; recognized from the file when absent"), Param.bool("dry_run").defaultValue(false).describe("run every check, store nothing"), Param.string("user").describe("admins: the user whose memory receives it")).returns(object("format", string(), "tool", string(), "file", string(), "user", string(), "dry_run", bool(), "tables", object(), "rows", integer())).handler(new ImportOps(s.vertx(), s.memory(), s.users(), s.audit())::create));
    ops.add(Operation.read("memory.backup", "A consistent copy of your memory file").returnsFile("application/octet-stream")
        .handler(memories::backup));

    // the dashboard
    ops.add(Operation.read("dashboard.summary", "Attack success figures under a filter").params(dashboardFilter)
        .returns(Shapes.figures("executions", integer(), "since", string(), "filters", object(), "by_scorer", arrayOf(Shapes.figures("scorer",
            string())), "by_generator", arrayOf(Shapes.figures("generator", string())), "by_execution", arrayOf(Shapes.figures("execution_id",
            string())), "by_day", arrayOf(Shapes.figures("day", string())), "rows", arrayOf(any()), "options", object()))
        .handler(dashboards::summary));
    ops.add(Operation.read("dashboard.results", "Detailed results under a filter, a page at a time")
        .params(concat(dashboardFilter, Param.string("sort"), Param.choice("dir", "asc", "desc"), Param.integer("limit").min(1).max(ResultsQuery.MAX_LIMIT),
            Param.string("after").describe("cursor of the next page"), Param.string("before").describe("cursor of the previous page")))
        .returns(items(any())).handler(dashboards::results));
    ops.add(Operation.read("dashboard.compare", "Two or more executions compared, prompt by prompt (a row per prompt all of them sent, "
            + "a cell per execution); the matrix's chips keep a prompt when any compared execution's result matches them all")
        .params(Param.string("a").required(), Param.string("b").required(),
            Param.string("more").describe("further executions compared, comma-separated ids (" + (Dashboards.MAX_COMPARED - 2) + " at most)"),
            Param.string("outcome").describe("outcomes, comma-separated: attack_succeeded, held, unscored, error"),
            Param.string("harm_category").describe("a harm category of the prompt"), Param.string("probe").describe("a probe (its label)"),
            Param.string("chain").describe("a converter chain: names in order joined by ' → ', or 'no converters'"),
            Param.string("attack").describe("an attack (the orchestrator type)"),
            Param.choice("reviewed", "yes", "no").describe("whether a person reviewed the result"),
            Param.string("q").describe("search words, all of which a prompt or its answer contains (case-insensitive)"))
        .returns(object("a", any(), "b", any(), "test", object(),
            "scorers", arrayOf(any()), "harm_categories", arrayOf(Shapes.COMPARED_GROUP), "converter_chains", arrayOf(Shapes.COMPARED_GROUP),
            "others", arrayOf(any()), "prompts", object()))
        .handler(dashboards::compare));
    ops.add(Operation.read("dashboard.export", "Every result a filter keeps, as a file")
        .params(concat(dashboardFilter, Param.choice("format", "csv", "jsonl", "parquet").defaultValue("csv")))
        .returnsFile("text/csv", "application/x-ndjson", "application/vnd.apache.parquet").handler(dashboards::export));
    ops.add(Operation.read("dashboard.matrix", "Prompts × executions (or generators), each cell the prompt's outcome, under chips and search words")
        .params(Dashboards.matrixParams(dashboardFilter)).returns(Dashboards.MATRIX_SHAPE).handler(dashboards::matrix));
    ops.add(Operation.read("dashboard.heatmap", "Attack success by generator × harm category (probe, scorer, chain or attack), by chain, attack, run and time")
        .params(Dashboards.heatmapParams(dashboardFilter)).returns(Dashboards.HEATMAP_SHAPE).handler(dashboards::heatmap));

    // human review: a person's verdict on a result wins over the automatic one everywhere
    Param pieceId = Param.string("piece_id").required().describe("the answer piece's id (a result's piece_id)");
    ops.add(Operation.write("reviews.set", "Record your verdict on a result: attack_succeeded, held or not_applicable, with a comment")
        .params(pieceId, Param.choice("verdict", "attack_succeeded", "held", "not_applicable").required(),
            Param.text("comment").describe("why, for whoever reads the review"))
        .returns(object("piece_id", string(), "verdict", string())).handler(reviews::set));
    ops.add(Operation.read("reviews.get", "A result as a reviewer sees it: prompt, answer, automatic scores, current review and history")
        .params(pieceId).returns(object("piece_id", string(), "scores", arrayOf(any()), "review", any())).handler(reviews::get));
    ops.add(Operation.read("reviews.list", "Current reviews, of one execution or all, newest first")
        .params(Param.string("execution_id"), OFFSET, limit(50)).returns(items(object("piece_id", string(), "verdict", string())))
        .handler(reviews::list));
    ops.add(Operation.read("reviews.queue", "Results to review: a random sample per scorer, scorer disagreements, or unscored answers")
        .params(Param.choice("source", "sample", "disagreement", "unscored").defaultValue("sample"),
            Param.integer("size").min(1).max(1000).defaultValue(20).describe("sample size per scorer"),
            Param.string("scorer").describe("sample one scorer only (its name)"), Param.string("execution_id"),
            Param.string("seed").describe("the same seed draws the same sample"),
            Param.bool("include_reviewed").defaultValue(false).describe("keep results already reviewed"), OFFSET, limit(100))
        .returns(items(object("piece_id", string()))).handler(reviews::queue));
    ops.add(Operation.read("scorers.quality", "How far a scorer agrees with people, per version, newest first: agreement, precision "
            + "and recall of attack succeeded, false positives and negatives, Cohen's kappa and the reviews behind them")
        .params(ID).returns(object("scorer_id", string(), "current_version", string(), "versions", arrayOf(any())))
        .handler(qualities::ofScorer));
    ops.add(Operation.read("reviews.quality", "Judge quality of every scorer version with reviewed results, newest first")
        .returns(items(object("scorer_id", string(), "version", string(), "quality", any()))).handler(qualities::all));

    // standards, compliance reports and scans
    Scans scans = new Scans(s.memory(), configs, orchestrators);
    Param reportFormat = Param.choice("format", "json", "html").defaultValue("json").describe("json, or html: a self-contained page");
    Param minJudged = Param.integer("min_judged").min(1).defaultValue(Scans.MIN_JUDGED).describe("judged results a control needs to pass");
    JsonObject report = object("subject?", object(), "counts?", object(), "min_judged?", integer(), "executions?", arrayOf(any()),
        "frameworks?", arrayOf(object("id", string(), "name", string(), "counts", object(), "controls", arrayOf(object("id", string(),
            "key", string(), "name", string(), "status", string(), "prompts", integer(), "outcomes", object(), "attack_success_rate", object(),
            "tested_by", object(), "evidence", arrayOf(any()))))), "format?", string(), "html?", string());
    Param[] scanParams = {Param.strings("probes").describe("probe ids (or give preset)"),
        Param.choice("preset", "owasp_llm_top10", "quick", "full").describe("a preset set of probes (or give probes)"),
        Param.strings("generator_ids").required().describe("the generators under test"),
        Param.strings("strategies").describe("orchestrator types to run each probe with (default prompt_sending)"),
        Param.objects("converter_chains").describe("each {\"converter_ids\": [...]}, applied in order; default none"),
        Param.integer("count").min(1).describe("prompts per probe (default each probe's own)"), Param.integer("seed").describe("same seed, same prompts"),
        Param.string("judge_generator_id").describe("the judge for LLM detectors"),
        Param.string("attacker_generator_id").describe("the attacker for multi-turn strategies"),
        Param.object("prices").describe("generator id -> {price_per_1k_input_tokens, price_per_1k_output_tokens}"),
        Param.integer("answer_tokens").min(1).defaultValue(256).describe("assumed answer length, for the estimate"),
        Param.string("name").describe("the scan's name")};
    ops.add(Operation.read("standards.list", "The standards table: frameworks, their controls, and what each attack, converter category and harm category tests")
        .returns(object("frameworks", arrayOf(object("id", string(), "name", string(), "controls", arrayOf(any()))), "attacks", object(),
            "converter_categories", object(), "harm_categories", object())).handler(scans::standards));
    ops.add(Operation.read("compliance.execution", "An execution's compliance report: per framework control, what tested it, outcomes, rate and status")
        .params(ID, reportFormat, minJudged).returns(report).handler(scans::complianceOfExecution));
    ops.add(Operation.read("compliance.scan", "A scan's compliance report over all its executions")
        .params(ID, reportFormat, minJudged).returns(report).handler(scans::complianceOfScan));
    ops.add(Operation.write("scans.plan", "What a scan would send, before anything is (nothing is sent or stored): prompts, requests, tokens, cost and controls covered")
        .params(scanParams).returns(object("items", arrayOf(any()), "totals", object(), "controls", arrayOf(string()), "coverage", object()))
        .handler(scans::plan));
    ops.add(Operation.write("scans.create", "Run a scan: each probe's dataset and detectors, an execution per generator × strategy × chain")
        .params(scanParams).returns(object("id", string(), "name", string(), "status", string(), "executions", arrayOf(any())))
        .handler(scans::create));
    ops.add(Operation.read("scans.list", "Your scans, newest first").params(OFFSET, limit(50))
        .returns(items(object("id", string(), "name", string()))).handler(scans::list));
    ops.add(Operation.read("scans.get", "A scan: its executions with live progress, its status and outcome counts")
        .params(ID).returns(object("id", string(), "name", string(), "status", string(), "progress", object(),
            "executions", arrayOf(any()))).handler(scans::get));

    // who you are, and your keys
    ops.add(Operation.open("auth.token", "Sign in with a local account for an access token")
        .params(Param.string("username").required(), Param.secret("password").required())
        .returns(object("access_token", string(), "token_type", string(), "expires_in", integer())).handler(credentials::token));
    ops.add(Operation.read("auth.me", "Who the credential belongs to, with its roles and scopes")
        .returns(object("id", string(), "username", string(), "roles", arrayOf(string()), "scopes", arrayOf(string()),
            "credential", string(), "memory_file", string(), "key_id", nullableString(), "must_change_password?", bool()))
        .handler(credentials::me));
    ops.add(Operation.write(Operations.CHANGE_PASSWORD, "Set your own new password, giving the current one (a generated password must be "
            + "replaced before anything else)")
        .params(Param.secret("current_password").required(), Param.secret("new_password").required().describe("8 to 1024 characters"))
        .returns(object("changed", bool())).handler(credentials::changePassword));
    ops.add(Operation.write("keys.create", "Create an API key (shown once)")
        .params(Param.string("name").required(), Param.strings("scopes").describe("read, write, admin"),
            Param.string("expires_at").describe("ISO-8601 instant"))
        .returns(Shapes.extend(Shapes.KEY, "key", string())).handler(credentials::createKey));
    ops.add(Operation.read("keys.list", "Your API keys (never the keys themselves)").returns(items(Shapes.KEY))
        .handler(credentials::listKeys));
    ops.add(Operation.write("keys.revoke", "Revoke one of your API keys").params(ID).returns(object("revoked", string()))
        .handler(credentials::revokeKey));

    // administration
    ops.add(Operation.admin("admin.users.create", "Create a local user")
        .params(Param.string("username").required(), Param.secret("password").required(), Param.strings("roles"))
        .returns(Shapes.USER).handler(admin::createUser));
    ops.add(Operation.admin("admin.users.list", "Every registered user").returns(items(Shapes.USER))
        .handler(admin::listUsers));
    ops.add(Operation.admin("admin.users.update", "Change a user's login, display name, roles or password")
        .params(ID, Param.string("login"), Param.string("display_name"), Param.strings("roles"), Param.secret("password"))
        .returns(Shapes.USER).handler(admin::updateUser));
    ops.add(Operation.admin("admin.users.disable", "Disable a user: their sessions, tokens and API keys stop at once (never the last admin)")
        .params(ID).returns(Shapes.USER).handler(admin::disableUser));
    ops.add(Operation.admin("admin.users.enable", "Enable a disabled user again").params(ID).returns(Shapes.USER).handler(admin::enableUser));
    ops.add(Operation.admin("admin.users.delete", "Delete a user; their memory file is moved to the archive folder, never erased")
        .params(ID).returns(object("deleted", string(), "username", string(), "archive", string(), "files", arrayOf(string())))
        .handler(admin::deleteUser));
    ops.add(Operation.admin("admin.memory.health", "Memory files, users, orphans and switch events (0 when healthy)")
        .returns(object("files", integer(), "users", integer(), "open_connections", integer(), "orphans", arrayOf(string()),
            "switch_events", integer(), "memory_dir", string(), "archived", arrayOf(any()), "nodes", arrayOf(any()),
            "unanswered_nodes", arrayOf(string()))).handler(admin::memoryHealth));
    ops.add(Operation.admin("admin.memory.connections", "Open memory connections, per shard of every node")
        .returns(object("shards", arrayOf(any()), "nodes", arrayOf(any()), "unanswered_nodes", arrayOf(string())))
        .handler(admin::memoryConnections));
    ops.add(Operation.admin("admin.memory.close_all", "Close every open memory connection on every node (they reopen at the same path)")
        .returns(object("shards", arrayOf(any()), "nodes", arrayOf(any()), "unanswered_nodes", arrayOf(string())))
        .handler(admin::closeMemoryConnections));
    ops.add(Operation.admin("admin.orchestrators.stats", "The orchestrator instance cache and running executions")
        .returns(object("instances", integer())).handler(admin::orchestratorStats));
    ops.add(Operation.admin("admin.orchestrators.evict", "Empty the orchestrator instance cache").returns(object("evicted", integer()))
        .handler(admin::evictOrchestrators));
    ops.add(Operation.admin("admin.audit", "The audit log, filtered and paged")
        .params(Param.string("user"), Param.string("actor"), Param.string("action").describe("a prefix"),
            Param.string("resource").describe("a prefix"), Param.choice("outcome", "success", "refused", "failed"),
            Param.string("since").describe("ISO-8601 instant"), Param.string("until").describe("ISO-8601 instant"), OFFSET, limit(100))
        .returns(Shapes.page(object("id", integer(), "at", string(), "actor", nullableString(), "action", string(),
            "resource", nullableString(), "outcome", string(), "status", integer(), "address", nullableString(),
            "user_agent", nullableString(), "detail", nullableString()))).handler(admin::auditLog));
    ops.add(Operation.admin("admin.routes", "Every HTTP route and bus address a client can call")
        .returns(object("http", arrayOf(object("method", string(), "path", string())), "bus", any()))
        .handler((c, a) -> Future.succeededFuture(surface.get())));
    ops.add(Operation.admin("admin.memory.consolidate", "Merge stray memory files in a server directory into a user's memory")
        .params(Param.string("from").required(), Param.string("user"), Param.bool("dry_run").defaultValue(false))
        .returns(object("files", arrayOf(any()))).handler(maintenance::consolidate));
    ops.add(Operation.admin("admin.backup", "A consistent copy of the app database and memories, while the server runs")
        .params(Param.string("user")).returns(object("dir", string(), "files", arrayOf(any()))).handler(maintenance::backup));
    ops.add(Operation.admin("admin.budgets.list", "Provider budgets per endpoint host, with what each host used today and what remains")
        .returns(items(BUDGET)).handler(budgets::list));
    ops.add(Operation.admin("admin.budgets.put", "Set an endpoint host's budget, shared by every user and execution: requests per "
            + "minute, tokens per UTC day, a daily spend cap in US dollars priced per model (0: no limit)")
        .params(Param.string("host").required().describe("the endpoint's host name, e.g. api.openai.com"),
            Param.integer("requests_per_minute").min(0).max(1_000_000).describe("requests a minute, evenly spaced; 0 for none"),
            Param.integer("tokens_per_day").min(0).describe("input and output tokens per UTC day; 0 for none"),
            Param.number("spend_cap_usd").min(0).describe("US dollars per UTC day, from prices; 0 for none"),
            Param.object("prices").describe("model (or * for any) -> {input_per_million, output_per_million} in US dollars"))
        .returns(BUDGET).handler(budgets::put));
    ops.add(Operation.admin("admin.budgets.delete", "Remove an endpoint host's budget (what it used stays on record)")
        .params(Param.string("host").required()).returns(object("deleted", string())).handler(budgets::delete));
    return ops;
  }

  /** A provider budget as admins see it: the limits, and today's usage and remainder (null when not counted here). */
  private static final JsonObject BUDGET = object("host", string(), "requests_per_minute", integer(), "tokens_per_day", integer(),
      "spend_cap_usd", Shapes.number(), "prices", any(), "updated_at", string(), "updated_by", nullableString(), "used", any(),
      "remaining", any(), "exhausted", bool());

  private static Param[] concat(Param[] first, Param... more) {
    Param[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
