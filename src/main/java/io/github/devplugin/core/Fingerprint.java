package io.github.devplugin.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A SHA-256 over everything a goal's output depends on (configuration values, file contents and paths), used for
 * up-to-date checks in the style of Spotless: when the fingerprint recorded by the last run equals the current one,
 * the goal does no work. Entries are length-prefixed so that different inputs can never collide by concatenation.
 */
public final class Fingerprint {
  private final MessageDigest digest;
  private FileDigests digests;

  private Fingerprint() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * A new fingerprint that already holds the plugin's version ({@link #pluginVersion()}), so that every stamp changes
   * when the plugin is upgraded and the work is redone.
   */
  public static Fingerprint start() {
    return new Fingerprint().add("devplugin", pluginVersion());
  }

  /**
   * The plugin's version from its jar manifest ({@code Implementation-Version}), or {@code dev} when running from
   * classes (unit tests).
   */
  public static String pluginVersion() {
    String v = Fingerprint.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }

  /**
   * Adds a value by its {@link #text} form: every component of a record (recursively), every element of a collection,
   * map, array or {@link java.util.Optional}, any other value's {@code toString()}.
   */
  public Fingerprint add(String key, Object value) {
    bytes(key.getBytes(StandardCharsets.UTF_8));
    bytes(text(value).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /**
   * A value's text for a fingerprint: as {@code String.valueOf} for plain values, while records are walked component
   * by component (name and value) through reflection rather than through their generated {@code toString()}, whose
   * first call per record class spins method handles: that warm-up cost the up-to-date checks of {@code k8s},
   * {@code compose} and {@code image} about a third of their own time (issue 15). Every component is included, so
   * the text changes whenever a record's content does.
   */
  public static String text(Object value) {
    StringBuilder out = new StringBuilder();
    appendText(out, value);
    return out.toString();
  }

  private static void appendText(StringBuilder out, Object value) {
    if (value instanceof Record r) {
      out.append(r.getClass().getName()).append('[');
      java.lang.reflect.RecordComponent[] components = r.getClass().getRecordComponents();
      for (int i = 0; i < components.length; i++) {
        java.lang.reflect.Method accessor = components[i].getAccessor();
        Object v;
        try {
          accessor.setAccessible(true);
          v = accessor.invoke(r);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("Cannot read " + r.getClass().getName() + "." + components[i].getName()
              + " for a fingerprint: " + e, e);
        }
        out.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=');
        appendText(out, v);
      }
      out.append(']');
    } else if (value instanceof java.util.Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
        out.append(first ? "" : ", ");
        appendText(out, e.getKey());
        out.append('=');
        appendText(out, e.getValue());
        first = false;
      }
      out.append('}');
    } else if (value instanceof java.util.Collection<?> c) {
      appendAll(out, c);
    } else if (value instanceof java.util.Optional<?> o) {
      out.append("Optional[");
      appendText(out, o.orElse(null));
      out.append(']');
    } else if (value instanceof Object[] a) {
      appendAll(out, java.util.Arrays.asList(a));
    } else if (value instanceof byte[] b) {
      out.append(HexFormat.of().formatHex(b));
    } else {
      out.append(value);
    }
  }

  private static void appendAll(StringBuilder out, Iterable<?> values) {
    out.append('[');
    boolean first = true;
    for (Object v : values) {
      out.append(first ? "" : ", ");
      appendText(out, v);
      first = false;
    }
    out.append(']');
  }

  /**
   * Takes the content of the files added from now on by their SHA-256 from {@code digests} (read again only when a
   * file's size, modification time or file key changed) instead of reading every file.
   */
  public Fingerprint withDigests(FileDigests digests) {
    this.digests = digests;
    return this;
  }

  /** Adds a file's content (or a marker that it is absent). */
  public Fingerprint addFile(String key, Path file) {
    add(key, file.toString());
    if (!Files.isRegularFile(file)) {
      return add("absent", key);
    }
    if (digests != null) {
      try {
        return add("sha256", digests.sha256(file));
      } catch (IOException e) {
        throw new EnvironmentError("Cannot read " + file + " to check whether it changed: " + e.getMessage(), e);
      }
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[8192];
      long size = Files.size(file);
      add("size", size);
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return this;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read " + file + " to check whether it changed: " + e.getMessage(), e);
    }
  }

  /** Adds every regular file under a directory, in a stable order, with its relative path. */
  public Fingerprint addTree(String key, Path dir) {
    add(key, dir.toString());
    if (!Files.isDirectory(dir)) {
      return add("absent", key);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    } catch (IOException | UncheckedIOException e) {
      throw new EnvironmentError("Cannot list " + dir + " to check whether it changed: " + e.getMessage(), e);
    }
    for (Path f : files) {
      addFile(dir.relativize(f).toString().replace('\\', '/'), f);
    }
    return this;
  }

  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  private void bytes(byte[] b) {
    digest.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(b);
  }
}
