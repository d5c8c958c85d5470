package dev.gauntlet.orchestrator;

/**
 * Where an execution's live progress is published: one address per user, so the event-bus
 * bridge can let a socket listen to its own user's executions and no one else's.
 */
public final class Progress {

  public static final String PREFIX = "gauntlet.progress.";

  private Progress() {}

  public static String address(String username) {
    return PREFIX + username;
  }
}
