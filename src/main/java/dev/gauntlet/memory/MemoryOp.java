package dev.gauntlet.memory;

/** The operations a memory shard performs. Those marked shard-wide name no user. */
public enum MemoryOp {
  CONFIG_LIST, CONFIG_GET, CONFIG_WITH_REFERENCES, CONFIG_CREATE, CONFIG_REPLACE, CONFIG_DELETE,
  PIECES_APPEND, CONVERSATIONS_LIST, CONVERSATION_GET, SCORE_SUMMARY, STATUS,
  EXECUTION_CREATE, EXECUTION_GET, EXECUTION_SNAPSHOT, EXECUTION_LIST, EXECUTION_UPDATE, EXECUTION_DONE, EXECUTION_RECORD, EXECUTION_RESULTS,
  EXECUTION_SUCCESSFUL_PROMPTS, EXPORT, BACKUP, CONSOLIDATE,
  DASHBOARD_RESULTS, DASHBOARD_COMPARE, DASHBOARD_EXPORT,
  REVIEW_SET, REVIEW_GET, REVIEW_LIST, REVIEW_QUEUE, REVIEW_PAIRS,
  SHARD_STATS(true), SHARD_CLOSE_ALL(true);

  private final boolean shardWide;

  MemoryOp() {
    this(false);
  }

  MemoryOp(boolean shardWide) {
    this.shardWide = shardWide;
  }

  public boolean shardWide() {
    return shardWide;
  }
}
