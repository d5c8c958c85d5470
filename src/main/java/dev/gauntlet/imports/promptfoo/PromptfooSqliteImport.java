package dev.gauntlet.imports.promptfoo;

import dev.gauntlet.imports.ImportFormat;
import dev.gauntlet.imports.ImportSource;
import dev.gauntlet.imports.Landing;

/**
 * promptfoo's SQLite database ({@code promptfoo.db}): see {@link PromptfooSqlite} and
 * {@link PromptfooLanding}. A SQLite file is recognized as promptfoo's only by its name
 * ({@code promptfoo.db}); PyRIT's memory is SQLite too, so any other name needs the format named.
 */
public final class PromptfooSqliteImport implements ImportFormat {

  public static final String ID = "promptfoo-sqlite";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String tool() {
    return "promptfoo";
  }

  @Override
  public boolean recognizes(byte[] head, String fileName) {
    return PromptfooSqlite.isSqlite(head) && fileName.toLowerCase(java.util.Locale.ROOT).startsWith("promptfoo");
  }

  @Override
  public void read(ImportSource source, Landing landing) throws Exception {
    PromptfooLanding to = new PromptfooLanding(source, landing);
    try {
      PromptfooSqlite.read(source.file(), new PromptfooSqlite.Sink() {
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
            throw new PromptfooJsonImport.Failed(e);
          }
        }
      });
    } catch (PromptfooJsonImport.Failed f) {
      throw f.cause;
    }
    to.finish();
  }
}
