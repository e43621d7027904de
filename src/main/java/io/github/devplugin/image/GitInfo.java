package io.github.devplugin.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  /**
   * The full SHA of {@code HEAD} of the work tree containing {@code dir}, or null (no git, not a work tree). Read from
   * the repository's files ({@link #fromFiles}) when that is certain to give what {@code git rev-parse --verify HEAD}
   * gives, else from git itself (a process start costs 20-70 ms, as much as the rest of an up-to-date image's check).
   */
  public static String revision(Path dir) {
    String fromFiles = fromFiles(dir, System.getenv());
    if (fromFiles != null) {
      return fromFiles;
    }
    String out = git(dir, "rev-parse", "--verify", "-q", "HEAD");
    return out != null && out.strip().matches("[0-9a-f]{40}") ? out.strip() : null;
  }

  private static final java.util.regex.Pattern SHA1 = java.util.regex.Pattern.compile("[0-9a-f]{40}");

  /**
   * {@code HEAD}'s commit read from the files of the repository holding {@code dir} ({@code .git}, a linked work
   * tree's {@code .git} file and its {@code commondir}; {@code HEAD}, the loose ref it names, else
   * {@code packed-refs}), or null whenever git might answer differently and must be asked: git not on the
   * {@code PATH}, a {@code GIT_*} environment variable that may change the answer, a repository owned by another user ({@code safe.directory}),
   * a file system boundary crossed on the way up, a configuration with {@code [extensions]} (reftable, SHA-256) or a
   * {@code worktree} setting, a symbolic ref that is not {@code refs/heads/...}, an unborn branch, anything
   * unreadable.
   */
  static String fromFiles(Path dir, Map<String, String> environment) {
    try {
      if (environment.keySet().stream().anyMatch(GitInfo::mayChangeTheAnswer) || !gitOnPath(environment.get("PATH"))) {
        return null;
      }
      Path d = dir.toAbsolutePath().normalize();
      Object device = Files.getAttribute(d, "unix:dev");
      Path dotGit = null;
      for (Path p = d; p != null; p = p.getParent()) {
        if (!device.equals(Files.getAttribute(p, "unix:dev"))) {
          return null;
        }
        if (Files.exists(p.resolve(".git"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          dotGit = p.resolve(".git");
          break;
        }
      }
      if (dotGit == null || !owned(dotGit.getParent())) {
        return null;
      }
      Path gitDir = dotGit;
      if (Files.isRegularFile(dotGit, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
        if (!line.startsWith("gitdir: ") || line.contains("\n")) {
          return null;
        }
        gitDir = dotGit.getParent().resolve(line.substring("gitdir: ".length())).normalize();
      } else if (!Files.isDirectory(dotGit, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      Path common = gitDir;
      Path commonFile = gitDir.resolve("commondir");
      if (Files.isRegularFile(commonFile)) {
        common = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).strip()).normalize();
      }
      if (!Files.isDirectory(common.resolve("objects")) || !Files.isDirectory(common.resolve("refs"))
          || !owned(common)) {
        return null;
      }
      String config = Files.readString(common.resolve("config"), StandardCharsets.UTF_8)
          .toLowerCase(java.util.Locale.ROOT);
      if (config.contains("[extensions") || config.contains("worktree") || config.contains("bare = true")) {
        return null;
      }
      String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
      if (SHA1.matcher(head).matches()) {
        return head;
      }
      if (!head.startsWith("ref: refs/heads/") || head.contains("\n") || head.contains("..")) {
        return null;
      }
      String ref = head.substring("ref: ".length());
      Path loose = common.resolve(ref);
      if (Files.isRegularFile(loose)) {
        String sha = Files.readString(loose, StandardCharsets.UTF_8).strip();
        return SHA1.matcher(sha).matches() ? sha : null;
      }
      Path packed = common.resolve("packed-refs");
      if (Files.isRegularFile(packed)) {
        for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
          if (line.length() == 41 + ref.length() && line.endsWith(" " + ref)
              && SHA1.matcher(line.substring(0, 40)).matches()) {
            return line.substring(0, 40);
          }
        }
      }
      return null; // an unborn branch, or a ref git may find elsewhere: git decides
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Git's environment variables that do not change where git finds the repository or what HEAD is. */
  private static final List<String> HARMLESS = List.of("GIT_SSL_", "GIT_SSH", "GIT_HTTP_", "GIT_CURL_", "GIT_PROXY_",
      "GIT_TERMINAL_PROMPT", "GIT_ASKPASS", "GIT_AUTHOR_", "GIT_COMMITTER_", "GIT_EDITOR", "GIT_PAGER", "GIT_TRACE");

  /** A {@code GIT_*} variable that may (GIT_DIR, GIT_WORK_TREE, GIT_CEILING_DIRECTORIES, GIT_NAMESPACE, GIT_CONFIG...). */
  private static boolean mayChangeTheAnswer(String variable) {
    return variable.startsWith("GIT_") && HARMLESS.stream().noneMatch(variable::startsWith);
  }

  /** The directory is owned by this process's user (git refuses other users' repositories: safe.directory). */
  private static boolean owned(Path p) throws IOException {
    return Files.getOwner(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName()
        .equals(System.getProperty("user.name"));
  }

  /** An executable {@code git} in one of the {@code PATH}'s directories (else git cannot start). */
  private static boolean gitOnPath(String path) {
    if (path == null) {
      return false;
    }
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "git"))) {
        return true;
      }
    }
    return false;
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
