package dev.gauntlet.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Chaos}'s book-keeping: the users and their executions, every result the API
 * acknowledged and before which kill, and the checks made once the last execution finished.
 */
final class ChaosLedger {

  private static final Pattern PROMPT = Pattern.compile("chaos u(\\d+) r(\\d+) p(\\d+)");
  private static final int PAGE = 1000;

  /**
   * ExecutionRunner's MAX_BUFFERED: it starts no prompt while that many answered prompts wait to
   * be committed. So at most (in flight + buffered) <= MAX_BUFFERED + concurrency - 1, plus one
   * batch of at most as many being committed, are uncommitted in one execution at any moment.
   */
  static final int RUNNER_MAX_BUFFERED = 4096;

  /** A result the API returned before kill {@code beforeKill}. */
  record Acked(String conversationId, int beforeKill) {}

  static final class Run {
    final String id;
    final int total;
    final Map<Integer, Acked> acked = new HashMap<>();
    boolean finished;

    Run(String id, int total) {
      this.id = id;
      this.total = total;
    }

    boolean finished() {
      return finished;
    }
  }

  record User(int number, Rest rest, String generator, String scorer, List<Run> runs) {
    int rounds() {
      return runs.size();
    }

    Run current() {
      return runs.get(runs.size() - 1);
    }
  }

  private final int concurrency;
  private final List<User> users = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();

  ChaosLedger(int concurrency) {
    this.concurrency = concurrency;
  }

  static String prompt(int user, int round, int index) {
    return "chaos u" + user + " r" + round + " p" + index;
  }

  User addUser(int number, Rest rest, String generator, String scorer) {
    User u = new User(number, rest, generator, scorer, new ArrayList<>());
    users.add(u);
    return u;
  }

  List<User> users() {
    return users;
  }

  void started(User user, int round, String id, int total) {
    if (round != user.rounds() + 1) {
      throw new IllegalStateException("round " + round + " after " + user.rounds());
    }
    user.runs().add(new Run(id, total));
  }

  int executions() {
    return users.stream().mapToInt(User::rounds).sum();
  }

  long prompts() {
    return users.stream().flatMap(u -> u.runs().stream()).mapToLong(r -> r.total).sum();
  }

  /** The most prompts {@code running} executions can hold uncommitted (see {@link #RUNNER_MAX_BUFFERED}). */
  long bound(int running) {
    return running * 2L * (RUNNER_MAX_BUFFERED + concurrency - 1);
  }

  /** Whether {@code run} has just ended; its results then count as acknowledged before kill {@code nextKill}. */
  boolean poll(Run run, int nextKill) throws Exception {
    User user = ownerOf(run);
    JsonObject e = user.rest().get("/executions/" + run.id);
    String status = e.getString("status");
    if (status.equals("queued") || status.equals("running")) {
      return false;
    }
    run.finished = true;
    if (!EndState.endedRight(e)) {
      violations.add("execution " + run.id + " " + EndState.why(e));
    }
    acknowledge(run, nextKill);
    return true;
  }

  /** Reads every result the API returns for {@code run} now, as acknowledged before kill {@code beforeKill}. */
  void acknowledge(Run run, int beforeKill) throws Exception {
    for (JsonObject item : results(run)) {
      int index = item.getInteger("prompt_index");
      Acked before = run.acked.putIfAbsent(index, new Acked(item.getString("conversation_id"), beforeKill));
      if (before != null && !before.conversationId().equals(item.getString("conversation_id"))) {
        violations.add("execution " + run.id + " prompt " + index + ": acknowledged as conversation " + before.conversationId()
            + " before kill " + before.beforeKill() + ", later as " + item.getString("conversation_id"));
      }
    }
  }

