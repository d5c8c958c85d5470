package dev.gauntlet.memory;

/** What a create does when the wanted name is already taken by a configuration of its kind (see ConfigNames). */
public enum ConfigNaming {
  /** Refuse with a 409: the caller typed the name. */
  STRICT,
  /** "name (2)", "name (3)"…: the server chose the name (a probe's dataset, a scan's scorers). */
  NEXT_FREE,
  /** "name (copy)", "name (copy 2)"…: a duplicate. */
  COPY;

  static ConfigNaming parse(String s) {
    return s == null ? STRICT : valueOf(s);
  }
}
