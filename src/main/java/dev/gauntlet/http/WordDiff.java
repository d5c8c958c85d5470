package dev.gauntlet.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Two answers' differences by word: the longest common subsequence of their words (and the
 * spaces between them) is kept plain, the rest marked changed. Texts are snippets (a few hundred
 * characters), so the quadratic table stays small; longer ones are cut to {@link #MAX_TOKENS}.
 */
final class WordDiff {

  static final int MAX_TOKENS = 400;

  private WordDiff() {}

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s+|[^\\s]+").matcher(text == null ? "" : text);
    while (m.find() && out.size() < MAX_TOKENS) {
      out.add(m.group());
    }
    return out;
  }

  /** The parts of {@code text}, each {@code {"text", "changed"}}, marked where they are not in {@code other}. */
  static JsonArray against(String text, String other) {
    List<String> a = tokens(text);
    List<String> b = tokens(other);
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    JsonArray out = new JsonArray();
    StringBuilder run = new StringBuilder();
    boolean runChanged = false;
    int i = 0;
    int j = 0;
    while (i < a.size()) {
      boolean changed;
      if (j < b.size() && a.get(i).equals(b.get(j))) {
        changed = false;
        j++;
      } else if (j < b.size() && lcs[i][j + 1] > lcs[i + 1][j]) {
        j++;
        continue;
      } else {
        changed = !a.get(i).isBlank();
      }
      if (a.get(i).isBlank()) {
        // spaces join the run they are in: "how to do it" is one change, not four
        changed = runChanged;
      }
      if (changed != runChanged && !run.isEmpty()) {
        out.add(new JsonObject().put("text", run.toString()).put("changed", runChanged));
        run.setLength(0);
      }
      runChanged = changed;
      run.append(a.get(i));
      i++;
    }
    if (!run.isEmpty()) {
      out.add(new JsonObject().put("text", run.toString()).put("changed", runChanged));
    }
    return out;
  }
}
