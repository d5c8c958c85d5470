package dev.gauntlet.scorer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds which of many fixed strings occur in a text in one pass over it: an Aho–Corasick
 * automaton (A. V. Aho, M. J. Corasick, "Efficient string matching: an aid to bibliographic
 * search", CACM 18 (1975) 333–340) compiled to a full transition table. Characters are first mapped
 * to the few that occur in the patterns (any other is one class, which no pattern contains), so the
 * table stays small. Each state knows the lowest index of a pattern ending there or at any of its
 * suffixes, so a scan answers "the first pattern in list order found anywhere", not the leftmost.
 */
final class PhraseAutomaton {

  private final char[] classOf;   // per char below classOf.length: its class; 0 for every other char
  private final int classes;
  private final int[] next;       // next[state * classes + class]
  private final int[] lowest;     // per state: the lowest pattern index ending here, or MAX_VALUE

  PhraseAutomaton(List<String> patterns) {
    char max = 0;
    for (String p : patterns) {
      for (int i = 0; i < p.length(); i++) {
        max = (char) Math.max(max, p.charAt(i));
      }
    }
    classOf = new char[max + 1];
    int n = 1;
    for (String p : patterns) {
      for (int i = 0; i < p.length(); i++) {
        if (classOf[p.charAt(i)] == 0) {
          classOf[p.charAt(i)] = (char) n++;
        }
      }
    }
    classes = n;
    // the trie
    List<int[]> trie = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    trie.add(new int[classes]);
    ends.add(Integer.MAX_VALUE);
    for (int index = 0; index < patterns.size(); index++) {
      int state = 0;
      for (char ch : patterns.get(index).toCharArray()) {
        int c = classOf[ch];
        if (trie.get(state)[c] == 0) {
          trie.get(state)[c] = trie.size();
          trie.add(new int[classes]);
          ends.add(Integer.MAX_VALUE);
        }
        state = trie.get(state)[c];
      }
      ends.set(state, Math.min(ends.get(state), index));
    }
    int states = trie.size();
    next = new int[states * classes];
    lowest = new int[states];
    int[] fail = new int[states];
    // breadth first: a state's failure link (its longest proper suffix in the trie) is done before it
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < classes; c++) {
      int child = trie.get(0)[c];
      next[c] = child;
      if (child != 0) {
        queue.add(child);
      }
    }
    lowest[0] = ends.get(0);
    while (!queue.isEmpty()) {
      int state = queue.poll();
      lowest[state] = Math.min(ends.get(state), lowest[fail[state]]);
      for (int c = 0; c < classes; c++) {
        int child = trie.get(state)[c];
        if (child != 0) {
          fail[child] = next[fail[state] * classes + c];
          next[state * classes + c] = child;
          queue.add(child);
        } else {
          next[state * classes + c] = next[fail[state] * classes + c];
        }
      }
    }
  }

  /** The lowest index of a pattern occurring in {@code text}, or -1 when none does. */
  int lowestFound(String text) {
    int best = Integer.MAX_VALUE;
    int state = 0;
    char[] classOf = this.classOf;
    for (int i = 0, n = text.length(); i < n; i++) {
      char ch = text.charAt(i);
      int c = ch < classOf.length ? classOf[ch] : 0;
      state = next[state * classes + c];
      int found = lowest[state];
      if (found < best) {
        best = found;
      }
    }
    return best == Integer.MAX_VALUE ? -1 : best;
  }
}
