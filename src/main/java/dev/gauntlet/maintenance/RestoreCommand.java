package dev.gauntlet.maintenance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code gauntlet restore --from BACKUP_DIR --data-dir NEW_DIR}: copies a backup made by
 * {@code POST /api/v1/admin/backup} into a fresh data directory (refusing a non-empty one). The
 * app database carries the users, their registered memory files and a generated salt; start
 * Gauntlet on the new directory with the same {@code PYRIT_DB_SALT} if one was configured.
 */
public final class RestoreCommand {

  private RestoreCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path from = null;
    Path to = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--from") && i + 1 < args.length) {
        from = Path.of(args[++i]);
      } else if (args[i].equals("--data-dir") && i + 1 < args.length) {
        to = Path.of(args[++i]);
      } else {
        err.println("usage: java -jar gauntlet.jar restore --from BACKUP_DIR --data-dir NEW_DIR");
        return MemoryCommand.USAGE;
      }
    }
    if (from == null || to == null) {
      err.println("usage: java -jar gauntlet.jar restore --from BACKUP_DIR --data-dir NEW_DIR");
      return MemoryCommand.USAGE;
    }
    if (!Files.isRegularFile(from.resolve("gauntlet.db"))) {
      err.println("gauntlet restore: " + from + " is not a Gauntlet backup (no gauntlet.db in it)");
      return MemoryCommand.USAGE;
    }
    try {
      if (Files.exists(to)) {
        try (Stream<Path> s = Files.list(to)) {
          if (s.findAny().isPresent()) {
            err.println("gauntlet restore: " + to + " is not empty; restore only into a new or empty data directory");
            return MemoryCommand.USAGE;
          }
        }
      }
      Files.createDirectories(to.resolve("memory"));
      List<Path> written = new ArrayList<>();
      written.add(copy(from.resolve("gauntlet.db"), to.resolve("gauntlet.db")));
      if (Files.isRegularFile(from.resolve("secret.key"))) {
        written.add(copy(from.resolve("secret.key"), to.resolve("secret.key")));
      }
      Path memory = from.resolve("memory");
      if (Files.isDirectory(memory)) {
        for (Path f : MemoryCommand.strayFiles(memory)) {
          written.add(copy(f, to.resolve("memory").resolve(f.getFileName())));
        }
      }
      out.println("restored " + written.size() + " files into " + to.toAbsolutePath() + ":");
      written.forEach(p -> out.println("  " + p));
      out.println("start it with GAUNTLET_DATA_DIR=" + to.toAbsolutePath()
          + " (and the same PYRIT_DB_SALT / memory.salt if the original had one configured)");
      return MemoryCommand.OK;
    } catch (IOException e) {
      err.println("gauntlet restore: " + e);
      return MemoryCommand.FAILED;
    }
  }

  private static Path copy(Path source, Path target) throws IOException {
    Files.copy(source, target);
    return target;
  }
}
