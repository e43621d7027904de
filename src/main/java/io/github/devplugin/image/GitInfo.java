package io.github.devplugin.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The git commit a build comes from, for the {@code org.opencontainers.image.revision} label and git-SHA tags. */
public final class GitInfo {
  private GitInfo() {}

  /** The full SHA of {@code HEAD} of the work tree containing {@code dir}, or null (no git, not a work tree). */
  public static String revision(Path dir) {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--verify", "-q", "HEAD").directory(dir.toFile())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
