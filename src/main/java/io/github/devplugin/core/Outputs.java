package io.github.devplugin.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.Arrays;

/**
 * Writes generated files atomically (a temporary file in the same directory, then a rename), so a failure never
 * leaves a half-written output, and only when the content changed, so an unchanged re-run touches nothing.
 */
public final class Outputs {
  private Outputs() {}

  /**
   * Writes {@code content} to {@code file} unless it already holds exactly that.
   *
   * @return true when the file was (re)written, false when it was already up to date
   */
  public static boolean writeIfChanged(Path file, byte[] content) {
    try {
      if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
        return false;
      }
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        Files.write(tmp, content);
        keepOrDefaultPermissions(tmp, file);
        try {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return true;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot write " + file + ": " + e.getMessage()
          + ". Check that the directory is writable and the disk is not full.", e);
    }
  }

  /**
   * Temporary files are created owner-only (0600); a generated file must keep the mode of the file it replaces, or
   * get the usual 0644 (readable by the container engines and users that consume it).
   */
  private static void keepOrDefaultPermissions(Path tmp, Path file) throws IOException {
    if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.isRegularFile(file)
        ? Files.getPosixFilePermissions(file)
        : PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(tmp, perms);
  }

  /** UTF-8 text variant of {@link #writeIfChanged(Path, byte[])}. */
  public static boolean writeIfChanged(Path file, String content) {
    return writeIfChanged(file, content.getBytes(StandardCharsets.UTF_8));
  }
}
