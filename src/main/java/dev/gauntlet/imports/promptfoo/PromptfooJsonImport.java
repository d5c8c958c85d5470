package dev.gauntlet.imports.promptfoo;

import dev.gauntlet.imports.ImportFormat;
import dev.gauntlet.imports.ImportSource;
import dev.gauntlet.imports.Landing;

import java.nio.charset.StandardCharsets;

/** promptfoo's {@code promptfoo eval -o results.json}: see {@link PromptfooJson} and {@link PromptfooLanding}. */
public final class PromptfooJsonImport implements ImportFormat {

  public static final String ID = "promptfoo-json";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String tool() {
    return "promptfoo";
  }

  /** promptfoo writes the output file's {@code evalId} first ({@code {"evalId": …, "results": {…}}}). */
  @Override
  public boolean recognizes(byte[] head, String fileName) {
    String s = new String(head, StandardCharsets.UTF_8).stripLeading();
    return s.startsWith("{") && s.substring(1).stripLeading().startsWith("\"evalId\"");
  }

  @Override
  public void read(ImportSource source, Landing landing) throws Exception {
    PromptfooLanding to = new PromptfooLanding(source, landing);
    try {
      PromptfooJson.read(source.file(), new PromptfooJson.Sink() {
        @Override
        public void start(PromptfooEval eval) {
          to.start(eval);
        }

        @Override
        public void result(PromptfooResult result) {
          try {
            to.result(result);
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new Failed(e);
          }
        }
      });
    } catch (Failed f) {
      throw f.cause;
    }
    to.finish();
  }

  /** A landing's failure carried out of the reader's callback. */
  static final class Failed extends RuntimeException {
    final Exception cause;

    Failed(Exception cause) {
      super(cause.getMessage(), cause, false, false);
      this.cause = cause;
    }
  }
}
