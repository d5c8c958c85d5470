package dev.gauntlet.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every query parameter the README's endpoint tables document ({@code GET /x?offset&limit},
 * {@code ?days=30}), plus the usual names of filters and sorts, so a newly documented filter is
 * attacked without touching the suite.
 */
final class QueryParameters {

  private static final Pattern QUERY = Pattern.compile("\\?([a-z_]+(?:=[^&`\\s|]*)?(?:&[a-z_]+(?:=[^&`\\s|]*)?)*)");
  private static final Set<String> USUAL = Set.of("q", "search", "filter", "sort", "order", "order_by", "dir", "status", "kind",
      "type", "name", "user", "actor", "action", "resource", "outcome", "since", "until", "offset", "limit", "days", "format",
      "execution_id", "conversation_id", "orchestrator_id", "dataset_id", "generator_id", "scorer_id", "role", "label_key", "label_value");

  private QueryParameters() {}

  static Set<String> everyDocumented() {
    Set<String> names = new TreeSet<>(USUAL);
    try {
      for (String line : Files.readAllLines(Path.of("README.md"))) {
        if (!line.startsWith("|")) {
          continue;
        }
        Matcher m = QUERY.matcher(line);
        while (m.find()) {
          for (String pair : m.group(1).split("&")) {
            names.add(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the suite reads the documented parameters from README.md", e);
    }
    return names;
  }
}
