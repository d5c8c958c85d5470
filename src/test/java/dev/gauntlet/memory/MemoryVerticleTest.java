package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import dev.gauntlet.config.MemoryConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real memory shard on a worker, reached over the event bus exactly as the HTTP layer reaches it. */
@ExtendWith(VertxExtension.class)
class MemoryVerticleTest {

  record SwitchEvent(String username, String registeredFile, String attemptedFile, String origin) {}

  @TempDir
  Path dir;

  private Vertx vertx;
  private MemoryPaths paths;
  private final List<SwitchEvent> switches = new CopyOnWriteArrayList<>();
  private MemoryClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.paths = new MemoryPaths(dir.resolve("memory"), "test-salt".getBytes(StandardCharsets.UTF_8));
    MemoryClient.registerCodec(vertx);
  }

  private MemoryConfig config(int shards, int maxOpen, long idleCloseSeconds) {
    return new MemoryConfig(paths.dir(), "", shards, maxOpen, idleCloseSeconds, "256MB", 1);
  }

  /** Deploys one worker shard per configured shard, all sharing the test's paths and switch-event recorder. */
  private void deploy(MemoryConfig config) {
    for (int i = 0; i < config.shards(); i++) {
      await(vertx.deployVerticle(new MemoryVerticle(i, paths, config,
              (u, registered, attempted, origin) -> switches.add(new SwitchEvent(u, registered, attempted, origin))),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    }
    client = new MemoryClient(vertx, config.shards());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no reply in time", e);
    }
  }

  private MemoryOwner owner(String username) {
    return new MemoryOwner(username, paths.fileName(username));
  }

  private JsonObject create(MemoryOwner who, ConfigKind kind, JsonObject body) {
    return await(client.configs(who).create(kind, kind.validate(body)));
  }

  private JsonObject tables(MemoryOwner who) {
    return await(client.file(who).status()).getJsonObject("tables");
  }

  private static JsonObject piece(String conversation, int sequence, String value) {
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("role", sequence % 2 == 0 ? "user" : "assistant")
        .put("conversation_id", conversation).put("sequence", sequence).put("original_value", value);
  }

  private static JsonObject scoreFor(JsonObject piece) {
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", "true")
        .put("score_type", "true_false").put("prompt_request_response_id", piece.getString("id"));
  }

  private List<String> memoryDirFiles() throws IOException {
    if (!Files.isDirectory(paths.dir())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(paths.dir())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void configCreateListGetReplaceDeleteRoundTrip() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    JsonObject created = create(alice, ConfigKind.GENERATORS, new JsonObject().put("name", "gpt").put("type", "openai_chat")
        .put("parameters", new JsonObject().put("model", "gpt-4o")));
    String id = created.getString("id");
    assertEquals("gpt", created.getString("name"));
    assertEquals("openai_chat", created.getString("type"));
    assertEquals(new JsonObject().put("model", "gpt-4o"), created.getJsonObject("parameters"));

    JsonObject list = await(client.configs(alice).list(ConfigKind.GENERATORS, 0, 100));
    assertEquals(1L, list.getLong("total"));
    assertEquals(id, list.getJsonArray("items").getJsonObject(0).getString("id"));
    assertEquals(0L, await(client.configs(alice).list(ConfigKind.SCORERS, 0, 100)).getLong("total"),
        "a generator is not a scorer");

    JsonObject got = await(client.configs(alice).get(ConfigKind.GENERATORS, id));
    assertEquals(created, got);

    JsonObject replaced = await(client.configs(alice).replace(ConfigKind.GENERATORS, id,
        ConfigKind.GENERATORS.validate(new JsonObject().put("name", "gpt-mini").put("type", "openai_chat")
            .put("parameters", new JsonObject().put("model", "gpt-4o-mini")))));
    assertEquals(id, replaced.getString("id"));
    assertEquals("gpt-mini", replaced.getString("name"));
    assertEquals("gpt-4o-mini", replaced.getJsonObject("parameters").getString("model"));
    assertEquals(created.getString("created_at"), replaced.getString("created_at"), "replacing keeps the creation time");
    assertTrue(replaced.getString("updated_at").compareTo(created.getString("updated_at")) >= 0);

    assertEquals(new JsonObject().put("name", "gpt-mini").put("used_by", new io.vertx.core.json.JsonArray()).put("deleted", id),
        await(client.configs(alice).delete(ConfigKind.GENERATORS, id)), "a delete answers the name it had, for the audit log");
    Problem gone = assertThrows(Problem.class,
        () -> await(client.configs(alice).get(ConfigKind.GENERATORS, id)));
    assertEquals(404, gone.status());
    assertEquals(0L, await(client.configs(alice).list(ConfigKind.GENERATORS, 0, 100)).getLong("total"));
  }

  @Test
  void datasetPromptsAreStoredInOrderAndReplacedWithoutLeftovers() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    JsonObject created = create(alice, ConfigKind.DATASETS, new JsonObject().put("name", "jb").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", "first").put("harm_categories", new JsonArray().add("violence")))
        .add(new JsonObject().put("value", "second"))));
    String id = created.getString("id");
    assertEquals(2, created.getInteger("prompt_count"));
    JsonArray prompts = created.getJsonArray("prompts");
    assertEquals("first", prompts.getJsonObject(0).getString("value"));
    assertEquals(new JsonArray().add("violence"), prompts.getJsonObject(0).getJsonArray("harm_categories"));
    assertEquals("second", prompts.getJsonObject(1).getString("value"));
    assertEquals(2L, tables(alice).getLong("SeedPromptEntries"));

    JsonObject replaced = await(client.configs(alice).replace(ConfigKind.DATASETS, id,
        ConfigKind.DATASETS.validate(new JsonObject().put("name", "jb2")
            .put("prompts", new JsonArray().add(new JsonObject().put("value", "only"))))));
    assertEquals("jb2", replaced.getString("name"));
    assertEquals(1, replaced.getJsonArray("prompts").size());
    assertEquals("only", replaced.getJsonArray("prompts").getJsonObject(0).getString("value"));
    JsonObject t = tables(alice);
    assertEquals(1L, t.getLong("SeedPromptEntries"), "the replaced dataset's old prompts are gone");
    assertEquals(1L, t.getLong("dataset_prompts"));

    await(client.configs(alice).delete(ConfigKind.DATASETS, id));
    t = tables(alice);
    assertEquals(0L, t.getLong("datasets"));
    assertEquals(0L, t.getLong("SeedPromptEntries"));
    assertEquals(0L, t.getLong("dataset_prompts"));
  }

  @Test
  void unknownConfigKindIsABadRequest() {
    deploy(config(1, 8, 0));
    Problem p = assertThrows(Problem.class,
        () -> await(client.call(owner("alice"), MemoryOp.CONFIG_LIST, new JsonObject().put("kind", "users"))));
    assertEquals(400, p.status());
    assertEquals("unknown_kind", p.code());
  }

  @Test
  void resentBatchIsStoredOnce() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    JsonObject p0 = piece("c1", 0, "attack");
    JsonObject p1 = piece("c1", 1, "refusal");
    JsonObject p2 = piece("c2", 0, "another attack");
    JsonObject batch = new JsonObject().put("pieces", new JsonArray().add(p0).add(p1).add(p2))
        .put("scores", new JsonArray().add(scoreFor(p1)));

    JsonObject first = await(client.pieces(alice).append(batch.copy()));
    assertEquals(new JsonObject().put("pieces", 3).put("scores", 1).put("duplicates", 0), first);
    JsonObject before = tables(alice);
    assertEquals(3L, before.getLong("PromptMemoryEntries"));
    assertEquals(1L, before.getLong("ScoreEntries"));

    JsonObject second = await(client.pieces(alice).append(batch.copy()));
    assertEquals(0, second.getInteger("pieces"));
    assertEquals(0, second.getInteger("scores"));
    assertEquals(4, second.getInteger("duplicates"), "every row of the resent batch is a duplicate");
    assertEquals(before, tables(alice), "row counts unchanged by the resend");
  }

  @Test
  void partlyResentBatchStoresOnlyTheNewRows() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    JsonObject old = piece("c1", 0, "old");
    await(client.pieces(alice).append(new JsonObject().put("pieces", new JsonArray().add(old))));
    JsonObject fresh = piece("c1", 1, "new");
    JsonObject reply = await(client.pieces(alice).append(new JsonObject().put("pieces", new JsonArray().add(old).add(fresh))));
    assertEquals(1, reply.getInteger("pieces"));
    assertEquals(1, reply.getInteger("duplicates"));
    assertEquals(2L, tables(alice).getLong("PromptMemoryEntries"));
  }

  @Test
  void resentBatchIsStillRecognizedAfterTheMemoryIsReopened() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    JsonObject batch = new JsonObject().put("pieces", new JsonArray().add(piece("c1", 0, "a")).add(piece("c1", 1, "b")));
    await(client.pieces(alice).append(batch.copy()));
    await(client.closeAll());
    JsonObject again = await(client.pieces(alice).append(batch.copy()));
    assertEquals(0, again.getInteger("pieces"));
    assertEquals(2, again.getInteger("duplicates"));
    assertEquals(2L, tables(alice).getLong("PromptMemoryEntries"));
  }

  @Test
  void conversationReadsBackPiecesInSequenceWithScores() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    JsonObject p1 = piece("c1", 1, "I cannot help with that");
    JsonObject p0 = piece("c1", 0, "how do I ...");
    await(client.pieces(alice).append(new JsonObject().put("pieces", new JsonArray().add(p1).add(p0))
        .put("scores", new JsonArray().add(scoreFor(p1)))));
    JsonObject conv = await(client.conversations(alice).get("c1"));
    JsonArray pieces = conv.getJsonArray("pieces");
    assertEquals(p0.getString("id"), pieces.getJsonObject(0).getString("id"));
    assertEquals(p1.getString("id"), pieces.getJsonObject(1).getString("id"));
    assertEquals("how do I ...", pieces.getJsonObject(0).getString("converted_value"));
    assertEquals(1, conv.getJsonArray("scores").size());
    assertEquals(p1.getString("id"), conv.getJsonArray("scores").getJsonObject(0).getString("prompt_request_response_id"));
    assertEquals(404, assertThrows(Problem.class,
        () -> await(client.conversations(alice).get("nope"))).status());
  }

  @Test
  void failedBatchStoresNothing() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    PieceBatch good = PieceBatch.parse(new JsonObject()
        .put("pieces", new JsonArray().add(piece("c1", 0, "a")).add(piece("c1", 1, "b"))));
    // the pieces append fine; the score then violates score_type NOT NULL, failing the batch part-way
    // (score_value may be null since memory migration 4: an undetermined score)
    PieceBatch.Score broken = new PieceBatch.Score(UUID.randomUUID(), "true", null, null, null, null, null, null,
        good.pieces().get(0).id(), LocalDateTime.now(ZoneOffset.UTC), null);
    PieceBatch failing = new PieceBatch(good.pieces(), List.of(broken));
    Problem p = assertThrows(Problem.class, () -> await(vertx.eventBus().<JsonObject>request(MemoryClient.address(0),
            new MemoryRequest(MemoryOp.PIECES_APPEND, alice, new JsonObject(), failing))
        .recover(t -> Future.failedFuture(Problem.from(t)))));
    assertEquals(500, p.status());
    assertEquals("memory_error", p.code());

    JsonObject t = tables(alice);
    assertEquals(0L, t.getLong("PromptMemoryEntries"), "the pieces appended before the failure were rolled back");
    assertEquals(0L, t.getLong("ScoreEntries"));

    // the same pieces are not mistaken for duplicates afterwards, and the connection still writes
    JsonObject retry = await(vertx.eventBus().<JsonObject>request(MemoryClient.address(0),
        new MemoryRequest(MemoryOp.PIECES_APPEND, alice, new JsonObject(), good))).body();
    assertEquals(2, retry.getInteger("pieces"));
    assertEquals(0, retry.getInteger("duplicates"));
    assertEquals(2L, tables(alice).getLong("PromptMemoryEntries"));
  }

  @Test
  void invalidBatchIsRefusedBeforeReachingTheShard() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    Problem p = assertThrows(Problem.class, () -> await(client.pieces(alice).append(new JsonObject()
        .put("pieces", new JsonArray().add(piece("c1", 0, "a").put("role", "hacker"))))));
    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains("pieces[0].role"), p.getMessage());
    assertEquals(0L, tables(alice).getLong("PromptMemoryEntries"));
  }

  @Test
  void ownerWithUnregisteredMemoryFileIsRefusedRecordedAndCreatesNoFile() throws IOException {
    deploy(config(1, 8, 0));
    String elsewhere = new MemoryPaths(dir.resolve("memory"), "other-salt".getBytes(StandardCharsets.UTF_8)).fileName("alice");
    MemoryOwner moved = new MemoryOwner("alice", elsewhere);

    Problem p = assertThrows(Problem.class, () -> await(client.configs(moved).list(ConfigKind.GENERATORS, 0, 100)));
    assertEquals("memory_switch_refused", p.code());
    assertTrue(p.getMessage().contains("alice"), p.getMessage());

    assertEquals(1, switches.size());
    SwitchEvent e = switches.get(0);
    assertEquals("alice", e.username());
    assertEquals(elsewhere, e.registeredFile());
    assertEquals(paths.fileFor("alice").toString(), e.attemptedFile());

    assertEquals(List.of(), memoryDirFiles(), "no memory file was created for the refused owner");
    assertFalse(Files.exists(paths.fileFor("alice")));
    assertFalse(Files.exists(paths.dir().resolve(elsewhere)));
    assertEquals(0, await(client.stats()).getJsonObject(0).getInteger("open"));
  }

  @Test
  void refusedSwitchDoesNotDisturbTheOpenMemory() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    create(alice, ConfigKind.SCORERS, new JsonObject().put("name", "s").put("type", "substring"));
    MemoryOwner moved = new MemoryOwner("alice", paths.fileName("mallory"));
    assertEquals("memory_switch_refused", assertThrows(Problem.class,
        () -> await(client.pieces(moved).append(new JsonObject().put("pieces", new JsonArray().add(piece("c", 0, "x")))))).code());
    assertEquals(1, switches.size());
    assertEquals(1L, await(client.configs(alice).list(ConfigKind.SCORERS, 0, 100)).getLong("total"));
    assertEquals(0L, tables(alice).getLong("PromptMemoryEntries"));
    // memory health's view of this node: alice's memory still open, one switch refused
    JsonObject node = await(client.statsEveryNode()).getJsonArray("nodes").getJsonObject(0);
    assertEquals(1L, node.getLong("open"), node.encode());
    assertEquals(1L, node.getLong("switch_events"), node.encode());
  }

  @Test
  void aRunnerWhoseExecutionWasTakenOverCannotCommitAnyMore() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    MemoryClient.Executions executions = client.executions(alice);
    // node A's runner reads under lease token 5; node B takes the execution over with token 6 and reads
    await(executions.done("exec-1", 5));
    await(executions.done("exec-1", 6));
    Problem stale = assertThrows(Problem.class, () -> await(executions.record("exec-1", new PieceBatch(List.of(), List.of()),
        new JsonArray(), 5)));
    assertEquals("execution_fenced", stale.code(), "A's late commit is refused, not stored beside B's");
    assertEquals(409, stale.status());
    // the newer holder goes on; another execution, and a process without leases, are not fenced
    await(executions.done("exec-1", 6));
    await(executions.done("exec-2", 1));
    await(executions.done("exec-1"));
  }

  @Test
  void closeAllThenReadReopensTheSameFileWithItsData() throws IOException {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    String id = create(alice, ConfigKind.CONVERTERS, new JsonObject().put("name", "b64").put("type", "base64")).getString("id");
    await(client.pieces(alice).append(new JsonObject().put("pieces", new JsonArray().add(piece("c1", 0, "x")))));

    JsonArray closed = await(client.closeAll());
    assertEquals(1, closed.getJsonObject(0).getInteger("closed"));
    assertEquals(0, await(client.stats()).getJsonObject(0).getInteger("open"));
    assertTrue(Files.isRegularFile(paths.fileFor("alice")));

    JsonObject got = await(client.configs(alice).get(ConfigKind.CONVERTERS, id));
    assertEquals("b64", got.getString("name"));
    assertEquals(1L, tables(alice).getLong("PromptMemoryEntries"));
    JsonObject stats = await(client.stats()).getJsonObject(0);
    assertEquals(1, stats.getInteger("open"));
    assertEquals(paths.fileName("alice"), stats.getJsonArray("connections").getJsonObject(0).getString("file"));
    assertEquals(paths.fileName("alice"), await(client.file(alice).status()).getString("file"));
    assertTrue(memoryDirFiles().stream().allMatch(f -> f.startsWith(paths.fileName("alice"))),
        "only alice's file (and its WAL) is in the memory directory: " + memoryDirFiles());
    assertTrue(switches.isEmpty());
  }

  @Test
  void leastRecentlyUsedMemoryIsClosedAtTheCapAndBothKeepTheirData() {
    deploy(config(1, 1, 0));
    MemoryOwner alice = owner("alice");
    MemoryOwner bob = owner("bob");
    create(alice, ConfigKind.GENERATORS, new JsonObject().put("name", "alice-gen").put("type", "sim"));
    create(bob, ConfigKind.GENERATORS, new JsonObject().put("name", "bob-gen").put("type", "sim"));

    JsonObject stats = await(client.stats()).getJsonObject(0);
    assertEquals(1, stats.getInteger("open"));
    assertEquals("bob", stats.getJsonArray("connections").getJsonObject(0).getString("username"));

    JsonArray aliceItems = await(client.configs(alice).list(ConfigKind.GENERATORS, 0, 100)).getJsonArray("items");
    assertEquals(1, aliceItems.size());
    assertEquals("alice-gen", aliceItems.getJsonObject(0).getString("name"));
    assertEquals("alice", await(client.stats()).getJsonObject(0).getJsonArray("connections").getJsonObject(0).getString("username"));

    JsonArray bobItems = await(client.configs(bob).list(ConfigKind.GENERATORS, 0, 100)).getJsonArray("items");
    assertEquals(1, bobItems.size());
    assertEquals("bob-gen", bobItems.getJsonObject(0).getString("name"));
    assertEquals(1, await(client.stats()).getJsonObject(0).getInteger("open"));
    assertNotEquals(paths.fileFor("alice"), paths.fileFor("bob"));
    assertTrue(Files.isRegularFile(paths.fileFor("alice")) && Files.isRegularFile(paths.fileFor("bob")));
  }

  @Test
  void idleMemoryIsClosedAndReopenedOnNextUse() throws InterruptedException {
    deploy(config(1, 8, 1));
    MemoryOwner alice = owner("alice");
    create(alice, ConfigKind.SCORERS, new JsonObject().put("name", "s").put("type", "substring"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (await(client.stats()).getJsonObject(0).getInteger("open") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(0, await(client.stats()).getJsonObject(0).getInteger("open"), "closed after being idle");
    assertEquals(1L, await(client.configs(alice).list(ConfigKind.SCORERS, 0, 100)).getLong("total"));
  }

  @Test
  void anImportInProgressKeepsItsMemoryOpenThroughEvictionAndIdlingAndLandsWhole() throws InterruptedException {
    deploy(config(1, 1, 1));
    MemoryOwner alice = owner("alice");
    MemoryOwner bob = owner("bob");
    MemoryOwner carol = owner("carol");
    MemoryClient.Imports imports = client.imports(alice);
    String id = ImportStore.newId();
    await(imports.begin(id));
    JsonObject first = piece("conv-import", 0, "staged before the others came");
    await(imports.stage(id, PieceBatch.parse(new JsonObject().put("pieces", new JsonArray().add(first))), null));

    // bob's memory needs the one slot: alice's, least recently used but importing, stays open beside it
    create(bob, ConfigKind.SCORERS, new JsonObject().put("name", "s").put("type", "substring"));
    assertEquals(2, await(client.stats()).getJsonObject(0).getInteger("open"), "alice's memory is held open while she imports");
    // and past the idle timeout (1 s, checked every second) it is not closed either
    Thread.sleep(2_500);
    assertTrue(await(client.stats()).getJsonObject(0).getJsonArray("connections").stream()
        .anyMatch(c -> ((JsonObject) c).getString("username").equals("alice")), "alice's memory is not closed as idle while importing");

    JsonObject second = piece("conv-import", 1, "staged after eviction and idling");
    await(imports.stage(id, PieceBatch.parse(new JsonObject().put("pieces", new JsonArray().add(second))), null));
    JsonObject committed = await(imports.commit(id, false));
    assertEquals(2L, committed.getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("added"), "both batches land");
    assertEquals(2L, tables(alice).getLong("PromptMemoryEntries"));

    // the import ended: the hold is released, and the next memory opened evicts as usual
    create(carol, ConfigKind.SCORERS, new JsonObject().put("name", "s").put("type", "substring"));
    assertEquals(1, await(client.stats()).getJsonObject(0).getInteger("open"), "back to the cap once no import holds a memory");
  }

  @Test
  void usersAreSpreadOverShardsAndEachSeesOnlyItsOwnMemory() {
    deploy(config(2, 8, 0));
    // find two users routed to different shards
    String a = "alice";
    String b = Stream.of("bob", "carol", "dave", "erin", "frank").filter(u -> client.shardOf(u) != client.shardOf(a))
        .findFirst().orElseThrow();
    create(owner(a), ConfigKind.GENERATORS, new JsonObject().put("name", "mine").put("type", "sim"));
    assertEquals(0L, await(client.configs(owner(b)).list(ConfigKind.GENERATORS, 0, 100)).getLong("total"));
    JsonArray stats = await(client.stats());
    assertEquals(2, stats.size());
    assertEquals(1, stats.getJsonObject(client.shardOf(a)).getInteger("open"));
    assertEquals(a, stats.getJsonObject(client.shardOf(a)).getJsonArray("connections").getJsonObject(0).getString("username"));
    assertEquals(b, stats.getJsonObject(client.shardOf(b)).getJsonArray("connections").getJsonObject(0).getString("username"));
  }

  @Test
  void executionResultsResentAfterALostReplyAreStoredOnce() {
    deploy(config(1, 8, 0));
    MemoryOwner alice = owner("alice");
    String id = await(client.executions(alice).create(
        new JsonObject().put("id", "o1").put("name", "send").put("type", "prompt_sending"), null)).getString("id");
    JsonArray pieces = new JsonArray();
    JsonArray scores = new JsonArray();
    JsonArray results = new JsonArray();
    for (int i = 0; i < 300; i++) {
      String conversation = UUID.randomUUID().toString();
      JsonObject answer = piece(conversation, 1, "answer " + i);
      pieces.add(piece(conversation, 0, "prompt " + i)).add(answer);
      scores.add(scoreFor(answer));
      results.add(new JsonObject().put("prompt_index", i).put("conversation_id", conversation).put("status", "succeeded")
          .put("attack_success", i % 3 == 0).putNull("error"));
    }
    // a prompt that failed inside Gauntlet has a result and nothing else
    results.add(new JsonObject().put("prompt_index", 300).putNull("conversation_id").put("status", "failed")
        .put("attack_success", false).put("error", "internal: boom"));
    PieceBatch batch = PieceBatch.parse(new JsonObject().put("pieces", pieces).put("scores", scores));

    JsonObject first = await(client.executions(alice).record(id, batch, results));
    assertEquals(600, first.getInteger("pieces"));
    assertEquals(301, first.getInteger("results"));
    JsonObject again = await(client.executions(alice).record(id, batch, results));
    assertEquals(0, again.getInteger("pieces"));
    assertEquals(0, again.getInteger("results"), "a resent batch stores no result twice");

    JsonObject progress = await(client.executions(alice).get(id)).getJsonObject("progress");
    assertEquals(301L, progress.getLong("done"));
    assertEquals(300L, progress.getLong("succeeded"));
    assertEquals(1L, progress.getLong("failed"));
    assertEquals(100L, progress.getLong("attack_successes"));
    JsonObject done = await(client.executions(alice).done(id));
    assertEquals(301, done.getJsonArray("indexes").size());
    JsonObject page = await(client.executions(alice).results(id, 0, 2));
    JsonObject r0 = page.getJsonArray("items").getJsonObject(0);
    assertEquals(0, r0.getInteger("prompt_index"));
    assertEquals(true, r0.getBoolean("attack_success"));
    assertEquals(2, r0.getJsonArray("pieces").size());
    assertEquals(1, r0.getJsonArray("scores").size());

    Problem missing = assertThrows(Problem.class, () -> await(client.executions(alice).record("no-such-execution", batch, results)));
    assertEquals(404, missing.status());
  }
}
