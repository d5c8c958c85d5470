package dev.gauntlet.imports.garak;

import dev.gauntlet.Problem;
import dev.gauntlet.imports.ImportSource;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JSONL file's lines, one at a time, numbered from 1: strict UTF-8 (a bad byte is refused with
 * its line, never replaced) and a cap on one line's length, so a hostile file cannot make the
 * reader hold more than {@link #MAX_LINE} characters at once whatever its size.
 */
final class Lines implements Closeable {

  /** The longest line read: garak's attempts with many generations are a few hundred KB at most. */
  static final int MAX_LINE = 32 * 1024 * 1024;

  private final Reader in;
  private final String what;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int end;
  private long number;
  private boolean endedWithNewline = true;
  private StringBuilder line = new StringBuilder(4096);

  Lines(Path file, String what) throws IOException {
    InputStream raw = Files.newInputStream(file);
    this.in = new InputStreamReader(raw, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    this.what = what;
  }

  /** The number of the line last returned. */
  long number() {
    return number;
  }

  /** Whether the file's last line ended with a newline (a line cut short by a crash does not). */
  boolean endedWithNewline() {
    return endedWithNewline;
  }

  /** The next line without its line break, or null at the end. */
  String next() throws IOException {
    line.setLength(0);
    boolean any = false;
    while (true) {
      if (pos == end) {
        try {
          end = in.read(buf, 0, buf.length);
        } catch (CharacterCodingException e) {
          throw refused(number + 1, "is not UTF-8 text");
        }
        pos = 0;
        if (end <= 0) {
          end = 0;
          if (!any) {
            return null;
          }
          endedWithNewline = false;
          number++;
          return trimCr();
        }
      }
      int start = pos;
      while (pos < end && buf[pos] != '\n') {
        pos++;
      }
      line.append(buf, start, pos - start);
      any = true;
      if (line.length() > MAX_LINE) {
        throw refused(number + 1, "is longer than " + MAX_LINE + " characters");
      }
      if (pos < end) {
        pos++; // the newline
        number++;
        endedWithNewline = true;
        if (line.capacity() > (1 << 20)) {
          String s = trimCr();
          line = new StringBuilder(4096); // give a huge line's buffer back
          return s;
        }
        return trimCr();
      }
    }
  }

  private String trimCr() {
    int n = line.length();
    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
  }

  Problem refused(long lineNumber, String why) {
    return ImportSource.refuse(what + " line " + lineNumber, why);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
