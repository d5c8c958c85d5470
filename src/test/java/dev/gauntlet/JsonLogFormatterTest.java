package dev.gauntlet;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogFormatterTest {

  @Test
  void oneLineOfJsonWithEscapedMessageAndException() {
    LogRecord r = new LogRecord(Level.WARNING, "user \"{0}\" said\nhello\t\\ there");
    r.setParameters(new Object[] {"bob"});
    r.setLoggerName("dev.gauntlet.Test");
    r.setThrown(new IllegalStateException("boom \"quoted\""));
    String out = new JsonLogFormatter().format(r);
    assertTrue(out.endsWith(System.lineSeparator()));
    String line = out.strip();
    assertFalse(line.contains("\n"), "one line: " + line);
    JsonObject json = new JsonObject(line);
    assertEquals("WARNING", json.getString("level"));
    assertEquals("dev.gauntlet.Test", json.getString("logger"));
    assertEquals("user \"bob\" said\nhello\t\\ there", json.getString("message"));
    assertTrue(json.getString("exception").startsWith("java.lang.IllegalStateException: boom \"quoted\""));
    Instant.parse(json.getString("timestamp"));
  }

  @Test
  void noExceptionFieldWithoutOne() {
    LogRecord r = new LogRecord(Level.INFO, "plain");
    JsonObject json = new JsonObject(new JsonLogFormatter().format(r).strip());
    assertEquals("plain", json.getString("message"));
    assertEquals("INFO", json.getString("level"));
    assertNull(json.getString("exception"));
  }
}
