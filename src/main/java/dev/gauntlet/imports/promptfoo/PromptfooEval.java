package dev.gauntlet.imports.promptfoo;

/**
 * One promptfoo eval, as much as its file says: each eval and provider becomes an execution.
 *
 * @param id               promptfoo's eval id ({@code eval-…}); for a results.json without one, an id derived from the file
 * @param description      the config's description, or null
 * @param createdAt        when it ran (ISO-8601), or null
 * @param redteam          whether it is a red-team eval (a {@code redteam} config, or promptfoo said so)
 * @param promptfooVersion the promptfoo version that wrote it, or null
 * @param resultsVersion   the results layout's version (2 or 3), or 0 when unknown
 */
public record PromptfooEval(String id, String description, String createdAt, boolean redteam, String promptfooVersion,
                            int resultsVersion) {}
