package dev.gauntlet.imports.promptfoo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads promptfoo's {@code promptfoo eval -o results.json} ({@code OutputFile}: {@code evalId},
 * {@code results} with {@code version}, {@code timestamp} and the {@code results} list,
 * {@code config}, {@code metadata}) without holding the file: a first pass checks the whole
 * document and reads the eval's own fields, a second hands each result to the sink as it is
 * parsed. A malformed or cut-short file is refused with the JSON path where it broke, before any
 * result is handed over.
 */
public final class PromptfooJson {

  public interface Sink {
    default void start(PromptfooEval eval) {}

    void result(PromptfooResult result);
  }

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).maxNestingDepth(200).build())
      .build();

  private PromptfooJson() {}

  /** Reads the eval and hands over its results; returns the eval. */
  public static PromptfooEval read(Path file, Sink sink) throws IOException {
    PromptfooEval eval = header(file);
    sink.start(eval);
    try (InputStream in = Files.newInputStream(file); JsonParser p = FACTORY.createParser(in)) {
      try {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if ("results".equals(field)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String inner = p.currentName();
              p.nextToken();
              if ("results".equals(inner)) {
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                  String where = "results file $.results.results[" + i + "]";
                  if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw PromptfooResults.refused(where, "is not an object");
                  }
                  sink.result(PromptfooResults.from((JsonObject) tree(p), eval.id(), where));
                  i++;
                }
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
      } catch (JsonProcessingException e) {
        throw broken(p, e);
      }
    }
    return eval;
  }

  /** The first pass: the document's shape and the eval's fields. */
  static PromptfooEval header(Path file) throws IOException {
    String evalId = null;
    String description = null;
    String timestamp = null;
    String version = null;
    boolean redteam = false;
    int resultsVersion = 0;
    boolean sawResults = false;
    try (InputStream in = Files.newInputStream(file); JsonParser p = FACTORY.createParser(in)) {
      try {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw PromptfooResults.refused("results file $", "is not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken t = p.nextToken();
          switch (field) {
            case "evalId" -> evalId = t == JsonToken.VALUE_STRING ? p.getText() : null;
            case "results" -> {
              if (t != JsonToken.START_OBJECT) {
                throw PromptfooResults.refused("results file $.results", "is not an object");
              }
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String inner = p.currentName();
                JsonToken v = p.nextToken();
                if ("version".equals(inner) && v == JsonToken.VALUE_NUMBER_INT) {
                  resultsVersion = p.getIntValue();
                } else if ("timestamp".equals(inner) && v == JsonToken.VALUE_STRING) {
                  timestamp = p.getText();
                } else if ("results".equals(inner)) {
                  if (v != JsonToken.START_ARRAY) {
                    throw PromptfooResults.refused("results file $.results.results", "is not a list");
                  }
                  sawResults = true;
                  p.skipChildren();
                } else {
                  p.skipChildren();
                }
              }
            }
            case "config" -> {
              if (t == JsonToken.START_OBJECT) {
                JsonObject config = (JsonObject) tree(p);
                description = config.getValue("description") instanceof String d ? d : null;
                redteam = config.getValue("redteam") != null;
              } else {
                p.skipChildren();
              }
            }
            case "metadata" -> {
              if (t == JsonToken.START_OBJECT) {
                JsonObject meta = (JsonObject) tree(p);
                version = meta.getValue("promptfooVersion") instanceof String s ? s : null;
              } else {
                p.skipChildren();
              }
            }
            default -> p.skipChildren();
          }
        }
        if (p.nextToken() != null) {
          throw PromptfooResults.refused("results file $", "has content after its end");
        }
      } catch (JsonProcessingException e) {
        throw broken(p, e);
      }
    }
    if (!sawResults) {
      throw PromptfooResults.refused("results file $.results.results", "is missing: not a promptfoo eval output");
    }
    if (evalId == null || evalId.isBlank()) {
      evalId = "file-" + digest(file);
    }
    return new PromptfooEval(evalId, description, timestamp, redteam, version, resultsVersion);
  }

  /** A JSON syntax error (a cut-short file among them) named by the path where it happened. */
  private static Problem broken(JsonParser p, JsonProcessingException e) {
    String path = path(p.getParsingContext().pathAsPointer().toString());
    boolean ended = e.getClass().getSimpleName().contains("EOF") || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
    String why = ended ? "is cut short (the file is truncated)" : "is not valid JSON";
    return PromptfooResults.refused("results file " + path, why + " at line " + e.getLocation().getLineNr());
  }

  /** A JSON pointer ({@code /results/results/3/prompt}) as a path ({@code $.results.results[3].prompt}). */
  static String path(String pointer) {
    StringBuilder out = new StringBuilder("$");
    if (pointer.isEmpty()) {
      return out.toString();
    }
    for (String part : pointer.substring(1).split("/", -1)) {
      String name = part.replace("~1", "/").replace("~0", "~");
      if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
        out.append('[').append(name).append(']');
      } else {
        out.append('.').append(name);
      }
    }
    return out.toString();
  }

  /** The value starting at the parser's current token, as Vert.x JSON. */
  static Object tree(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT -> {
        JsonObject o = new JsonObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          o.put(name, tree(p));
        }
        return o;
      }
      case START_ARRAY -> {
        JsonArray a = new JsonArray();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(tree(p));
        }
        return a;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalStateException("unexpected " + p.currentToken());
    }
  }

  private static String digest(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
