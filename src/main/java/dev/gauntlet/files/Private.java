package dev.gauntlet.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Gauntlet's data is its users' alone on a shared machine too: every folder it makes is 0700,
 * made so before any file is written in it, and the files it owns are 0600; its own folders an
 * older installation left open are tightened at start. DuckDB and SQLite create their own files with the process's
 * umask, which is why they are tightened right after they appear; the 0700 folder around them
 * keeps them from everyone else in the meantime.
 */
public final class Private {

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private Private() {}

  /** The folder and any missing parents, each made 0700; a folder that exists is left as it is (see {@link #tighten}). */
  public static Path dir(Path dir) {
    try {
      Path absolute = dir.toAbsolutePath();
      if (!Files.isDirectory(absolute)) {
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
          dir(parent);
        }
        if (POSIX) {
          Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectory(absolute);
        }
      }
      return dir;
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Tightens an existing folder of Gauntlet's own to 0700 (an older installation made them 0755).
   * Only for folders Gauntlet owns by name, never one a user pointed it at that may be shared
   * (a home or /tmp): the caller decides which.
   */
  public static void tighten(Path dir) {
    if (!POSIX || !Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Makes each file that exists 0600 (a database and its journal, an export). */
  public static void files(Path... files) {
    if (!POSIX) {
      return;
    }
    for (Path f : files) {
      try {
        if (Files.isRegularFile(f)) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot restrict " + f + ": " + e.getMessage(), e);
      }
    }
  }
}
