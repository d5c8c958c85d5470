package dev.gauntlet;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object per line for log shippers: {@code timestamp}, {@code level}, {@code logger},
 * {@code message} and, when there is one, {@code exception} (the stack trace as text). JSON
 * escaping is Vert.x's, so a message's quotes and newlines cannot break the line.
 */
public final class JsonLogFormatter extends Formatter {

  @Override
  public String format(LogRecord r) {
    JsonObject line = new JsonObject()
        .put("timestamp", Instant.ofEpochMilli(r.getMillis()).toString())
        .put("level", r.getLevel().getName())
        .put("logger", r.getLoggerName())
        .put("message", formatMessage(r));
    if (r.getThrown() != null) {
      StringWriter trace = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("exception", trace.toString());
    }
    return line.encode() + System.lineSeparator();
  }

  /** Puts this formatter on every handler of the root logger. */
  public static void install() {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      h.setFormatter(new JsonLogFormatter());
    }
  }
}
