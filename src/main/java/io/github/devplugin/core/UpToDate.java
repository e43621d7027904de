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

  /**
   * The one naming scheme of stamp files: {@code <devpluginDirectory>/stamps/<goal>.fingerprint}, or
   * {@code <goal>-<qualifier>.fingerprint} for a goal that keeps one stamp per environment or mode.
   *
   * @param devpluginDirectory {@code target/devplugin}
   * @param goal the goal's name, e.g. {@code image}
   * @param qualifier e.g. the environment, or null
   */
  public static UpToDate forGoal(Path devpluginDirectory, String goal, String qualifier) {
    return new UpToDate(devpluginDirectory.resolve("stamps")
        .resolve(goal + (qualifier == null || qualifier.isEmpty() ? "" : "-" + qualifier) + ".fingerprint"));
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
