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

  /**
   * Records the fingerprint with a one-line note on the line after it (what the goal tells when it is next up to
   * date, so that it need not read its output for that). A note with a line break is not recorded: the stamp then
   * never matches {@link #noteIfUpToDate}.
   */
  public void record(String fingerprint, String note) {
    boolean oneLine = note != null && note.indexOf('\n') < 0 && note.indexOf('\r') < 0 && !note.isBlank();
    Outputs.writeIfChanged(stampFile, fingerprint + "\n" + (oneLine ? note + "\n" : ""));
  }

  /**
   * The note {@link #record(String, String)} recorded when the stamp holds this fingerprint and a note, else empty
   * (not up to date, or recorded without a note).
   */
  public java.util.Optional<String> noteIfUpToDate(String fingerprint) {
    try {
      if (!Files.isRegularFile(stampFile)) {
        return java.util.Optional.empty();
      }
      String[] lines = Files.readString(stampFile, StandardCharsets.UTF_8).split("\n", -1);
      return lines.length >= 2 && lines[0].equals(fingerprint) && !lines[1].isBlank()
          ? java.util.Optional.of(lines[1]) : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  public Path stampFile() {
    return stampFile;
  }
}
