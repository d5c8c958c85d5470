package dev.gauntlet.files;

import dev.gauntlet.memory.MemoryPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one place the layout of Gauntlet's files directory ({@code data/files/}) is decided:
 *
 * <pre>
 * files/
 *   &lt;user hash&gt;/exports/&lt;uuid&gt;.&lt;ext&gt;   a user's export or report, until it is downloaded
 *   &lt;user hash&gt;/backups/&lt;uuid&gt;.db      a copy of a user's own memory, until it is downloaded
 *   uploads/                            uploads in flight (the body handler's temporary files)
 *   backups/&lt;UTC stamp&gt;/                 an admin's online backup of the app database and memories
 * </pre>
 *
 * A user's folder is the hash of their memory file ({@link MemoryPaths#userHash}), so it moves
 * no more than their memory does and a username never becomes a path. Every file name is
 * generated here; a name a user supplies is metadata (a download's file name), never a path.
 *
 * <p>Export and backup paths are only named here (no file-system call, so an event loop may ask):
 * the user's memory shard writes them and creates their folders. {@link #uploadsDir} and
 * {@link #adminBackupDir} create what they name, a blocking call for a worker or the start.
 */
public final class UserFiles {

  /** An export's extension is one of Gauntlet's format names, never a path. */
  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,16}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path root;
  private final MemoryPaths paths;

  /** @param root the files directory, {@code GauntletConfig.filesDir()} */
  public UserFiles(Path root, MemoryPaths paths) {
    this.root = root.toAbsolutePath().normalize();
    this.paths = paths;
  }

  public Path root() {
    return root;
  }

  /** A user's own folder, {@code files/<user hash>/}, from the frozen canonical username. */
  public Path userDir(String username) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("a user's folder needs their username");
    }
    return root.resolve(paths.userHash(username));
  }

  /** A new, unused file for an export of the user's results, e.g. {@code exportFile("alice", "csv")}. */
  public Path exportFile(String username, String extension) {
    if (extension == null || !EXTENSION.matcher(extension).matches()) {
      throw new IllegalArgumentException("an export's extension must be 1 to 16 lower-case letters or digits");
    }
    return userDir(username).resolve("exports").resolve(UUID.randomUUID() + "." + extension);
  }

  /** A new, unused file for a copy of the user's memory, to be downloaded by that user. */
  public Path backupFile(String username) {
    return userDir(username).resolve("backups").resolve(UUID.randomUUID() + ".db");
  }

  /** Where uploads wait while their request is in flight; emptied at every start. */
  public Path uploadsDir() {
    return created(root.resolve("uploads"));
  }

  /**
   * A new directory for an admin's online backup taken at {@code at}, named by its UTC time to
   * the millisecond ({@code files/backups/20261203T143501.123Z/}). Two backups never share one:
   * if the directory already exists this fails rather than mixing their files.
   */
  public Path adminBackupDir(Instant at) {
    Path dir = created(root.resolve("backups")).resolve(STAMP.format(at));
    try {
      return Files.createDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the backup directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Path created(Path dir) {
    return Private.dir(dir);
  }
}
