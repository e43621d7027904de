package io.github.devplugin.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git commit a build comes from, for the {@code org.opencontainers.image.revision} label and git-SHA tags. */
public final class GitInfo {
  private GitInfo() {}

  /** The revision of {@code HEAD} (null outside a work tree) and whether the work tree differs from it. */
  public record State(String revision, boolean dirty) {}

  /**
   * {@link #revision} and {@link #dirty} with both git processes started at once (each costs a process start, and
   * {@code git status} reads the whole work tree): the image goals read both before deciding.
   */
  public static State read(Path dir) {
    return read(dir, true);
  }

  /**
   * {@link #read}, or without {@code git status} (dirty false) when {@code withDirty} is false: an image whose tags do
   * not depend on it ({@link #dirtyNeeded}) does not pay for reading the whole work tree.
   */
  public static State read(Path dir, boolean withDirty) {
    Process status = withDirty ? start(dir, STATUS) : null;
    String revision = revision(dir);
    return new State(revision, withDirty && isDirty(finish(status)));
  }

  /**
   * Whether an image depends on the work tree's dirtiness: only a {@code git-sha} tag does
   * ({@link ImagePlanner#tags}); without one, {@code git status} is not run and the image's stamp does not hold it.
   */
  public static boolean dirtyNeeded(io.github.devplugin.config.ImageSettings image) {
    return image.tagStrategy().contains("git-sha");
  }

  /** The full SHA of {@code HEAD} of the work tree containing {@code dir}, or null (no git, not a work tree). */
  public static String revision(Path dir) {
    String out = git(dir, "rev-parse", "--verify", "-q", "HEAD");
    return out != null && out.strip().matches("[0-9a-f]{40}") ? out.strip() : null;
  }

  /**
   * True when the work tree containing {@code dir} differs from {@code HEAD}: a tracked file modified, staged, added
   * or deleted, or an untracked file that is not ignored (a new source file goes into the build although git does not
   * know it yet; ignored files such as {@code target/} do not count). The whole work tree counts, not only
   * {@code dir}: a reactor module's image holds its sibling modules. False outside a work tree.
   */
  public static boolean dirty(Path dir) {
    return isDirty(git(dir, STATUS));
  }

  private static final String[] STATUS = {"status", "--porcelain", "--untracked-files=normal"};

  private static boolean isDirty(String statusOutput) {
    return statusOutput != null && !statusOutput.isBlank();
  }

  /** The output of git, or null when git is missing, fails, or takes too long. */
  private static String git(Path dir, String... args) {
    return finish(start(dir, args));
  }

  /** A started git process, or null when git cannot start. */
  private static Process start(Path dir, String... args) {
    try {
      List<String> command = new java.util.ArrayList<>(List.of("git"));
      command.addAll(List.of(args));
      return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null;
    }
  }

  /** The output of a process {@link #start} gave, or null when it did not start, failed or took too long. */
  private static String finish(Process p) {
    if (p == null) {
      return null;
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      p.destroyForcibly();
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return null;
    }
  }
}
