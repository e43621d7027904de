package io.github.devplugin.image;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.databind.JsonNode;

/**
 * Joins single-platform OCI image-layout tars (as jib-core writes them, one per platform) into one multi-platform
 * OCI image-layout tar: the blobs of all of them, an OCI image index listing each platform's manifest, and an
 * {@code index.json} that names that index by tag. jib-core does not write multi-platform tars itself.
 */
public final class OciIndexTar {
  public static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

  private OciIndexTar() {}

  /** One platform's OCI tar. */
  public record Part(String os, String architecture, Path tar) {}

  /**
   * Writes the joined tar to {@code out} (atomically) and returns the image index digest ({@code sha256:...}).
   */
  public static String join(List<Part> parts, String refName, Path out) {
    Map<String, byte[]> blobs = new TreeMap<>();
    Map<String, Path> largeBlobs = new TreeMap<>();
    List<Map<String, Object>> manifests = new ArrayList<>();
    Path scratch = out.resolveSibling(out.getFileName() + ".parts");
    try {
      Files.createDirectories(scratch);
      for (Part part : parts) {
        JsonNode index = null;
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(part.tar()))) {
          TarArchiveEntry e;
          while ((e = in.getNextEntry()) != null) {
            if (e.isDirectory()) {
              continue;
            }
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            if (name.equals("index.json")) {
              index = Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } else if (name.startsWith("blobs/") && !largeBlobs.containsKey(name) && !blobs.containsKey(name)) {
              if (e.getSize() < (1 << 20)) {
                blobs.put(name, in.readAllBytes());
              } else {
                Path f = scratch.resolve(name.replace('/', '_'));
                Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                largeBlobs.put(name, f);
              }
            }
          }
        }
        if (index == null || index.get("manifests") == null || index.get("manifests").size() != 1) {
          throw new EnvironmentError("The OCI tar " + part.tar() + " written by jib has no single manifest.");
        }
        JsonNode m = index.get("manifests").get(0);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", m.get("mediaType").asString());
        d.put("digest", m.get("digest").asString());
        d.put("size", m.get("size").asLong());
        Map<String, String> platform = new LinkedHashMap<>();
        platform.put("architecture", part.architecture());
        platform.put("os", part.os());
        d.put("platform", platform);
        manifests.add(d);
      }
      Map<String, Object> imageIndex = new LinkedHashMap<>();
      imageIndex.put("schemaVersion", 2);
      imageIndex.put("mediaType", INDEX_MEDIA_TYPE);
      imageIndex.put("manifests", manifests);
      byte[] indexBytes = Json.mapper().writeValueAsBytes(imageIndex);
      String digest = "sha256:" + java.util.HexFormat.of().formatHex(JlinkBase.sha256(indexBytes));
      blobs.put("blobs/sha256/" + digest.substring(7), indexBytes);

      Map<String, Object> top = new LinkedHashMap<>();
      top.put("schemaVersion", 2);
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("mediaType", INDEX_MEDIA_TYPE);
      ref.put("digest", digest);
      ref.put("size", indexBytes.length);
      ref.put("annotations", Map.of("org.opencontainers.image.ref.name", refName));
      top.put("manifests", List.of(ref));
      byte[] topBytes = Json.mapper().writeValueAsBytes(top);

      Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName(), ".tmp");
      try {
        try (OutputStream os = Files.newOutputStream(tmp);
            TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          put(tar, "blobs/", null, null);
          put(tar, "blobs/sha256/", null, null);
          TreeMap<String, Object> all = new TreeMap<>();
          all.putAll(blobs);
          all.putAll(largeBlobs);
          for (Map.Entry<String, Object> b : all.entrySet()) {
            if (b.getValue() instanceof byte[] bytes) {
              put(tar, b.getKey(), bytes, null);
            } else {
              put(tar, b.getKey(), null, (Path) b.getValue());
            }
          }
          put(tar, "index.json", topBytes, null);
          put(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), null);
          tar.finish();
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return digest;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot write the OCI image-index tar " + out + ": " + e.getMessage(), e);
    } finally {
      for (Path f : largeBlobs.values()) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException ignored) {
          // scratch file
        }
      }
      try {
        Files.deleteIfExists(scratch);
      } catch (IOException ignored) {
        // scratch directory
      }
    }
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] bytes, Path file) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setModTime(0);
    e.setIds(0, 0);
    e.setUserName("");
    e.setGroupName("");
    if (name.endsWith("/")) {
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return;
    }
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE);
    e.setSize(bytes != null ? bytes.length : Files.size(file));
    tar.putArchiveEntry(e);
    if (bytes != null) {
      tar.write(bytes);
    } else {
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
  }
}
