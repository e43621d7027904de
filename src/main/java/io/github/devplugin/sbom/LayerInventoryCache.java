package io.github.devplugin.sbom;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What {@link Inventory.Collector} keeps of a layer ({@link Inventory.LayerFiles}), stored per layer digest under
 * devplugin's user cache: {@code <cacheRoot>/sbom-layers/v<FORMAT>/<sha256 hex>.json}. A layer is content-addressed
 * (same digest, same bytes, same files), so an entry never goes stale; the key is the digest of the layer as stored
 * (the manifest's, compressed) and the directory carries the format version, raised whenever the collector keeps
 * something else. An entry is written only when the bytes read hash to the digest the image names, to a temporary file
 * in the same directory moved over the entry atomically (two builds writing the same layer write the same content;
 * readers see a whole entry or none). An unreadable, truncated or foreign entry is ignored with a debug line and
 * rewritten from the layer's bytes. Cleared by deleting the directory.
 */
public final class LayerInventoryCache {
  /** The entry format: raise it when {@link Inventory.Collector} keeps something else of a layer. */
  static final int FORMAT = 1;
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final Path directory;
  private final BuildLog log;
  /** The entries this instance read or wrote, by digest: read once per build, by whichever thread asks first. */
  private final Map<String, Inventory.LayerFiles> known = new java.util.concurrent.ConcurrentHashMap<>();

  private LayerInventoryCache(Path directory, BuildLog log) {
    this.directory = directory;
    this.log = log;
  }

  /** The cache under {@code cacheRoot} (devplugin's user cache, {@code ~/.cache/devplugin} by default). */
  public static LayerInventoryCache in(Path cacheRoot, BuildLog log) {
    return new LayerInventoryCache(directory(cacheRoot), log);
  }

  /** {@code <cacheRoot>/sbom-layers/v<FORMAT>}: where the entries are. */
  public static Path directory(Path cacheRoot) {
    return cacheRoot.resolve("sbom-layers").resolve("v" + FORMAT);
  }

  Path entry(String digest) {
    return directory.resolve(digest.substring("sha256:".length()) + ".json");
  }

  /** The layer's files when a whole entry of this format is there for its digest. */
  public Optional<Inventory.LayerFiles> read(String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      return Optional.empty();
    }
    Inventory.LayerFiles seen = known.get(digest);
    if (seen != null) {
      return Optional.of(seen);
    }
    Optional<Inventory.LayerFiles> files = readEntry(digest);
    files.ifPresent(f -> known.put(digest, f));
    return files;
  }

  private Optional<Inventory.LayerFiles> readEntry(String digest) {
    Path file = entry(digest);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.debug("Layer inventory cache: cannot read " + file + " (" + e.getMessage() + "); reading the layer.");
      return Optional.empty();
    }
    try {
      JsonNode n = Json.read(text);
      if (n.path("format").asInt(-1) != FORMAT || !digest.equals(n.path("digest").asString(""))) {
        throw new IllegalArgumentException("not a format " + FORMAT + " entry of " + digest);
      }
      Map<String, Inventory.Jar> jars = new TreeMap<>();
      for (JsonNode j : array(n, "jars")) {
        Inventory.Jar jar = new Inventory.Jar(text(j, "path", true), text(j, "sha256", true), text(j, "groupId",
            false), text(j, "artifactId", false), text(j, "version", false));
        jars.put(jar.path(), jar);
      }
      TreeSet<String> rpm = new TreeSet<>();
      for (JsonNode r : array(n, "rpm")) {
        rpm.add(r.asString());
      }
      return Optional.of(new Inventory.LayerFiles(jars, texts(n, "dpkg"), texts(n, "texts"), texts(n, "releases"),
          rpm));
    } catch (RuntimeException e) {
      log.debug("Layer inventory cache: ignoring the entry " + file + " (" + e.getMessage() + "); reading the"
          + " layer again.");
      return Optional.empty();
    }
  }

  /**
   * Stores a layer's files under {@code digest} when {@code readDigest} (the digest of the bytes walked) is that
   * digest; a failure to write is a debug line, never a failed build.
   */
  public void write(String digest, String readDigest, Inventory.LayerFiles files) {
    if (!DIGEST.matcher(digest).matches() || !digest.equals(readDigest)) {
      log.debug("Layer inventory cache: not storing the layer " + digest + " (its bytes hash to " + readDigest
          + ").");
      return;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("digest", digest);
    List<Map<String, String>> jars = new ArrayList<>();
    for (Inventory.Jar j : files.jars().values()) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("path", j.path());
      m.put("sha256", j.sha256());
      m.put("groupId", j.groupId());
      m.put("artifactId", j.artifactId());
      m.put("version", j.version());
      jars.add(m);
    }
    json.put("jars", jars);
    json.put("dpkg", files.dpkg());
    json.put("texts", files.texts());
    json.put("releases", files.releases());
    json.put("rpm", List.copyOf(files.rpm()));
    known.put(digest, files);
    Path file = entry(digest);
    Path tmp = null;
    try {
      Files.createDirectories(directory);
      tmp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, Json.write(json), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("Layer inventory cache: cannot store " + file + " (" + e.getMessage() + ").");
      try {
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException ignored) {
        // the temporary file stays; a later write uses another name
      }
    }
  }

  private static Iterable<JsonNode> array(JsonNode n, String field) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) {
      throw new IllegalArgumentException("no array '" + field + "'");
    }
    return a;
  }

  private static Map<String, String> texts(JsonNode n, String field) {
    JsonNode o = n.get(field);
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("no object '" + field + "'");
    }
    Map<String, String> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (!e.getValue().isString()) {
        throw new IllegalArgumentException("'" + field + "' holds a value that is not text");
      }
      m.put(e.getKey(), e.getValue().asString());
    }
    return m;
  }

  private static String text(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("a jar without '" + field + "'");
      }
      return null;
    }
    if (!v.isString()) {
      throw new IllegalArgumentException("'" + field + "' is not text");
    }
    return v.asString();
  }
}
