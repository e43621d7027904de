package io.github.devplugin.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A goal's last "nothing to do" decision, kept so that the next run with the same inputs repeats it without loading
 * the configuration or anything else (issue 15): {@code <devpluginDirectory>/stamps/<goal>.recheck} holds the
 * decision's key (the goal, its parameters and the whole configuration input: the POM's elements, the
 * overrides, the project model, the plugin's jar), the state of every file the decision read (size, modification
 * time and file key; a directory's modification time, which changes when an entry is added, removed or renamed) and
 * the lines the goal logged. It holds when the key is equal and every file is in the recorded state; then the goal
 * logs the same lines and does nothing else. Anything else (another key, one file changed, added or removed, an
 * unreadable or older record) and the goal decides as before, from its fingerprint stamp.
 *
 * <p>The key is kept as a digest, never as text: it holds the project's properties, and those include the
 * properties of the active {@code settings.xml} profiles, where users keep tokens. The digest is FNV-1a (64 bits)
 * over its characters with CRC32C over its UTF-8 bytes and its length, not SHA-256, whose first use costs a fresh JVM
 * 30-50 ms: it only has to tell an accidental change, the user being the one who writes the key's inputs. A record is
 * refused when any file it would hold was modified after, or less than {@link #RACY_MILLIS} before, this object was
 * made, before the decision read anything (git's "racily clean" case: a change in the same clock tick would keep
 * size and time; and a change while the goal ran may not be what it read); the next run records it.
 */
public final class Recheck {
  static final String FORMAT = "devplugin-recheck 2";
  /** Files modified this recently are not trusted to show their next change in their state. */
  static final long RACY_MILLIS = 2000;

  private final Path file;
  /** The key's {@link #digest}: the key itself is not kept. */
  private final String key;
  /** When the decision started: a file modified since (or just before) may have been read in its older state. */
  private final long started = System.currentTimeMillis();

  /** A decision about to be taken (made before anything it reads is read). */
  public Recheck(Path file, String key) {
    this.file = file;
    this.key = digest(key);
  }

  /** {@code <devpluginDirectory>/stamps/<goal>.recheck}, beside the goal's fingerprint stamps. */
  public static Recheck forGoal(Path devpluginDirectory, String goal, String key) {
    return new Recheck(devpluginDirectory.resolve("stamps").resolve(goal + ".recheck"), key);
  }

  public Path file() {
    return file;
  }

  /**
   * The plugin's identity for a key: its version and its jar's path, size and modification time, so that a rebuilt
   * plugin (a snapshot) decides anew.
   */
  public static String pluginIdentity() {
    String location;
    try {
      location = Path.of(Recheck.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      location = "unknown";
    }
    return Fingerprint.pluginVersion() + " " + location + " " + ("unknown".equals(location) ? ""
        : state(Path.of(location)));
  }

  /**
   * The lines the recorded decision logged, when the key is equal and every recorded file is in its recorded state;
   * empty otherwise (also when there is no record or it cannot be read).
   */
  public Optional<List<String>> lines() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
    try {
      int at = FORMAT.length() + 1;
      if (!text.startsWith(FORMAT + "\n" + key + "\n")) {
        return Optional.empty();
      }
      List<String> lines = new ArrayList<>();
      for (String line : text.substring(at + key.length() + 1).split("\n", -1)) {
        if (line.startsWith("f ")) {
          int tab = line.indexOf('\t');
          if (!state(Path.of(line.substring(tab + 1))).equals(line.substring(2, tab))) {
            return Optional.empty();
          }
        } else if (line.startsWith("l ")) {
          lines.add(line.substring(2));
        } else if (!line.isEmpty()) {
          return Optional.empty();
        }
      }
      return lines.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(lines));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Records the decision: {@code lines} to log again while the key and the state of {@code files} (each as it is now)
   * and of every directory and file under {@code trees} stay the same. Refused, and any older record removed, when a
   * file or directory was modified since {@link #RACY_MILLIS} before this object was made, a path or line cannot be
   * written on one line, or nothing is to be logged.
   *
   * @param checked files whose state the decision was taken from, with that state ({@link #state}-like strings are not
   *     required: any mismatch with {@code stateNow} refuses the record), e.g. what the configuration's loading read
   * @param stateNow the current state of a {@code checked} file, in the form {@code checked} holds
   * @return whether it was recorded
   */
  public boolean record(Map<Path, String> checked, java.util.function.Function<Path, String> stateNow,
      Collection<Path> files, Collection<Path> trees, List<String> lines) {
    Map<Path, String> states = new TreeMap<>();
    for (Map.Entry<Path, String> c : checked.entrySet()) {
      if (!stateNow.apply(c.getKey()).equals(c.getValue())) {
        return forget();
      }
      states.put(c.getKey(), null);
    }
    files.forEach(f -> states.put(f.toAbsolutePath().normalize(), null));
    for (Path tree : trees) {
      Path root = tree.toAbsolutePath().normalize();
      states.put(root, null);
      if (Files.isDirectory(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.forEach(p -> states.put(p, null));
        } catch (IOException | UncheckedIOException e) {
          return forget();
        }
      }
    }
    StringBuilder out = new StringBuilder(FORMAT).append('\n').append(key).append('\n');
    for (Path p : states.keySet()) {
      String s = state(p);
      String name = p.toString();
      if (modifiedSince(p, started - RACY_MILLIS) || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
        return forget();
      }
      out.append("f ").append(s).append('\t').append(name).append('\n');
    }
    if (lines.isEmpty()) {
      return forget();
    }
    for (String line : lines) {
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        return forget();
      }
      out.append("l ").append(line).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, out, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException | UncheckedIOException e) {
      return forget();
    }
  }

  /** Removes the record (the next run decides from the goal's stamps); false. */
  public boolean forget() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a record that cannot be removed cannot be read either in a way that matters: its key and states are checked
    }
    return false;
  }

  /** The key's digest as the record keeps it: FNV-1a 64 of its characters, CRC32C of its UTF-8 bytes, its length. */
  static String digest(String key) {
    long fnv = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      fnv = (fnv ^ key.charAt(i)) * 0x100000001b3L;
    }
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(fnv) + "-" + Long.toHexString(crc.getValue()) + "-" + key.length();
  }

  /**
   * A path's state: {@code absent}, a directory's modification time, or a file's size, modification time and file
   * key (links followed).
   */
  public static String state(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
      return a.isDirectory() ? "d " + mtime : "f " + a.size() + " " + mtime + " " + a.fileKey();
    } catch (IOException | RuntimeException e) {
      return "absent";
    }
  }

  private static boolean modifiedSince(Path p, long millis) {
    try {
      return Files.getLastModifiedTime(p).toMillis() > millis;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
