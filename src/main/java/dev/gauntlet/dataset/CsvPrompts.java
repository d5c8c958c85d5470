package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CSV and TSV with a header row; other columns become each prompt's metadata. */
final class CsvPrompts {

  private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)\\s*");
  private static final Pattern AT_LINE = Pattern.compile("\\s*at line: (\\d+), position: \\d+");

  private CsvPrompts() {
  }

  static void read(String text, char delimiter, PromptCollector out) {
    CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).build();
    try (CSVParser parser = CSVParser.parse(text, format)) {
      Iterator<CSVRecord> records = parser.iterator();
      if (!next(records, parser)) {
        return;
      }
      List<String> header = records.next().toList();
      List<String> named = header.stream().filter(h -> !h.isBlank()).toList();
      int valueColumn = header.indexOf(out.valueKey(named, "line 1", "column"));
      String categoryKey = out.requiredCategoryKey(named, "line 1", "column");
      int categoryColumn = categoryKey == null ? -1 : header.indexOf(categoryKey);
      while (next(records, parser)) {
        CSVRecord row = records.next();
        String line = "line " + parser.getCurrentLineNumber();
        JsonObject metadata = new JsonObject();
        for (int i = 0; i < header.size() && i < row.size(); i++) {
          if (i != valueColumn && i != categoryColumn && !header.get(i).isBlank()) {
            metadata.put(header.get(i), row.get(i));
          }
        }
        String value = valueColumn < row.size() ? row.get(valueColumn) : null;
        List<String> categories = categoryColumn >= 0 && categoryColumn < row.size()
            ? PromptCollector.categories(row.get(categoryColumn), line) : List.of();
        out.add(value, categories, metadata);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does not fail
    }
  }

  /** {@code hasNext()}, turning commons-csv's syntax errors into 400s naming the line. */
  private static boolean next(Iterator<CSVRecord> records, CSVParser parser) {
    try {
      return records.hasNext();
    } catch (UncheckedIOException e) {
      String message = e.getCause() == null ? String.valueOf(e.getMessage()) : String.valueOf(e.getCause().getMessage());
      long line = parser.getCurrentLineNumber() + 1;
      Matcher start = START_LINE.matcher(message);
      Matcher at = AT_LINE.matcher(message);
      if (start.find()) {
        line = Long.parseLong(start.group(1));
        message = start.replaceFirst("");
      } else if (at.find()) {
        line = Long.parseLong(at.group(1));
        message = at.replaceFirst("");
      }
      if (message.contains("EOF reached before encapsulated token finished")) {
        message = "a quoted field is never closed";
      }
      throw Problem.badRequest("invalid_dataset", "line " + line + ": " + message);
    }
  }
}
