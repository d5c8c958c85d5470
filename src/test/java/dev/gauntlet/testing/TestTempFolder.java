package dev.gauntlet.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * One temporary folder per test run, under {@code target/tmp} (the build sets {@code java.io.tmpdir}
 * there), emptied when the run ends. Temporary folders of single tests are never deleted one by one
 * (a closed SQLite connection's -wal/-shm files may still be going away, see
 * junit-platform.properties), and servers a test kills with SIGKILL leave their extracted native
 * libraries behind: without this, every run left gigabytes in /tmp, and a disk the CI shares filled up.
 */
public final class TestTempFolder implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Path dir = folder();
    if (dir == null) {
      return;
    }
    try {
      // what an interrupted earlier run left
      clear(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the tests' temporary folder " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    Path dir = folder();
    if (dir != null) {
      clear(dir);
    }
  }

  /** The run's temporary folder, or null when it is not one the build made for this run. */
  static Path folder() {
    String tmp = System.getProperty("java.io.tmpdir");
    if (tmp == null || !Boolean.getBoolean("gauntlet.test.tmpdir.owned")) {
      return null;
    }
    return Path.of(tmp).toAbsolutePath();
  }

  /** Deletes everything under {@code dir}, keeping on past what cannot be deleted. */
  static void clear(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          try {
            Files.deleteIfExists(file);
          } catch (IOException ignored) {
            // a file another process still holds: the next run's clear takes it
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) {
          if (!d.equals(dir)) {
            try {
              Files.deleteIfExists(d);
            } catch (IOException ignored) {
              // not empty: something in it could not be deleted
            }
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // walkFileTree reports failures through the visitor
    }
  }
}
