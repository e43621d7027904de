package io.github.devplugin.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Remembers the fingerprint of a goal's last successful run in a small file under {@code target/devplugin/}.
 * A goal asks {@link #isUpToDate(String)} before working and calls {@link #record(String)} after succeeding.
 */
public final class UpToDate {
  private final Path stampFile;

  public UpToDate(Path stampFile) {
    this.stampFile = stampFile;
  }

  public boolean isUpToDate(String fingerprint) {
    try {
      return Files.isRegularFile(stampFile)
          && Files.readString(stampFile, StandardCharsets.UTF_8).trim().equals(fingerprint);
    } catch (IOException e) {
      return false;
    }
  }

  public void record(String fingerprint) {
    Outputs.writeIfChanged(stampFile, fingerprint + "\n");
  }

  public Path stampFile() {
    return stampFile;
  }
}
