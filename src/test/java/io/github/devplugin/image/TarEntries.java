package io.github.devplugin.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads image tars and their layers in tests. */
final class TarEntries {
  private TarEntries() {}

  /** Every file of a tar by name. */
  static Map<String, byte[]> read(Path tar) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (e.isFile()) {
          out.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return out;
  }

  /** The modification time of every entry of a layer (gzip-compressed or not). */
  static List<Instant> times(byte[] layer) throws IOException {
    List<Instant> out = new ArrayList<>();
    InputStream raw = new ByteArrayInputStream(layer);
    InputStream data = layer.length > 2 && (layer[0] & 0xff) == 0x1f && (layer[1] & 0xff) == 0x8b
        ? new GZIPInputStream(raw) : raw;
    try (TarArchiveInputStream in = new TarArchiveInputStream(data)) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.add(e.getModTime().toInstant());
      }
    }
    return out;
  }
}
