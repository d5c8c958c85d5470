package dev.gauntlet.files;

import dev.gauntlet.appdb.AppDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** On a shared machine, Gauntlet's folders are its own (0700) and its files too (0600). */
class PrivateTest {

  @TempDir
  Path tmp;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void foldersAreMade0700AndOnlyGauntletsOwnAreTightened() throws Exception {
    Path deep = Private.dir(tmp.resolve("data/memory/more"));
    assertEquals("rwx------", mode(deep));
    assertEquals("rwx------", mode(tmp.resolve("data")), "missing parents are made private too");
    Path shared = Files.setPosixFilePermissions(Files.createDirectory(tmp.resolve("shared")), PosixFilePermissions.fromString("rwxrwxrwx"));
    Private.dir(shared.resolve("data"));
    assertEquals("rwxrwxrwx", mode(shared), "a folder Gauntlet did not make (a home, /tmp) keeps its mode");
    assertEquals("rwx------", mode(shared.resolve("data")));
    Path old = Files.createDirectory(tmp.resolve("old"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Private.tighten(old);
    assertEquals("rwx------", mode(old), "an older installation's own open folder is tightened at start");
  }

  @Test
  void theAppDatabaseIsPrivateFromItsFirstOpen() throws Exception {
    Path file = tmp.resolve("data/gauntlet.db");
    try (AppDatabase db = AppDatabase.open(file)) {
      assertEquals("rwx------", mode(file.getParent()));
      assertEquals("rw-------", mode(file));
    }
  }
}