  /** Prompts whose requests arrived in epoch {@code kill - 1} and again in epoch {@code kill}. */
  long resentAfter(JsonObject stats, int kill) {
    long n = 0;
    for (Map.Entry<String, Object> e : stats.getJsonObject("repeated")) {
      JsonArray epochs = (JsonArray) e.getValue();
      for (int i = 1; i < epochs.size(); i++) {
        if (epochs.getInteger(i - 1) == kill - 1 && epochs.getInteger(i) == kill) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  List<Chaos.Kill> countResent(JsonObject stats, List<Chaos.Kill> kills) {
    return kills.stream().map(k -> new Chaos.Kill(k.number(), k.atSeconds(), k.running(), k.committed(), k.sent(),
        k.inFlightAtTarget(), k.bound(), resentAfter(stats, k.number()))).toList();
  }

  /** Every promise checked once all executions have finished; returns the broken ones. */
  List<String> verify(JsonObject stats, List<Chaos.Kill> kills) throws Exception {
    for (User user : users) {
      long prompts = 0;
      for (Run run : user.runs()) {
        prompts += run.total;
        checkRun(user, run);
      }
      JsonObject tables = user.rest().get("/database/status").getJsonObject("tables");
      expect(tables.getLong("execution_results"), prompts, "user " + user.number() + ": result rows");
      expect(tables.getLong("PromptMemoryEntries"), 2 * prompts, "user " + user.number() + ": pieces (one prompt, one answer each)");
      expect(tables.getLong("ScoreEntries"), prompts, "user " + user.number() + ": scores");
    }
    expect(stats.getLong("distinct_prompts"), prompts(), "distinct prompts the target received");
    expect(stats.getLong("untracked_requests"), 0, "requests the target could not attribute to a prompt");
    checkResends(stats.getJsonObject("repeated"));
    for (Chaos.Kill k : countResent(stats, kills)) {
      if (k.resent() != k.uncommitted()) {
        violations.add("kill " + k.number() + ": " + k.resent() + " prompts sent again, but " + k.uncommitted()
            + " were uncommitted when it struck");
      }
      if (k.resent() > k.bound()) {
        violations.add("kill " + k.number() + ": " + k.resent() + " prompts sent again, more than the " + k.bound()
            + " that " + k.running() + " execution(s) can hold uncommitted");
      }
    }
    return violations;
  }

  /** Completed, every prompt's result once with its prompt, answer and score, and each acknowledged result unchanged. */
  private void checkRun(User user, Run run) throws Exception {
    JsonObject e = user.rest().get("/executions/" + run.id);
    if (!EndState.endedRight(e) || e.getJsonObject("progress").getInteger("done") != run.total) {
      violations.add("execution " + run.id + " is " + e.getString("status") + " with " + e.getJsonObject("progress").getInteger("done")
          + " of " + run.total + " prompts done");
    }
    Set<Integer> seen = new HashSet<>();
    for (JsonObject item : results(run)) {
      int index = item.getInteger("prompt_index");
      if (!seen.add(index)) {
        violations.add("execution " + run.id + " prompt " + index + " has two results");
      }
      if (item.getJsonArray("pieces").size() != 2 || item.getJsonArray("scores").size() != 1
          || !"succeeded".equals(item.getString("status"))) {
        violations.add("execution " + run.id + " prompt " + index + ": " + item.getString("status") + " with "
            + item.getJsonArray("pieces").size() + " pieces and " + item.getJsonArray("scores").size() + " scores");
      }
      Acked acked = run.acked.get(index);
      if (acked != null && !acked.conversationId().equals(item.getString("conversation_id"))) {
        violations.add("execution " + run.id + " prompt " + index + ": acknowledged as conversation " + acked.conversationId()
            + " before kill " + acked.beforeKill() + ", now " + item.getString("conversation_id"));
      }
    }
    if (seen.size() != run.total) {
      violations.add("execution " + run.id + ": " + seen.size() + " results for " + run.total + " prompts");
    }
    for (int index : run.acked.keySet()) {
      if (!seen.contains(index)) {
        violations.add("execution " + run.id + " prompt " + index + ": acknowledged before kill "
            + run.acked.get(index).beforeKill() + ", missing now");
      }
    }
  }

  /**
   * A prompt requested more than once was sent once per process, each time by the process right
   * after the one that was killed while it was uncommitted; never after its result was acknowledged.
   */
  private void checkResends(JsonObject repeated) {
    for (Map.Entry<String, Object> e : repeated) {
      Matcher m = PROMPT.matcher(e.getKey());
      if (!m.matches()) {
        violations.add("the target received an unexpected prompt: " + e.getKey());
        continue;
      }
      Run run = users.get(Integer.parseInt(m.group(1))).runs().get(Integer.parseInt(m.group(2)) - 1);
      int index = Integer.parseInt(m.group(3));
      JsonArray epochs = (JsonArray) e.getValue();
      for (int i = 1; i < epochs.size(); i++) {
        int killed = epochs.getInteger(i - 1);
        int next = epochs.getInteger(i);
        if (next != killed + 1) {
          violations.add("'" + e.getKey() + "' was sent in epochs " + epochs + ": " + (next == killed
              ? "twice by one process" : "again after kill " + next + " though last sent before kill " + (killed + 1)));
        }
        Acked acked = run.acked.get(index);
        if (acked != null && acked.beforeKill() <= next) {
          violations.add("'" + e.getKey() + "' was sent again after kill " + next + " though its result was acknowledged before kill "
              + acked.beforeKill());
        }
      }
    }
  }

  private List<JsonObject> results(Run run) throws Exception {
    User user = ownerOf(run);
    List<JsonObject> all = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      JsonArray items = user.rest().get("/executions/" + run.id + "/results?offset=" + offset + "&limit=" + PAGE).getJsonArray("items");
      items.forEach(i -> all.add((JsonObject) i));
      if (items.size() < PAGE) {
        return all;
      }
    }
  }

  private User ownerOf(Run run) {
    return users.stream().filter(u -> u.runs().contains(run)).findFirst().orElseThrow();
  }

  private void expect(long actual, long expected, String what) {
    if (actual != expected) {
      violations.add(what + ": " + actual + ", expected " + expected);
    }
  }
}
