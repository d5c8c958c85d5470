package dev.gauntlet.files;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Gauntlet process per data directory (outside cluster mode): a second one would share the
 * app database and then fail its users on DuckDB's lock of every memory file. The process holds an
 * operating-system lock on {@code gauntlet.lock} in the data directory for as long as it runs, and
 * writes into it who holds it (pid, host, start time) for the message the next one prints. The OS
 * drops the lock when the process ends, however it ends, so a file left by a killed process blocks
 * nothing: only a live holder does.
 */
public final class DataDirLock {

  public static final String FILE = "gauntlet.lock";

  /** Another process holds the directory; the message names it. */
  public static final class Held extends RuntimeException {
    Held(String message) {
      super(message);
    }
  }

  private record Holding(FileChannel channel, FileLock lock) {}

  private static final Map<Path, Holding> HELD = new ConcurrentHashMap<>();

  private DataDirLock() {}

  /**
   * Takes the data directory for this process, or throws {@link Held} naming the process that has
   * it. The directory must exist.
   */
  public static void acquire(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    Path file = dir.resolve(FILE);
    if (HELD.containsKey(dir)) {
      throw new Held(message(dir, "this same process (another Gauntlet started in it)"));
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null;
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        channel.close();
        throw new Held(message(dir, holder.isEmpty() ? "a process that is still starting" : describe(holder)));
      }
      String who = "pid=" + ProcessHandle.current().pid() + "\nhost=" + host() + "\nstarted=" + Instant.now() + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      HELD.put(dir, new Holding(channel, lock));
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // the open failed already; that is what is reported
        }
      }
      throw new IllegalStateException("cannot lock the data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Gives the directory up (at a clean stop; an ended process gives it up anyway). */
  public static void release(Path dataDir) {
    Holding h = HELD.remove(dataDir.toAbsolutePath().normalize());
    if (h == null) {
      return;
    }
    try {
      h.lock().release();
      h.channel().close();
    } catch (IOException e) {
      // closing the channel is what matters, and the process ending does that too
    }
  }

  private static String message(Path dir, String holder) {
    return "the data directory " + dir + " is in use by " + holder + ". One Gauntlet runs per data directory: stop that one "
        + "first, or start this one with another GAUNTLET_DATA_DIR (several processes share users only in cluster mode).";
  }

  /** "pid=1\nhost=h\nstarted=t" as "Gauntlet pid 1 on host h, started t". */
  static String describe(String content) {
    Map<String, String> fields = new java.util.HashMap<>();
    for (String line : content.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return "Gauntlet pid " + fields.getOrDefault("pid", "?") + " on host " + fields.getOrDefault("host", "?")
        + ", started " + fields.getOrDefault("started", "?");
  }

  private static String host() {
    Path kernel = Path.of("/proc/sys/kernel/hostname");
    try {
      if (Files.isReadable(kernel)) {
        return Files.readString(kernel).trim();
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
  }
}
