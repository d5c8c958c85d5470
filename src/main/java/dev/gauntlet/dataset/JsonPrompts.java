package dev.gauntlet.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.gauntlet.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON (an array of prompts, or an object with a "prompts" array as PyRIT writes it) and JSON
 * Lines. Streams with jackson-core so that every error and every prompt keeps its location.
 */
final class JsonPrompts {

  private static final JsonFactory FACTORY = new JsonFactory();

  /** A value read from a document and where it starts ("line 3, column 5"). */
  record Located(Object value, String where) {
  }

  private JsonPrompts() {
  }

  /**
   * A JSON document's top level: a bare array's elements, or an object's fields (as plain values)
   * with each array field's elements also kept with the line each starts on.
   */
  record Document(List<Located> topArray, Map<String, Object> fields, Map<String, List<Located>> arrays) {
  }

  static Document document(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      List<Located> topArray = null;
      Map<String, Object> fields = new LinkedHashMap<>();
      Map<String, List<Located>> arrays = new LinkedHashMap<>();
      if (first == JsonToken.START_ARRAY) {
        topArray = new ArrayList<>();
        readElements(p, topArray);
      } else if (first == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken t = p.nextToken();
          if (t == JsonToken.START_ARRAY) {
            List<Located> elements = new ArrayList<>();
            readElements(p, elements);
            arrays.put(field, elements);
            fields.put(field, elements.stream().map(Located::value).toList());
          } else {
            fields.put(field, readValue(p));
          }
        }
      } else {
        throw problem(p.currentTokenLocation(), "expected a JSON array or object");
      }
      if (p.nextToken() != null) {
        throw problem(p.currentTokenLocation(), "unexpected content after the end of the JSON document");
      }
      return new Document(topArray, fields, arrays);
    } catch (JsonProcessingException e) {
      throw problem(e.getLocation(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void readDocument(String text, PromptCollector out) {
    Document d = document(text);
    if (d == null) {
      return;
    }
    List<Located> elements = d.topArray();
    if (elements == null) {
      elements = d.arrays().get("prompts");
      if (elements == null) {
        throw Problem.badRequest("invalid_dataset", d.fields().containsKey("prompts") ? "'prompts' must be an array"
            : "the JSON object has no 'prompts' array; fields found: " + d.fields().keySet());
      }
    }
    Map<String, Object> top = d.fields();
    out.describe(top.getOrDefault("dataset_name", top.get("name")), top.get("description"));
    List<String> defaults = PromptCollector.categories(top.get("harm_categories"), "harm_categories");
    for (Located e : elements) {
      out.addElement(e.value(), e.where(), defaults, Map.of());
    }
  }

  /** One JSON object or string per line; blank lines skipped; errors name the line. */
  static void readLines(String text, PromptCollector out) {
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String where = "line " + lineNumber;
      Object value;
      try (JsonParser p = FACTORY.createParser(line)) {
        p.nextToken();
        value = readValue(p);
        if (p.nextToken() != null) {
          throw Problem.badRequest("invalid_dataset", where + ": more than one JSON value on the line (column "
              + p.currentTokenLocation().getColumnNr() + ")");
        }
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw Problem.badRequest("invalid_dataset", where + ": " + clean(e.getOriginalMessage())
            + (at == null || at.getColumnNr() < 1 ? "" : " (column " + at.getColumnNr() + ")"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.addElement(value, where, List.of(), Map.of());
    }
  }

  private static void readElements(JsonParser p, List<Located> into) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      JsonLocation at = p.currentTokenLocation();
      into.add(new Located(readValue(p), "line " + at.getLineNr() + ", column " + at.getColumnNr()));
      if (into.size() > DatasetFormats.MAX_PROMPTS) {
        throw Problem.badRequest("too_many_prompts", "a dataset holds at most " + DatasetFormats.MAX_PROMPTS + " prompts");
      }
    }
  }

  /** The value at the current token as plain Java: maps, lists, strings, numbers, booleans, null. */
  private static Object readValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw problem(p.currentLocation(), "unexpected end of input");
    }
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          map.put(field, readValue(p));
        }
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(p));
        }
        yield list;
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw problem(p.currentTokenLocation(), "unexpected " + t);
    };
  }

  private static Problem problem(JsonLocation at, String message) {
    String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    return Problem.badRequest("invalid_dataset", where + clean(message));
  }

  /** Jackson's message without its redacted-source boilerplate. */
  private static String clean(String message) {
    return String.valueOf(message).replaceAll("\\[Source: [^;\\]]*; ", "[");
  }
}
