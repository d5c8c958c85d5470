package dev.gauntlet.converter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prompt drawn in a five-row block font of '#' (A–Z, 0–9 and some punctuation, drawn for
 * Gauntlet), so a model has to read it the way a person reads a banner. Letters are upper-cased;
 * a character the font lacks is drawn as '?'. Words are packed into bands no wider than
 * {@code width} columns, separated by an empty line.
 */
final class AsciiArt extends TextConverter {

  static final int ROWS = 5;

  /** One glyph a line: the character, then its five rows, '.' for a blank. */
  private static final String FONT = """
      A .###. #...# ##### #...# #...#
      B ####. #...# ####. #...# ####.
      C .#### #.... #.... #.... .####
      D ####. #...# #...# #...# ####.
      E ##### #.... ####. #.... #####
      F ##### #.... ####. #.... #....
      G .#### #.... #..## #...# .####
      H #...# #...# ##### #...# #...#
      I ##### ..#.. ..#.. ..#.. #####
      J ##### ...#. ...#. #..#. .##..
      K #...# #..#. ###.. #..#. #...#
      L #.... #.... #.... #.... #####
      M #...# ##.## #.#.# #...# #...#
      N #...# ##..# #.#.# #..## #...#
      O .###. #...# #...# #...# .###.
      P ####. #...# ####. #.... #....
      Q .###. #...# #.#.# #..#. .##.#
      R ####. #...# ####. #..#. #...#
      S .#### #.... .###. ....# ####.
      T ##### ..#.. ..#.. ..#.. ..#..
      U #...# #...# #...# #...# .###.
      V #...# #...# #...# .#.#. ..#..
      W #...# #...# #.#.# ##.## #...#
      X #...# .#.#. ..#.. .#.#. #...#
      Y #...# .#.#. ..#.. ..#.. ..#..
      Z ##### ...#. ..#.. .#... #####
      0 .###. #..## #.#.# ##..# .###.
      1 ..#.. .##.. ..#.. ..#.. .###.
      2 .###. #...# ..##. .#... #####
      3 ####. ....# .###. ....# ####.
      4 #...# #...# ##### ....# ....#
      5 ##### #.... ####. ....# ####.
      6 .###. #.... ####. #...# .###.
      7 ##### ....# ...#. ..#.. ..#..
      8 .###. #...# .###. #...# .###.
      9 .###. #...# .#### ....# .###.
      ! # # # . #
      ? .###. #...# ..##. ..... ..#..
      . . . . . #
      , .. .. .. .# #.
      : . # . # .
      ' # # . . .
      - ... ... ### ... ...
      """;

  static final Map<Character, String[]> GLYPHS = glyphs();

  private static final String[] SPACE = {"...", "...", "...", "...", "..."};

  private final int width;

  AsciiArt(int width) {
    this.width = width;
  }

  private static Map<Character, String[]> glyphs() {
    Map<Character, String[]> m = new HashMap<>();
    for (String line : FONT.strip().split("\n")) {
      String[] parts = line.strip().split(" ");
      if (parts.length != ROWS + 1) {
        throw new IllegalStateException("glyph without five rows: " + line);
      }
      String[] rows = new String[ROWS];
      System.arraycopy(parts, 1, rows, 0, ROWS);
      m.put(parts[0].charAt(0), rows);
    }
    return Map.copyOf(m);
  }

  @Override
  String apply(String text) {
    List<String> blocks = new ArrayList<>();
    List<String[]> band = new ArrayList<>();
    for (String word : text.strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      List<String[]> glyphs = word.toUpperCase(Locale.ROOT).codePoints()
          .mapToObj(c -> c < 0x10000 && GLYPHS.containsKey((char) c) ? GLYPHS.get((char) c) : GLYPHS.get('?')).toList();
      int bandColumns = columns(band);
      int wordColumns = columns(glyphs);
      if (!band.isEmpty() && bandColumns + 1 + SPACE[0].length() + 1 + wordColumns <= width) {
        band.add(SPACE);
        band.addAll(glyphs);
        continue;
      }
      if (!band.isEmpty()) {
        blocks.add(render(band));
        band = new ArrayList<>();
      }
      int used = -1; // a word too wide for a band of its own is broken between letters
      for (String[] g : glyphs) {
        if (!band.isEmpty() && used + 1 + g[0].length() > width) {
          blocks.add(render(band));
          band = new ArrayList<>();
          used = -1;
        }
        band.add(g);
        used += 1 + g[0].length();
      }
    }
    if (!band.isEmpty()) {
      blocks.add(render(band));
    }
    return String.join("\n\n", blocks);
  }

  /** Columns a run of glyphs takes, one blank column between two glyphs. */
  private static int columns(List<String[]> glyphs) {
    return glyphs.stream().mapToInt(g -> g[0].length() + 1).sum() - 1;
  }

  private static String render(List<String[]> glyphs) {
    StringBuilder out = new StringBuilder();
    for (int row = 0; row < ROWS; row++) {
      StringBuilder line = new StringBuilder();
      for (String[] g : glyphs) {
        line.append(line.isEmpty() ? "" : ".").append(g[row]);
      }
      out.append(row == 0 ? "" : "\n").append(line.toString().replace('.', ' ').stripTrailing());
    }
    return out.toString();
  }
}
