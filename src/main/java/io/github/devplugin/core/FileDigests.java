package io.github.devplugin.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-256 of input files, remembered in a small file next to a goal's stamp
 * ({@code stamps/<goal>-<qualifier>.digests}) and keyed by each file's path, size, modification time and file key
 * (device and inode where the file system has them), as Gradle and Bazel do: an unchanged file is not read again, a
 * change of any of these reads it again. A file modified less than {@link #RACY_MILLIS} before it was read is not
 * remembered (its time may not tell a later change of the same size within the file system's time granularity
 * apart, git's "racily clean" case): the next run reads it again.
 */
public final class FileDigests {
  /** How recent a file's modification time may be, relative to its reading, for its digest to be remembered. */
  static final long RACY_MILLIS = 2_000;

  private final Path file;
  private final Map<String, Entry> known = new TreeMap<>();
  private final Map<String, Entry> used = new TreeMap<>();
  private final java.util.function.LongSupplier clock;

  /** What one file was when it was read, and its digest. */
  private record Entry(long size, long modifiedNanos, String fileKey, String sha256) {
    String line(String path) {
      return size + " " + modifiedNanos + " " + fileKey + " " + sha256 + " " + path;
    }
  }

  FileDigests(Path file, java.util.function.LongSupplier clock) {
    this.file = file;
    this.clock = clock;
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] p = line.split(" ", 5);
          if (p.length == 5 && p[3].length() == 64) {
            known.put(p[4], new Entry(Long.parseLong(p[0]), Long.parseLong(p[1]), p[2], p[3]));
          }
        }
      } catch (IOException | RuntimeException e) {
        known.clear(); // an unreadable cache only costs reading the files again
      }
    }
  }

  /** The digests remembered next to {@code stamp} ({@code .fingerprint} replaced by {@code .digests}). */
  public static FileDigests nextTo(UpToDate stamp) {
    String name = stamp.stampFile().getFileName().toString().replaceFirst("\\.fingerprint$", "");
    return new FileDigests(stamp.stampFile().resolveSibling(name + ".digests"), System::currentTimeMillis);
  }

  /** The file's SHA-256 (hex), from memory when its path, size, modification time and file key are unchanged. */
  public String sha256(Path path) throws IOException {
    String key = path.toAbsolutePath().normalize().toString();
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    long modified = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    String fileKey = a.fileKey() == null ? "-" : a.fileKey().toString().replace(' ', '_');
    // asked earlier in this run (the image's raw inputs, then its plan's fingerprint), else in an earlier run
    Entry e = used.containsKey(key) ? used.get(key) : known.get(key);
    if (e != null && e.size() == a.size() && e.modifiedNanos() == modified && e.fileKey().equals(fileKey)) {
      used.put(key, e);
      return e.sha256();
    }
    long readAt = clock.getAsLong();
    String sha = read(path);
    if (a.lastModifiedTime().toMillis() < readAt - RACY_MILLIS && key.indexOf('\n') < 0 && key.indexOf('\r') < 0) {
      used.put(key, new Entry(a.size(), modified, fileKey, sha));
    }
    return sha;
  }

  private static String read(Path path) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Writes the digests of the files asked for since this was loaded (only those: a file no longer an input is
   * forgotten), when they differ from what the file holds.
   */
  public void save() {
    StringBuilder out = new StringBuilder();
    used.forEach((path, e) -> out.append(e.line(path)).append('\n'));
    Outputs.writeIfChanged(file, out.toString());
  }

  Path file() {
    return file;
  }
}
