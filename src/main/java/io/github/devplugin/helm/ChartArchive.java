package io.github.devplugin.helm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Date;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Makes the {@code .tgz} that {@code helm package} wrote reproducible: Helm stamps every entry with the time of
 * packaging, so the same chart gives a different archive each time. The entries, their order, names and modes stay as
 * Helm wrote them; only the times (fixed at the epoch) and the owners (0, no names) are set.
 */
final class ChartArchive {
  private ChartArchive() {}

  static byte[] normalize(byte[] tgz) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)));
        TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        TarArchiveEntry copy = new TarArchiveEntry(e.getName(), e.isDirectory() ? TarArchiveEntry.LF_DIR
            : TarArchiveEntry.LF_NORMAL);
        copy.setMode(e.getMode());
        copy.setSize(e.isDirectory() ? 0 : e.getSize());
        copy.setModTime(new Date(0));
        copy.setIds(0, 0);
        copy.setNames("", "");
        out.putArchiveEntry(copy);
        if (!e.isDirectory()) {
          in.transferTo(out);
        }
        out.closeArchiveEntry();
      }
      out.finish();
    }
    return bytes.toByteArray();
  }
}
