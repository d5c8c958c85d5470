package dev.gauntlet.memory;

/**
 * Where refused attempts to open a user's memory at an unregistered path are recorded. A
 * healthy system records none, ever.
 */
public interface SwitchEvents {

  void record(String username, String registeredFile, String attemptedFile, String origin);
}
