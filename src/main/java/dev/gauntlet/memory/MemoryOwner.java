package dev.gauntlet.memory;

/**
 * Whose memory an operation touches: the frozen canonical username and the memory file the app
 * database registered for it. It always comes from authenticated credentials, never a body.
 */
public record MemoryOwner(String username, String memoryFile) {}
