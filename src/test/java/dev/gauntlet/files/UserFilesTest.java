package dev.gauntlet.files;

import dev.gauntlet.memory.MemoryPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's exports and backups land in their own folder under generated names, whatever their
 * username holds; uploads and admin backups have folders of their own outside every user's.
 */
class UserFilesTest {

  @TempDir
  Path dir;

  final MemoryPaths paths = new MemoryPaths(Path.of("memory"), "salt".getBytes(StandardCharsets.UTF_8));

  UserFiles files() {
    return new UserFiles(dir.resolve("files"), paths);
  }

  @Test
  void exportsAndBackupsGetGeneratedNamesInTheUsersOwnFolder() {
    UserFiles files = files();
    Path alice = dir.resolve("files").resolve(paths.userHash("alice")).toAbsolutePath().normalize();

    Path csv = files.exportFile("alice", "csv");
    Path again = files.exportFile("alice", "csv");
    Path backup = files.backupFile("alice");

    assertEquals(alice.resolve("exports"), csv.getParent());
    assertTrue(csv.getFileName().toString().matches("[0-9a-f-]{36}\\.csv"), csv.toString());
    assertNotEquals(csv, again, "two exports never share a file");
    assertEquals(alice.resolve("backups"), backup.getParent());
    assertTrue(backup.getFileName().toString().matches("[0-9a-f-]{36}\\.db"), backup.toString());
    assertFalse(Files.exists(csv.getParent()) || Files.exists(backup.getParent()), "naming a download touches no disk: the writer makes its folder");
    assertFalse(Files.exists(csv), "the file itself is left to whoever writes it");
    assertFalse(csv.toString().contains("alice"), "a username never appears in a path");
  }

  @Test
  void aUserKeepsTheirFolderAcrossRestartsAndNoTwoUsersShareOne() {
    assertEquals(files().userDir("alice"), new UserFiles(dir.resolve("files"), paths).userDir("alice"));
    assertNotEquals(files().userDir("alice"), files().userDir("bob"));
    assertNotEquals(files().userDir("alice"), files().userDir("Alice"));
  }

  @Test
  void aUsernameWithDotsOrSlashesCannotLeaveItsOwnFolder() {
    UserFiles files = files();
    Path root = files.root();
    Path bob = files.userDir("bob");
    for (String username : List.of("../bob", "../../etc/passwd", "alice/../bob", "/bob", "..", ".", "bob\u0000")) {
      Path export = files.exportFile(username, "jsonl").normalize();
      Path own = files.userDir(username);
      assertTrue(export.startsWith(own), username + " → " + export);
      assertEquals(root, own.getParent(), username + "'s folder is directly under the files directory");
      assertNotEquals(bob, own, username + " does not reach bob's folder");
      assertTrue(own.getFileName().toString().matches("[0-9a-f]{64}"), username + " → " + own);
    }
  }

  @Test
  void anExportExtensionCannotCarryAPath() {
    UserFiles files = files();
    for (String extension : List.of("../../x", "csv/../../a", "", "CSV ", "a.b", "html\\..")) {
      assertThrows(IllegalArgumentException.class, () -> files.exportFile("alice", extension), extension);
    }
    assertThrows(IllegalArgumentException.class, () -> files.exportFile("", "csv"), "a folder needs a user");
  }

  @Test
  void uploadsAndAdminBackupsLiveOutsideEveryUsersFolder() {
    UserFiles files = files();
    assertEquals(files.root().resolve("uploads"), files.uploadsDir());
    assertTrue(Files.isDirectory(files.uploadsDir()));

    Instant at = Instant.parse("2026-12-03T14:35:01.123Z");
    Path backup = files.adminBackupDir(at);
    assertEquals(files.root().resolve("backups").resolve("20261203T143501.123Z"), backup);
    assertTrue(Files.isDirectory(backup));
    assertThrows(UncheckedIOException.class, () -> files.adminBackupDir(at), "a second backup in the same millisecond gets no shared folder");
  }
}
